// Real jars for tests, written in Node: META-INF/MANIFEST.MF and valid class files (classfile.ts)
// whose constant pool names what their main method uses. (The dashboard's tests have their own
// independent writer in e2e/support/test-jars.ts: sim/ and the app share no code.)
import { zipSync, strToU8 } from 'fflate';
import { writeMainClass } from './classfile';

export interface TestJarOptions {
  /** the manifest's Main-Class (omitted: no Main-Class line) */
  mainClass?: string;
  /** job name passed to env.execute (stream jobs) */
  jobName?: string;
  /** more classes in the jar, each with a main that builds a streaming job */
  extraClasses?: string[];
}

const manifest = (main?: string) => strToU8(`Manifest-Version: 1.0\r\nCreated-By: sim/flink testing-jars\r\n${main ? `Main-Class: ${main}\r\n` : ''}\r\n`);
const classPath = (binaryName: string) => binaryName.replace(/\./g, '/') + '.class';

/** A jar whose main builds a streaming job (names StreamExecutionEnvironment and calls execute). */
export function streamJobJar(entryClass: string, opts: TestJarOptions = {}): Uint8Array {
  const files: Record<string, Uint8Array> = { 'META-INF/MANIFEST.MF': manifest(opts.mainClass ?? entryClass) };
  files[classPath(entryClass)] = writeMainClass({ className: entryClass, body: { kind: 'stream-job', jobName: opts.jobName } });
  for (const c of opts.extraClasses ?? []) files[classPath(c)] = writeMainClass({ className: c, body: { kind: 'stream-job' } });
  return zipSync(files);
}

/** A jar whose main only prints a line: it builds no Flink job. */
export function printOnlyJar(entryClass: string, message = 'Hello from a jar without a Flink job'): Uint8Array {
  return zipSync({
    'META-INF/MANIFEST.MF': manifest(entryClass),
    [classPath(entryClass)]: writeMainClass({ className: entryClass, body: { kind: 'print', message } }),
  });
}

/** A jar whose main calls `<delegate>.main(args)`, a second class of the jar that builds a streaming job. */
export function delegatingJar(entryClass: string, delegate: string): Uint8Array {
  return zipSync({
    'META-INF/MANIFEST.MF': manifest(entryClass),
    [classPath(entryClass)]: writeMainClass({ className: entryClass, body: { kind: 'call', callClass: delegate } }),
    [classPath(delegate)]: writeMainClass({ className: delegate, body: { kind: 'stream-job' } }),
  });
}
