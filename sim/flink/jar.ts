// Jars are zips: the manifest names the entry class (Program-Class wins over Main-Class, as
// PackagedProgram.getEntryPointClassNameFromJar reads them); .class entries are the classes it holds.
// A jar is read the way java.util.zip.ZipFile reads it: the end-of-central-directory record, the
// central directory, then only the entries asked for (the manifest, a class file). A 300 MiB jar
// is never loaded whole.
import fs from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { readConstantPool, ClassFormatError } from './classfile';

export interface JarInfo {
  manifest: Record<string, string>;
  classes: Set<string>;
  /** the example program this jar is, when it is one of the distribution's example jars */
  example?: string;
  /** reads one entry's bytes (undefined when the jar has no such entry) */
  readEntry?: (name: string) => Uint8Array | undefined;
}

export class InvalidJarError extends Error {}

/** Parses META-INF/MANIFEST.MF (continuation lines start with one space). */
export function parseManifest(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let last: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith(' ') && last) {
      out[last] += line.slice(1);
      continue;
    }
    const i = line.indexOf(':');
    if (i <= 0) continue;
    last = line.slice(0, i).trim();
    out[last] = line.slice(i + 1).trim();
  }
  return out;
}

/** Random access to the bytes of a zip: a file on disk or bytes in memory. */
export interface ZipSource {
  size: number;
  read(pos: number, len: number): Uint8Array;
  close?(): void;
}

export function bytesSource(bytes: Uint8Array): ZipSource {
  return { size: bytes.length, read: (pos, len) => bytes.subarray(pos, Math.min(bytes.length, pos + len)) };
}

export function fileSource(path: string): ZipSource {
  const fd = fs.openSync(path, 'r');
  const size = fs.fstatSync(fd).size;
  return {
    size,
    read(pos, len) {
      const n = Math.max(0, Math.min(len, size - pos));
      const buf = Buffer.allocUnsafe(n);
      let done = 0;
      while (done < n) {
        const r = fs.readSync(fd, buf, done, n - done, pos + done);
        if (r <= 0) break;
        done += r;
      }
      return buf.subarray(0, done);
    },
    close: () => fs.closeSync(fd),
  };
}

interface CdEntry {
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const CEN_SIG = 0x02014b50;
const LOC_SIG = 0x04034b50;

/** The central directory of a zip (APPNOTE 4.3.12-4.3.16), with ZIP64 sizes and offsets. */
export class ZipDirectory {
  readonly entries = new Map<string, CdEntry>();

  constructor(readonly src: ZipSource) {
    const tailLen = Math.min(src.size, 22 + 0xffff);
    const tail = src.read(src.size - tailLen, tailLen);
    const tv = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
    let at = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tv.getUint32(i, true) === EOCD_SIG) {
        at = i;
        break;
      }
    }
    if (at < 0) throw new InvalidJarError('zip END header not found');
    let count = tv.getUint16(at + 10, true);
    let cdSize = tv.getUint32(at + 12, true);
    let cdOffset = tv.getUint32(at + 16, true);
    const eocdPos = src.size - tailLen + at;
    if ((count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) && eocdPos >= 20) {
      const loc = src.read(eocdPos - 20, 20);
      const lv = new DataView(loc.buffer, loc.byteOffset, loc.byteLength);
      if (lv.getUint32(0, true) === ZIP64_LOCATOR_SIG) {
        const z = src.read(Number(lv.getBigUint64(8, true)), 56);
        const zv = new DataView(z.buffer, z.byteOffset, z.byteLength);
        if (zv.getUint32(0, true) !== ZIP64_EOCD_SIG) throw new InvalidJarError('invalid zip64 END header');
        count = Number(zv.getBigUint64(32, true));
        cdSize = Number(zv.getBigUint64(40, true));
        cdOffset = Number(zv.getBigUint64(48, true));
      }
    }
    if (cdOffset + cdSize > src.size) throw new InvalidJarError('invalid END header (bad central directory offset)');
    const cd = src.read(cdOffset, cdSize);
    const v = new DataView(cd.buffer, cd.byteOffset, cd.byteLength);
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || v.getUint32(p, true) !== CEN_SIG) throw new InvalidJarError('invalid CEN header (bad signature)');
      const method = v.getUint16(p + 10, true);
      let compressedSize = v.getUint32(p + 20, true);
      let size = v.getUint32(p + 24, true);
      const nameLen = v.getUint16(p + 28, true);
      const extraLen = v.getUint16(p + 30, true);
      const commentLen = v.getUint16(p + 32, true);
      let localHeaderOffset = v.getUint32(p + 42, true);
      const name = Buffer.from(cd.subarray(p + 46, p + 46 + nameLen)).toString('utf8');
      // ZIP64 extended information extra field (0x0001): the values that overflowed, in order
      let e = p + 46 + nameLen;
      const extraEnd = e + extraLen;
      while (e + 4 <= extraEnd) {
        const id = v.getUint16(e, true);
        const len = v.getUint16(e + 2, true);
        if (id === 0x0001) {
          let q = e + 4;
          if (size === 0xffffffff) {
            size = Number(v.getBigUint64(q, true));
            q += 8;
          }
          if (compressedSize === 0xffffffff) {
            compressedSize = Number(v.getBigUint64(q, true));
            q += 8;
          }
          if (localHeaderOffset === 0xffffffff) localHeaderOffset = Number(v.getBigUint64(q, true));
        }
        e += 4 + len;
      }
      this.entries.set(name, { method, compressedSize, size, localHeaderOffset });
      p += 46 + nameLen + extraLen + commentLen;
    }
  }

  read(name: string): Uint8Array | undefined {
    const ent = this.entries.get(name);
    if (!ent) return undefined;
    const loc = this.src.read(ent.localHeaderOffset, 30);
    const lv = new DataView(loc.buffer, loc.byteOffset, loc.byteLength);
    if (loc.length < 30 || lv.getUint32(0, true) !== LOC_SIG) throw new InvalidJarError(`invalid LOC header (bad signature) for ${name}`);
    const dataAt = ent.localHeaderOffset + 30 + lv.getUint16(26, true) + lv.getUint16(28, true);
    const raw = this.src.read(dataAt, ent.compressedSize);
    if (ent.method === 0) return raw;
    if (ent.method === 8) return new Uint8Array(inflateRawSync(raw));
    throw new InvalidJarError(`invalid compression method ${ent.method} for ${name}`);
  }
}

