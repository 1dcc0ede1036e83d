import Busboy from 'busboy';
import { describe, expect, it, vi } from 'vitest';
import { testJar } from '@/e2e/support/jar-files';
import { readMaxJarBytes } from './jar-limits';
import { jarIdSchema, jarRunSchema } from './jar-schemas';
import { buildJarEnvelope, startsLikeZip } from './multipart';

vi.mock('server-only', () => ({}));
const { plainFlinkMessage } = await import('./flink-jar-calls');
const { toRunJarInput } = await import('./cluster-jars');
const { toRunJarBody } = await import('@/lib/flink-rest/versions');

// Flink's error bodies as the handlers write them (AbstractHandler / AbstractRestHandler).
const wrongEntryClass = [
  'Internal server error.',
  "<Exception on server side:\njava.util.concurrent.CompletionException: org.apache.flink.client.program.ProgramInvocationException: The program's entry point class 'com.example.Missing' was not found in the jar file.\n\tat org.apache.flink.runtime.webmonitor.handlers.utils.JarHandlerUtils$JarHandlerContext.toPackagedProgram(JarHandlerUtils.java:196)\nCaused by: org.apache.flink.client.program.ProgramInvocationException: The program's entry point class 'com.example.Missing' was not found in the jar file.\n\t... 40 more\n\nEnd of exception on server side>",
];
const duplicate = [
  'org.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute application.\n\tat org.apache.flink.runtime.rest.handler.AbstractRestHandler.respondToRequest(AbstractRestHandler.java:83)\nCaused by: org.apache.flink.runtime.client.DuplicateJobSubmissionException: Job has already been submitted.\n\t... 12 more\n',
];

describe('jar pure parts', () => {
  it("turn Flink's errors into one plain line without Java class names", () => {
    expect(plainFlinkMessage(wrongEntryClass)).toBe("The program's entry point class 'com.example.Missing' was not found in the jar file.");
    expect(plainFlinkMessage(duplicate)).toBe('Could not execute application. Job has already been submitted.');
    expect(plainFlinkMessage(['Only Jar files are allowed.'])).toBe('Only Jar files are allowed.');
    expect(plainFlinkMessage(['Internal server error.'])).toBe('The JobManager refused the request.');
  });

  it('write the run body of the cluster’s version: restoreMode before 1.20, claimMode from 1.20', () => {
    const input = jarRunSchema.parse({ jobId: 'A'.repeat(32), savepointPath: 's3://b/sp-1', restoreMode: 'CLAIM', allowNonRestoredState: true, parallelism: 2, programArgs: ['a b'] });
    expect(toRunJarBody('1.19', toRunJarInput(input))).toEqual({ jobId: 'a'.repeat(32), programArgsList: ['a b'], parallelism: 2, savepointPath: 's3://b/sp-1', allowNonRestoredState: true, restoreMode: 'CLAIM' });
    expect(toRunJarBody('1.20', toRunJarInput(input))).toMatchObject({ claimMode: 'CLAIM' });
    expect(toRunJarBody('2.3', toRunJarInput(input))).not.toHaveProperty('restoreMode');
    // without a savepoint the restore options mean nothing and are not sent
    expect(toRunJarInput(jarRunSchema.parse({ jobId: 'b'.repeat(32), restoreMode: 'CLAIM', allowNonRestoredState: true }))).toEqual({ jobId: 'b'.repeat(32), programArgs: [] });
  });

  it('read the size limit from the environment, in bytes or binary units', () => {
    expect(readMaxJarBytes({})).toBe(512 * 1024 * 1024);
    expect(readMaxJarBytes({ FLINK_DASHBOARD_MAX_JAR_BYTES: '300MiB' })).toBe(300 * 1024 * 1024);
    expect(readMaxJarBytes({ FLINK_DASHBOARD_MAX_JAR_BYTES: '1048576' })).toBe(1048576);
    expect(() => readMaxJarBytes({ FLINK_DASHBOARD_MAX_JAR_BYTES: 'lots' })).toThrow(/FLINK_DASHBOARD_MAX_JAR_BYTES is a size in bytes/);
  });

  it('accept only Flink’s jar ids', () => {
    expect(jarIdSchema.safeParse('0f4c2a9e-1d2b-4c3d-8e9f-001122334455_my job.jar').success).toBe(true);
    for (const bad of ['../config', 'x.jar', '0f4c2a9e-1d2b-4c3d-8e9f-001122334455_a/b.jar', '0f4c2a9e-1d2b-4c3d-8e9f-001122334455_a.zip']) expect(jarIdSchema.safeParse(bad).success).toBe(false);
  });

  it('build the multipart envelope Flink reads: one file part named jarfile, bytes intact', async () => {
    const jar = testJar('com.example.Job');
    expect(startsLikeZip(jar)).toBe(true);
    expect(startsLikeZip(Buffer.from('hello'))).toBe(false);
    const envelope = buildJarEnvelope('my job.jar');
    const parsed = await new Promise<{ field: string; filename: string; mimeType: string; data: Buffer }>((resolve, reject) => {
      const bb = Busboy({ headers: { 'content-type': envelope.contentType } });
      bb.on('file', (field, stream, info) => {
        const chunks: Buffer[] = [];
        stream.on('data', (d: Buffer) => chunks.push(d));
        stream.on('end', () => resolve({ field, filename: info.filename ?? '', mimeType: info.mimeType, data: Buffer.concat(chunks) }));
      });
      bb.on('error', reject);
      bb.end(Buffer.concat([envelope.head, jar, envelope.tail]));
    });
    expect(parsed).toEqual({ field: 'jarfile', filename: 'my job.jar', mimeType: 'application/x-java-archive', data: jar });
  });
});
