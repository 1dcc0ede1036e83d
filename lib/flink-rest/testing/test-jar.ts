// Test support: a tiny job jar built in Node (fflate), and the multipart body Flink's /jars/upload reads.
import { randomBytes } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';

const u16 = (n: number) => [(n >> 8) & 0xff, n & 0xff];
function utf8Entry(text: string): number[] {
  const bytes = [...Buffer.from(text, 'utf8')];
  return [1, ...u16(bytes.length), ...bytes];
}

/**
 * A minimal valid class file `entryClass` (extends Object) whose constant pool names Flink's
 * StreamExecutionEnvironment, as the class of a real job's main would: a program that builds a Flink job.
 */
export function jobClassFile(entryClass: string): Uint8Array {
  const self = entryClass.replace(/\./g, '/');
  const pool = [
    utf8Entry(self), // #1
    [7, ...u16(1)], // #2 Class self
    utf8Entry('java/lang/Object'), // #3
    [7, ...u16(3)], // #4 Class Object
    utf8Entry('org/apache/flink/streaming/api/environment/StreamExecutionEnvironment'), // #5
    [7, ...u16(5)], // #6 Class StreamExecutionEnvironment
  ];
  return new Uint8Array([
    0xca, 0xfe, 0xba, 0xbe, ...u16(0), ...u16(55), // magic, Java 11
    ...u16(pool.length + 1),
    ...pool.flat(),
    ...u16(0x0021), ...u16(2), ...u16(4), // public super, this, super
    ...u16(0), ...u16(0), ...u16(0), ...u16(0), // interfaces, fields, methods, attributes
  ]);
}

/** A jar whose manifest names `entryClass` as Main-Class. */
export function testJar(entryClass: string): Uint8Array {
  return zipSync({
    'META-INF/MANIFEST.MF': strToU8(`Manifest-Version: 1.0\r\nMain-Class: ${entryClass}\r\n\r\n`),
    [`${entryClass.replace(/\./g, '/')}.class`]: jobClassFile(entryClass),
  });
}

/** multipart/form-data with one `jarfile` part, as Flink's web UI sends it. */
export function jarUploadBody(fileName: string, jar: Uint8Array): { body: Uint8Array; contentType: string } {
  const boundary = `----flinkdash${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="jarfile"; filename="${fileName}"\r\nContent-Type: application/x-java-archive\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { body: new Uint8Array(Buffer.concat([head, Buffer.from(jar), tail])), contentType: `multipart/form-data; boundary=${boundary}` };
}
