// Test jars built in Node: zip archives (stored entries) with META-INF/MANIFEST.MF naming the
// Main-Class, and that class as a real class file whose constant pool names Flink's
// StreamExecutionEnvironment (what a main() that builds a streaming job references), unless
// `buildsJob: false` (a main that only prints: no Flink job).
import { crc32 } from 'node:zlib';

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

/** A minimal class file (Java 11, major 55): `public class <name>` with a constant pool naming what main() calls. */
export function classFile(className: string, buildsJob = true): Buffer {
  const internal = className.replace(/\./g, '/');
  const pool: Buffer[] = [];
  const utf8 = (s: string) => {
    const bytes = Buffer.from(s, 'utf8');
    pool.push(Buffer.concat([Buffer.from([1]), u16(bytes.length), bytes]));
    return pool.length;
  };
  const cls = (name: string) => {
    const n = utf8(name);
    pool.push(Buffer.concat([Buffer.from([7]), u16(n)]));
    return pool.length;
  };
  const methodRef = (owner: number, name: string, descriptor: string) => {
    const nameIdx = utf8(name);
    const descIdx = utf8(descriptor);
    pool.push(Buffer.concat([Buffer.from([12]), u16(nameIdx), u16(descIdx)]));
    const nat = pool.length;
    pool.push(Buffer.concat([Buffer.from([10]), u16(owner), u16(nat)]));
    return pool.length;
  };
  const thisClass = cls(internal);
  const superClass = cls('java/lang/Object');
  utf8('main');
  utf8('([Ljava/lang/String;)V');
  if (buildsJob) {
    const env = 'org/apache/flink/streaming/api/environment/StreamExecutionEnvironment';
    const envClass = cls(env);
    methodRef(envClass, 'getExecutionEnvironment', `()L${env};`);
    methodRef(envClass, 'execute', '(Ljava/lang/String;)Lorg/apache/flink/api/common/JobExecutionResult;');
  } else {
    const out = cls('java/io/PrintStream');
    methodRef(out, 'println', '(Ljava/lang/String;)V');
  }
  return Buffer.concat([
    Buffer.from([0xca, 0xfe, 0xba, 0xbe]),
    u16(0),
    u16(55),
    u16(pool.length + 1),
    ...pool,
    u16(0x0021), // ACC_PUBLIC | ACC_SUPER
    u16(thisClass),
    u16(superClass),
    u16(0), // interfaces
    u16(0), // fields
    u16(0), // methods
    u16(0), // attributes
  ]);
}

/** A zip archive of stored (uncompressed) entries. */
export function zip(entries: { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x21, 12); // date: 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += local.length + name.length + e.data.length;
  }
  const centralSize = centrals.reduce((a, b) => a + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

export function manifest(mainClass?: string): Buffer {
  return Buffer.from(`Manifest-Version: 1.0\r\nCreated-By: flink-dashboard tests\r\n${mainClass ? `Main-Class: ${mainClass}\r\n` : ''}\r\n`);
}

/** A jar whose manifest names `mainClass` and which holds that class (and `extraClasses`). */
export function testJar(mainClass: string, opts: { buildsJob?: boolean; extraClasses?: string[]; padding?: number } = {}): Buffer {
  const classEntry = (c: string) => ({ name: `${c.replace(/\./g, '/')}.class`, data: classFile(c, opts.buildsJob ?? true) });
  return zip([
    { name: 'META-INF/MANIFEST.MF', data: manifest(mainClass) },
    classEntry(mainClass),
    ...(opts.extraClasses ?? []).map(classEntry),
    // Bulk, so an upload takes long enough for its progress to be seen.
    ...(opts.padding ? [{ name: 'data/padding.bin', data: Buffer.alloc(opts.padding, 7) }] : []),
  ]);
}
