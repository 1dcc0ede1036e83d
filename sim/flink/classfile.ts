// Java class files (JVM spec, chapter 4): a reader of the constant pool, and a writer of minimal,
// valid classes with one `public static void main(String[])` for test jars. The sim cannot run
// Java, so it decides what a user's main does from the classes its constant pool names.

const MAGIC = 0xcafebabe;

// constant pool tags (JVMS 4.4)
const UTF8 = 1;
const INTEGER = 3;
const FLOAT = 4;
const LONG = 5;
const DOUBLE = 6;
const CLASS = 7;
const STRING = 8;
const FIELDREF = 9;
const METHODREF = 10;
const INTERFACE_METHODREF = 11;
const NAME_AND_TYPE = 12;
const METHOD_HANDLE = 15;
const METHOD_TYPE = 16;
const DYNAMIC = 17;
const INVOKE_DYNAMIC = 18;
const MODULE = 19;
const PACKAGE = 20;

export class ClassFormatError extends Error {}

/** Decodes the JVM's "modified UTF-8" (as Java's DataInput.readUTF). */
function modifiedUtf8(b: Uint8Array, start: number, end: number): string {
  let s = '';
  let i = start;
  while (i < end) {
    const a = b[i++];
    if (a < 0x80) s += String.fromCharCode(a);
    else if ((a & 0xe0) === 0xc0) s += String.fromCharCode(((a & 0x1f) << 6) | (b[i++] & 0x3f));
    else {
      const c2 = b[i++];
      const c3 = b[i++];
      s += String.fromCharCode(((a & 0x0f) << 12) | ((c2 & 0x3f) << 6) | (c3 & 0x3f));
    }
  }
  return s;
}

export interface ConstantPoolInfo {
  /** internal name of this class (`com/example/Job`) */
  thisClass: string;
  /** internal names of every CONSTANT_Class entry, and of the object types in field and method descriptors */
  classes: Set<string>;
  /**
   * String constants loaded (ldc / ldc_w) right before an invokevirtual of a method named `execute`
   * taking a String first: the job names a main passes to `env.execute(name)`.
   */
  executeNames: string[];
}

