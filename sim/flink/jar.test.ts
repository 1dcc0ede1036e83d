import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { Zip, ZipPassThrough, ZipDeflate, zipSync, strToU8 } from 'fflate';
import { readConstantPool, writeMainClass, ClassFormatError } from './classfile';
import { analyseMain, buildsFlinkJob, manifestEntryClass, readJar, readJarFile, InvalidJarError, FLINK_ENVIRONMENTS } from './jar';
import { delegatingJar, printOnlyJar, streamJobJar } from './testing-jars';

const dir = mkdtempSync(path.join(tmpdir(), 'sim-jar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('class files', () => {
  it('a written main class is a Java 8 class file whose constant pool names what main calls', () => {
    const bytes = writeMainClass({ className: 'com.example.Job', body: { kind: 'stream-job', jobName: 'x' } });
    expect([...bytes.subarray(0, 8)]).toEqual([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52]);
    const cp = readConstantPool(bytes);
    expect(cp.thisClass).toBe('com/example/Job');
    expect(cp.classes).toContain('org/apache/flink/streaming/api/environment/StreamExecutionEnvironment');
    expect(cp.classes).toContain('java/lang/Object');
    // types named only in descriptors count too
    expect(cp.classes).toContain('org/apache/flink/api/common/JobExecutionResult');
    const print = readConstantPool(writeMainClass({ className: 'com.example.Hello', body: { kind: 'print' } }));
    expect([...print.classes].sort()).toEqual(['com/example/Hello', 'java/io/PrintStream', 'java/lang/Object', 'java/lang/String', 'java/lang/System']);
  });

  it('reads longs, doubles and method handles in the pool (two-slot constants) and rejects what is not a class file', () => {
    // a hand-made pool: #1 Long (takes #1 and #2), #3 Utf8 "A", #4 Class #3, #5 MethodHandle, #6 Utf8 "()V", #7 MethodType #6
    const pool = [5, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 0x41, 7, 0, 3, 15, 6, 0, 4, 1, 0, 3, 0x28, 0x29, 0x56, 16, 0, 6];
    const bytes = new Uint8Array([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52, 0, 8, ...pool, 0, 0x21, 0, 4, 0, 0]);
    expect(readConstantPool(bytes)).toEqual({ thisClass: 'A', classes: new Set(['A']), executeNames: [] });
    expect(() => readConstantPool(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]))).toThrow(ClassFormatError);
    expect(() => readConstantPool(bytes.subarray(0, 20))).toThrow(/Truncated class file/);
  });
});

describe('jars', () => {
  it('reads manifest and classes; Program-Class wins over Main-Class', () => {
    const bytes = zipSync({
      'META-INF/MANIFEST.MF': strToU8('Manifest-Version: 1.0\r\nMain-Class: com.example.Main\r\nProgram-Class: com.example.Job\r\n'),
      'com/example/Job.class': new Uint8Array([0xca, 0xfe, 0xba, 0xbe]),
    });
    const j = readJar(bytes);
    expect(manifestEntryClass(j.manifest)).toBe('com.example.Job');
    expect([...j.classes]).toEqual(['com.example.Job']);
  });

  it('a main that names a Flink execution environment builds a job; one that only prints builds none', () => {
    expect(buildsFlinkJob(readJar(streamJobJar('com.example.Job')), 'com.example.Job')).toBe(true);
    expect(buildsFlinkJob(readJar(printOnlyJar('com.example.Hello')), 'com.example.Hello')).toBe(false);
    // through another class of the jar
    expect(buildsFlinkJob(readJar(delegatingJar('com.example.Main', 'com.example.Pipeline')), 'com.example.Main')).toBe(true);
    // an entry class that is no valid class file builds none
    const broken = readJar(zipSync({ 'com/example/X.class': new Uint8Array([0xca, 0xfe, 0xba, 0xbe, 0, 0]) }));
    expect(buildsFlinkJob(broken, 'com.example.X')).toBe(false);
    expect(FLINK_ENVIRONMENTS).toContain('org/apache/flink/table/api/TableEnvironment');
  });

  it('reads the job name a main passes to env.execute(name), also through a delegate class', () => {
    expect(readConstantPool(writeMainClass({ className: 'a.B', body: { kind: 'stream-job', jobName: 'Nightly ETL' } })).executeNames).toEqual(['Nightly ETL']);
    expect(readConstantPool(writeMainClass({ className: 'a.B', body: { kind: 'print', message: 'execute' } })).executeNames).toEqual([]);
    expect(analyseMain(readJar(streamJobJar('com.example.Job', { jobName: 'Nightly ETL' })), 'com.example.Job')).toEqual({ buildsJob: true, jobName: 'Nightly ETL' });
    expect(analyseMain(readJar(delegatingJar('com.example.Main', 'com.example.Pipeline')), 'com.example.Main')).toEqual({ buildsJob: true, jobName: 'Pipeline' });
    expect(analyseMain(readJar(printOnlyJar('com.example.Hello')), 'com.example.Hello')).toEqual({ buildsJob: false, jobName: undefined });
  });

  it('reads deflated and stored entries from a file on disk, and says when a file is no zip', () => {
    const file = path.join(dir, 'j.jar');
    writeFileSync(file, zipSync({ 'META-INF/MANIFEST.MF': strToU8('Main-Class: a.B\r\n'), 'a/B.class': writeMainClass({ className: 'a.B', body: { kind: 'print' } }) }, { level: 9 }));
    const j = readJarFile(file);
    expect(j.manifest['Main-Class']).toBe('a.B');
    expect(readConstantPool(j.readEntry!('a/B.class')!).thisClass).toBe('a/B');
    j.close();
    const text = path.join(dir, 'text.jar');
    writeFileSync(text, 'this is not a zip\n');
    expect(() => readJarFile(text)).toThrow(InvalidJarError);
    expect(() => readJarFile(text)).toThrow('error in opening zip file: zip END header not found');
  });

  it('reads the manifest of a 300 MiB jar without loading it (central directory only)', { timeout: 120_000 }, async () => {
    const file = path.join(dir, 'big.jar');
    const out = createWriteStream(file);
    const zip = new Zip((err, chunk) => {
      if (err) throw err;
      out.write(chunk);
    });
    const mf = new ZipDeflate('META-INF/MANIFEST.MF');
    zip.add(mf);
    mf.push(strToU8('Manifest-Version: 1.0\r\nMain-Class: big.Job\r\n\r\n'), true);
    const cls = new ZipPassThrough('big/Job.class');
    zip.add(cls);
    cls.push(writeMainClass({ className: 'big.Job', body: { kind: 'stream-job' } }), true);
    const blob = new ZipPassThrough('lib/blob.bin');
    zip.add(blob);
    const chunk = new Uint8Array(1 << 20).fill(7);
    for (let i = 0; i < 300; i++) {
      blob.push(chunk, i === 299);
      if (out.writableNeedDrain) await once(out, 'drain');
    }
    zip.end();
    out.end();
    await once(out, 'finish');
    const before = process.memoryUsage();
    const j = readJarFile(file);
    const after = process.memoryUsage();
    expect(j.manifest['Main-Class']).toBe('big.Job');
    expect(buildsFlinkJob(j, 'big.Job')).toBe(true);
    j.close();
    // nothing near the jar's size was allocated to read it
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(8 << 20);
    expect(after.rss - before.rss).toBeLessThan(64 << 20);
  });
});
