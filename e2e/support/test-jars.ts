// Real job jars for the dashboard's tests (e2e, lib), written in Node. Independent of sim/ on
// purpose: the app and the simulator share no code. Each jar holds META-INF/MANIFEST.MF and a valid
// Java 8 class file (checked with `java -jar` and `javap -v`) whose `public static void main(String[])`
// either builds a streaming job (its constant pool names Flink's StreamExecutionEnvironment, which is
// how sim/flink tells that a main builds a job) or only prints a line (Flink answers the run with
// "No jobs included in application.").
import { strToU8, zipSync } from 'fflate';

type Const = [tag: number, ...bytes: number[]];

/** A constant pool that hands out indexes and dedupes entries. */
function pool() {
  const list: Const[] = [];
  const seen = new Map<string, number>();
  const put = (key: string, c: Const) => seen.get(key) ?? (list.push(c), seen.set(key, list.length), list.length);
  const be16 = (n: number) => [n >> 8, n & 0xff];
  const utf8 = (s: string) => {
    const b = strToU8(s);
    return put('U' + s, [1, ...be16(b.length), ...b]);
  };
  const klass = (n: string) => put('C' + n, [7, ...be16(utf8(n))]);
  const str = (s: string) => put('S' + s, [8, ...be16(utf8(s))]);
  const nat = (n: string, d: string) => put(`N${n}${d}`, [12, ...be16(utf8(n)), ...be16(utf8(d))]);
  const member = (tag: 9 | 10, owner: string, n: string, d: string) => put(`${tag}${owner}.${n}${d}`, [tag, ...be16(klass(owner)), ...be16(nat(n, d))]);
  return { list, utf8, klass, str, field: (o: string, n: string, d: string) => member(9, o, n, d), method: (o: string, n: string, d: string) => member(10, o, n, d), be16 };
}

const ENV = 'org/apache/flink/streaming/api/environment/StreamExecutionEnvironment';
const SOURCE = 'org/apache/flink/streaming/api/datastream/DataStreamSource';

function classFile(binaryName: string, main: 'stream-job' | 'print', text: string): Uint8Array {
  const p = pool();
  const { be16 } = p;
  const be32 = (n: number) => [n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
  const self = p.klass(binaryName.replace(/\./g, '/'));
  const object = p.klass('java/lang/Object');
  const code = p.utf8('Code');
  const method = (flags: number, name: string, desc: string, stack: number, locals: number, body: number[]) => [
    ...be16(flags), ...be16(p.utf8(name)), ...be16(p.utf8(desc)), ...be16(1),
    ...be16(code), ...be32(12 + body.length), ...be16(stack), ...be16(locals), ...be32(body.length), ...body, ...be16(0), ...be16(0),
  ];
  const init = method(0x0001, '<init>', '()V', 1, 1, [0x2a, 0xb7, ...be16(p.method('java/lang/Object', '<init>', '()V')), 0xb1]);
  const body =
    main === 'stream-job'
      ? // env = StreamExecutionEnvironment.getExecutionEnvironment(); env.fromSequence(0, 1).print(); env.execute(text);
        [0xb8, ...be16(p.method(ENV, 'getExecutionEnvironment', `()L${ENV};`)), 0x4c, 0x2b, 0x09, 0x0a,
         0xb6, ...be16(p.method(ENV, 'fromSequence', `(JJ)L${SOURCE};`)),
         0xb6, ...be16(p.method(SOURCE, 'print', '()Lorg/apache/flink/streaming/api/datastream/DataStreamSink;')), 0x57,
         0x2b, 0x12, p.str(text), 0xb6, ...be16(p.method(ENV, 'execute', '(Ljava/lang/String;)Lorg/apache/flink/api/common/JobExecutionResult;')), 0x57, 0xb1]
      : // System.out.println(text);
        [0xb2, ...be16(p.field('java/lang/System', 'out', 'Ljava/io/PrintStream;')), 0x12, p.str(text),
         0xb6, ...be16(p.method('java/io/PrintStream', 'println', '(Ljava/lang/String;)V')), 0xb1];
  const mainMethod = method(0x0009, 'main', '([Ljava/lang/String;)V', main === 'stream-job' ? 5 : 2, main === 'stream-job' ? 2 : 1, body);
  const bytes = [
    ...be32(0xcafebabe), ...be16(0), ...be16(52), ...be16(p.list.length + 1), ...p.list.flat(),
    ...be16(0x0021), ...be16(self), ...be16(object), ...be16(0), ...be16(0), ...be16(2), ...init, ...mainMethod, ...be16(0),
  ];
  return new Uint8Array(bytes);
}

function jar(entryClass: string, main: 'stream-job' | 'print', text: string): Uint8Array {
  return zipSync({
    'META-INF/MANIFEST.MF': strToU8(`Manifest-Version: 1.0\r\nMain-Class: ${entryClass}\r\n\r\n`),
    [`${entryClass.replace(/\./g, '/')}.class`]: classFile(entryClass, main, text),
  });
}

/** A jar whose main builds and executes a streaming job named `jobName`. */
export function streamingJobJar(entryClass = 'com.example.StreamingJob', jobName = 'Streaming job'): Uint8Array {
  return jar(entryClass, 'stream-job', jobName);
}

/** A jar whose main only prints a line and builds no Flink job. */
export function printOnlyJar(entryClass = 'com.example.PrintOnly', line = 'Hello from a jar without a Flink job'): Uint8Array {
  return jar(entryClass, 'print', line);
}