/** Reads a class file's constant pool: the classes it names (JVMS 4.1, 4.4). */
export function readConstantPool(bytes: Uint8Array): ConstantPoolInfo {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (pos: number, n: number) => {
    if (pos + n > bytes.length) throw new ClassFormatError(`Truncated class file (needed ${n} bytes at offset ${pos} of ${bytes.length})`);
  };
  need(0, 10);
  if (v.getUint32(0) !== MAGIC) throw new ClassFormatError(`Incompatible magic value ${v.getUint32(0)} in class file`);
  const count = v.getUint16(8);
  const utf8: (string | undefined)[] = new Array(count);
  const classAt = new Map<number, number>();
  const descriptorIdx: number[] = [];
  const stringAt = new Map<number, number>();
  const methodrefAt = new Map<number, number>(); // -> NameAndType index
  const natAt = new Map<number, [number, number]>();
  let pos = 10;
  for (let i = 1; i < count; i++) {
    need(pos, 1);
    const tag = bytes[pos++];
    switch (tag) {
      case UTF8: {
        need(pos, 2);
        const len = v.getUint16(pos);
        pos += 2;
        need(pos, len);
        utf8[i] = modifiedUtf8(bytes, pos, pos + len);
        pos += len;
        break;
      }
      case CLASS:
        need(pos, 2);
        classAt.set(i, v.getUint16(pos));
        pos += 2;
        break;
      case NAME_AND_TYPE:
        need(pos, 4);
        descriptorIdx.push(v.getUint16(pos + 2));
        natAt.set(i, [v.getUint16(pos), v.getUint16(pos + 2)]);
        pos += 4;
        break;
      case METHODREF:
        need(pos, 4);
        methodrefAt.set(i, v.getUint16(pos + 2));
        pos += 4;
        break;
      case STRING:
        need(pos, 2);
        stringAt.set(i, v.getUint16(pos));
        pos += 2;
        break;
      case METHOD_TYPE:
        need(pos, 2);
        descriptorIdx.push(v.getUint16(pos));
        pos += 2;
        break;
      case MODULE:
      case PACKAGE:
        pos += 2;
        break;
      case METHOD_HANDLE:
        pos += 3;
        break;
      case INTEGER:
      case FLOAT:
      case FIELDREF:
      case INTERFACE_METHODREF:
      case DYNAMIC:
      case INVOKE_DYNAMIC:
        pos += 4;
        break;
      case LONG:
      case DOUBLE:
        pos += 8;
        i++; // takes two slots
        break;
      default:
        throw new ClassFormatError(`Unknown constant tag ${tag} in class file`);
    }
  }
  need(pos, 6);
  const thisIdx = v.getUint16(pos + 2);
  const name = (idx: number) => {
    const s = utf8[idx];
    if (s === undefined) throw new ClassFormatError(`Illegal constant pool index ${idx} in class file`);
    return s;
  };
  const classes = new Set<string>();
  for (const idx of classAt.values()) {
    let n = name(idx);
    // array classes: "[Lcom/x/Y;" -> com/x/Y
    const m = /^\[+L(.+);$/.exec(n);
    if (m) n = m[1];
    if (!n.startsWith('[')) classes.add(n);
  }
  for (const idx of descriptorIdx) {
    for (const m of name(idx).matchAll(/L([^;()]+);/g)) classes.add(m[1]);
  }
  const thisName = classAt.get(thisIdx);
  if (thisName === undefined) throw new ClassFormatError(`Invalid this class index ${thisIdx} in constant pool in class file`);
  // execute(String, ...) calls: a method ref named execute whose descriptor takes a String first
  const executeRefs = new Set<number>();
  for (const [idx, nat] of methodrefAt) {
    const nt = natAt.get(nat);
    if (nt && utf8[nt[0]] === 'execute' && utf8[nt[1]]?.startsWith('(Ljava/lang/String;')) executeRefs.add(idx);
  }
  const executeNames: string[] = [];
  if (executeRefs.size) {
    // the code that follows the pool: ldc #s / ldc_w #s immediately followed by invokevirtual #execute
    for (let p = pos; p + 4 < bytes.length; p++) {
      let str: number | undefined;
      let next: number;
      if (bytes[p] === 0x12) {
        str = bytes[p + 1];
        next = p + 2;
      } else if (bytes[p] === 0x13 && p + 5 < bytes.length) {
        str = v.getUint16(p + 1);
        next = p + 3;
      } else continue;
      if (bytes[next] !== 0xb6 || next + 2 >= bytes.length || !executeRefs.has(v.getUint16(next + 1))) continue;
      const u = stringAt.get(str);
      const text = u === undefined ? undefined : utf8[u];
      if (text !== undefined) executeNames.push(text);
    }
  }
  return { thisClass: name(thisName), classes, executeNames };
}

// ------------------------------------------------------------------ writer

class Pool {
  readonly entries: Uint8Array[] = [];
  private readonly index = new Map<string, number>();
  private add(key: string, bytes: number[]): number {
    const have = this.index.get(key);
    if (have) return have;
    this.entries.push(new Uint8Array(bytes));
    const idx = this.entries.length; // 1-based
    this.index.set(key, idx);
    return idx;
  }
  utf8(s: string): number {
    const b = Buffer.from(s, 'utf8'); // ASCII names only: identical to modified UTF-8
    return this.add(`u:${s}`, [UTF8, b.length >> 8, b.length & 0xff, ...b]);
  }
  cls(internalName: string): number {
    const n = this.utf8(internalName);
    return this.add(`c:${internalName}`, [CLASS, n >> 8, n & 0xff]);
  }
  string(s: string): number {
    const n = this.utf8(s);
    return this.add(`s:${s}`, [STRING, n >> 8, n & 0xff]);
  }
  nameAndType(name: string, descriptor: string): number {
    const a = this.utf8(name);
    const b = this.utf8(descriptor);
    return this.add(`nt:${name}:${descriptor}`, [NAME_AND_TYPE, a >> 8, a & 0xff, b >> 8, b & 0xff]);
  }
  ref(tag: number, owner: string, name: string, descriptor: string): number {
    const c = this.cls(owner);
    const nt = this.nameAndType(name, descriptor);
    return this.add(`r${tag}:${owner}.${name}:${descriptor}`, [tag, c >> 8, c & 0xff, nt >> 8, nt & 0xff]);
  }
  get count() {
    return this.entries.length + 1;
  }
}

const u2 = (n: number) => [(n >> 8) & 0xff, n & 0xff];
const u4 = (n: number) => [(n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];

const SEE = 'org/apache/flink/streaming/api/environment/StreamExecutionEnvironment';

export interface MainClassSpec {
  /** binary name, e.g. `com.example.Job` */
  className: string;
  /**
   * what main does:
   * - `stream-job`: `StreamExecutionEnvironment.getExecutionEnvironment().fromSequence(0, 1).print();` then `env.execute(jobName)`
   * - `print`: `System.out.println(message)` and nothing else (builds no Flink job)
   * - `call`: `<callClass>.main(args)` (delegates to another class of the jar)
   */
  body: { kind: 'stream-job'; jobName?: string } | { kind: 'print'; message?: string } | { kind: 'call'; callClass: string };
}

/**
 * A class file (version 52, Java 8) with a public no-arg constructor and
 * `public static void main(String[])`: valid for the JVM's verifier (no branches, so no StackMapTable).
 */
export function writeMainClass(spec: MainClassSpec): Uint8Array {
  const p = new Pool();
  const self = spec.className.replace(/\./g, '/');
  const thisIdx = p.cls(self);
  const superIdx = p.cls('java/lang/Object');
  const codeName = p.utf8('Code');
  const initName = p.utf8('<init>');
  const voidDesc = p.utf8('()V');
  const objectInit = p.ref(METHODREF, 'java/lang/Object', '<init>', '()V');
  const mainName = p.utf8('main');
  const mainDesc = p.utf8('([Ljava/lang/String;)V');

  let code: number[];
  let maxStack: number;
  let maxLocals: number;
  const b = spec.body;
  if (b.kind === 'stream-job') {
    const getEnv = p.ref(METHODREF, SEE, 'getExecutionEnvironment', `()L${SEE};`);
    const fromSeq = p.ref(METHODREF, SEE, 'fromSequence', '(JJ)Lorg/apache/flink/streaming/api/datastream/DataStreamSource;');
    const print = p.ref(METHODREF, 'org/apache/flink/streaming/api/datastream/DataStreamSource', 'print', '()Lorg/apache/flink/streaming/api/datastream/DataStreamSink;');
    const name = p.string(b.jobName ?? spec.className.split('.').pop()!);
    const execute = p.ref(METHODREF, SEE, 'execute', '(Ljava/lang/String;)Lorg/apache/flink/api/common/JobExecutionResult;');
    if (name > 255) throw new Error('constant pool too large for ldc');
    code = [
      0xb8, ...u2(getEnv), // invokestatic getExecutionEnvironment
      0x4c, // astore_1
      0x2b, // aload_1
      0x09, // lconst_0
      0x0a, // lconst_1
      0xb6, ...u2(fromSeq), // invokevirtual fromSequence(JJ)
      0xb6, ...u2(print), // invokevirtual print()
      0x57, // pop
      0x2b, // aload_1
      0x12, name, // ldc jobName
      0xb6, ...u2(execute), // invokevirtual execute(String)
      0x57, // pop
      0xb1, // return
    ];
    maxStack = 5;
    maxLocals = 2;
  } else if (b.kind === 'print') {
    const out = p.ref(FIELDREF, 'java/lang/System', 'out', 'Ljava/io/PrintStream;');
    const msg = p.string(b.message ?? 'Hello from a jar without a Flink job');
    const println = p.ref(METHODREF, 'java/io/PrintStream', 'println', '(Ljava/lang/String;)V');
    if (msg > 255) throw new Error('constant pool too large for ldc');
    code = [0xb2, ...u2(out), 0x12, msg, 0xb6, ...u2(println), 0xb1];
    maxStack = 2;
    maxLocals = 1;
  } else {
    const call = p.ref(METHODREF, b.callClass.replace(/\./g, '/'), 'main', '([Ljava/lang/String;)V');
    code = [0x2a, 0xb8, ...u2(call), 0xb1]; // aload_0; invokestatic; return
    maxStack = 1;
    maxLocals = 1;
  }
  const codeAttr = (c: number[], stack: number, locals: number) => [...u2(codeName), ...u4(12 + c.length), ...u2(stack), ...u2(locals), ...u4(c.length), ...c, ...u2(0), ...u2(0)];
  const init = [...u2(0x0001), ...u2(initName), ...u2(voidDesc), ...u2(1), ...codeAttr([0x2a, 0xb7, ...u2(objectInit), 0xb1], 1, 1)];
  const main = [...u2(0x0009), ...u2(mainName), ...u2(mainDesc), ...u2(1), ...codeAttr(code, maxStack, maxLocals)];

  const head = [...u4(MAGIC), ...u2(0), ...u2(52), ...u2(p.count)];
  const tail = [...u2(0x0021), ...u2(thisIdx), ...u2(superIdx), ...u2(0), ...u2(0), ...u2(2), ...init, ...main, ...u2(0)];
  const size = head.length + p.entries.reduce((a, e) => a + e.length, 0) + tail.length;
  const out = new Uint8Array(size);
  let o = 0;
  out.set(head, o);
  o += head.length;
  for (const e of p.entries) {
    out.set(e, o);
    o += e.length;
  }
  out.set(tail, o);
  return out;
}