function infoOf(dir: ZipDirectory): JarInfo {
  const mf = dir.read('META-INF/MANIFEST.MF');
  const manifest = mf ? parseManifest(Buffer.from(mf).toString('utf8')) : {};
  const classes = new Set<string>();
  for (const name of dir.entries.keys()) {
    if (name.endsWith('.class') && !name.startsWith('META-INF/')) classes.add(name.slice(0, -6).replace(/\//g, '.'));
  }
  return { manifest, classes, readEntry: (name) => dir.read(name) };
}

function open(src: ZipSource): ZipDirectory {
  try {
    return new ZipDirectory(src);
  } catch (e) {
    src.close?.();
    throw e instanceof InvalidJarError ? new InvalidJarError(`error in opening zip file: ${e.message}`) : e;
  }
}

/** A jar held in memory (a fetched artifact). */
export function readJar(bytes: Uint8Array): JarInfo {
  return infoOf(open(bytesSource(bytes)));
}

/**
 * A jar on disk: reads the central directory and the manifest only; class files are read when
 * asked for. The file stays open until `close()`.
 */
export function readJarFile(path: string): JarInfo & { close(): void } {
  const src = fileSource(path);
  const dir = open(src);
  return { ...infoOf(dir), close: () => src.close?.() };
}

/** PackagedProgram: the entry point from the manifest, "program-class" first, then "Main-Class". */
export function manifestEntryClass(manifest: Record<string, string>): string | undefined {
  const lower = Object.fromEntries(Object.entries(manifest).map(([k, v]) => [k.toLowerCase(), v]));
  return lower['program-class'] ?? lower['main-class'];
}

/**
 * The classes through which a user's main method builds a Flink job: its execution environments
 * (DataStream, DataSet and Table API, Java and Scala). The sim cannot run Java; a main class
 * whose constant pool names one of these, directly or through other classes of the same jar,
 * is taken to build a job; one that names none builds none.
 */
export const FLINK_ENVIRONMENTS = [
  'org/apache/flink/streaming/api/environment/StreamExecutionEnvironment',
  'org/apache/flink/streaming/api/environment/LocalStreamEnvironment',
  'org/apache/flink/streaming/api/environment/RemoteStreamEnvironment',
  'org/apache/flink/api/java/ExecutionEnvironment',
  'org/apache/flink/api/java/LocalEnvironment',
  'org/apache/flink/api/java/RemoteEnvironment',
  'org/apache/flink/table/api/TableEnvironment',
  'org/apache/flink/table/api/bridge/java/StreamTableEnvironment',
  'org/apache/flink/table/api/bridge/scala/StreamTableEnvironment',
  'org/apache/flink/streaming/api/scala/StreamExecutionEnvironment',
  'org/apache/flink/api/scala/ExecutionEnvironment',
];

/**
 * Whether the entry class of a jar builds a Flink job: its class file, or a class of the jar it
 * names (transitively, up to `limit` classes), names one of FLINK_ENVIRONMENTS in its constant pool.
 * A class file that is not valid counts as building none.
 */
export function buildsFlinkJob(jar: JarInfo, entryClass: string, limit = 500): boolean {
  return analyseMain(jar, entryClass, limit).buildsJob;
}

/**
 * What the sim can tell about a main without running it: whether it builds a job (see
 * buildsFlinkJob) and the job name it passes to `env.execute(name)`, when it passes a constant.
 */
export function analyseMain(jar: JarInfo, entryClass: string, limit = 500): { buildsJob: boolean; jobName?: string } {
  if (!jar.readEntry) return { buildsJob: true };
  const envs = new Set(FLINK_ENVIRONMENTS);
  const seen = new Set<string>();
  const queue = [entryClass.replace(/\./g, '/')];
  let buildsJob = false;
  let jobName: string | undefined;
  while (queue.length && seen.size < limit) {
    const internal = queue.shift()!;
    if (seen.has(internal)) continue;
    seen.add(internal);
    const bytes = jar.readEntry(`${internal}.class`);
    if (!bytes) continue;
    let cp: ReturnType<typeof readConstantPool>;
    try {
      cp = readConstantPool(bytes);
    } catch (e) {
      if (e instanceof ClassFormatError) continue;
      throw e;
    }
    for (const c of cp.classes) {
      if (envs.has(c)) buildsJob = true;
      if (!seen.has(c) && jar.classes.has(c.replace(/\//g, '.'))) queue.push(c);
    }
    if (cp.classes.size && [...cp.classes].some((c) => envs.has(c))) jobName ??= cp.executeNames[0];
  }
  return { buildsJob, jobName };
}
