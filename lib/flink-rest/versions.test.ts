import { describe, expect, it } from 'vitest';
import { shortFlinkMessage, toFlinkRestError } from './errors';
import { flinkMinor, restLineFor, toCheckpointStatus, toRunJarBody, toSavepointStatus } from './versions';

describe('restLineFor: /config flink-version picks the spec', () => {
  it('maps every supported minor, 2.1 and 2.2 onto the 2.0 line', () => {
    expect(['1.19.3', '1.20.1', '2.0.1', '2.1.1', '2.2.0', '2.3.0', '2.3-SNAPSHOT'].map(restLineFor)).toEqual(['1.19', '1.20', '2.0', '2.0', '2.0', '2.3', '2.3']);
    expect(flinkMinor('1.20.1')).toBe('1.20');
  });
  it('refuses other versions in plain words', () => {
    expect(() => restLineFor('1.18.1')).toThrow('This JobManager runs Flink 1.18.1; the dashboard speaks Flink 1.19, 1.20, 2.0, 2.1, 2.2, 2.3.');
    expect(() => restLineFor('')).toThrow(/runs Flink \(no version\)/);
  });
});

describe('toRunJarBody: one form, the field names of each line', () => {
  const input = { entryClass: 'org.example.Job', programArgs: ['--in', 'a b'], parallelism: 2, restoreMode: 'NO_CLAIM' as const, savepointPath: 's3://sp/1' };
  it('1.19 says restoreMode, 1.20+ claimMode; args always as a list (2.0 removed the string)', () => {
    expect(toRunJarBody('1.19', input)).toEqual({ entryClass: 'org.example.Job', programArgsList: ['--in', 'a b'], parallelism: 2, savepointPath: 's3://sp/1', restoreMode: 'NO_CLAIM' });
    for (const line of ['1.20', '2.0', '2.3'] as const) {
      expect(toRunJarBody(line, input)).toEqual({ entryClass: 'org.example.Job', programArgsList: ['--in', 'a b'], parallelism: 2, savepointPath: 's3://sp/1', claimMode: 'NO_CLAIM' });
    }
  });
  it('leaves out what the form left empty', () => {
    expect(toRunJarBody('2.0', { programArgs: [], flinkConfiguration: {} })).toEqual({});
  });
});

describe('async operation results', () => {
  it('a failed savepoint is COMPLETED with failure-cause on the wire, FAILED here with its first line and the trace as detail', () => {
    const trace = 'java.util.concurrent.CompletionException: org.apache.flink.runtime.checkpoint.CheckpointException: Checkpoint triggering task Source (1/1) is not being executed at the moment.\n\tat x.y(Z.java:1)';
    expect(toSavepointStatus({ status: { id: 'COMPLETED' }, operation: { 'failure-cause': { class: 'java.util.concurrent.CompletionException', 'stack-trace': trace } } })).toEqual({
      status: 'FAILED',
      failure: { message: trace.split('\n')[0], detail: trace },
    });
    expect(toSavepointStatus({ status: { id: 'COMPLETED' }, operation: { location: 's3://sp/savepoint-1' } })).toEqual({ status: 'COMPLETED', location: 's3://sp/savepoint-1' });
    expect(toSavepointStatus({ status: { id: 'IN_PROGRESS' } })).toEqual({ status: 'IN_PROGRESS' });
  });
  it('a checkpoint uses camelCase failureCause and checkpointId', () => {
    expect(toCheckpointStatus({ status: { id: 'COMPLETED' }, operation: { checkpointId: 7 } })).toEqual({ status: 'COMPLETED', checkpointId: 7 });
    expect(toCheckpointStatus({ status: { id: 'COMPLETED' }, operation: { failureCause: { class: 'X', 'stack-trace': 'X: no\n\tat' } } })).toMatchObject({ status: 'FAILED', failure: { message: 'X: no' } });
  });
});

describe("Flink's errors in plain words", () => {
  it('first line, without the Java exception class', () => {
    expect(shortFlinkMessage('org.apache.flink.runtime.rest.handler.RestHandlerException: Jar file /tmp/x.jar does not exist\n\tat a')).toBe('Jar file /tmp/x.jar does not exist');
    expect(shortFlinkMessage('Internal server error.')).toBe('Internal server error.');
    expect(shortFlinkMessage('java.lang.NullPointerException')).toBe('java.lang.NullPointerException');
  });
  it("the API server proxy's own answers", () => {
    const status = (code: number, message: string, kind?: string) => JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, code, ...(kind ? { details: { name: 'x-rest', kind } } : {}) });
    const svc = { kind: 'service' as const, name: 'x-rest', namespace: 'ns1', server: 'https://k8s:6443' };
    expect(toFlinkRestError(503, status(503, 'no endpoints available for service "x-rest"'), svc).message).toBe('The JobManager is not ready yet: Service "x-rest" has no ready endpoint.');
    expect(toFlinkRestError(503, status(503, 'error trying to reach service: dial tcp 10.0.0.1:8081: connect: connection refused'), svc).message).toBe(
      'The JobManager pod is running but its REST API does not accept connections (yet).',
    );
    expect(toFlinkRestError(404, status(404, 'services "x-rest" not found', 'services'), svc)).toMatchObject({ message: 'Service "x-rest" (the JobManager\'s REST API) does not exist.', code: 'not_found' });
    expect(toFlinkRestError(403, status(403, 'services "x-rest" is forbidden: User "u" cannot get resource "services/proxy"'), svc).message).toBe(
      "You may not get services/proxy in namespace ns1, which reaching the JobManager's REST API needs.",
    );
    // The proxy's RBAC verb is the HTTP method's: a cancel (PATCH) refused says patch, a stop (POST) create.
    expect(toFlinkRestError(403, status(403, 'services "x-rest" is forbidden'), svc, 'PATCH').message).toBe(
      "You may not patch services/proxy in namespace ns1, which reaching the JobManager's REST API needs.",
    );
    expect(toFlinkRestError(403, status(403, 'services "x-rest" is forbidden'), svc, 'POST').message).toBe(
      "You may not create services/proxy in namespace ns1, which reaching the JobManager's REST API needs.",
    );
    expect(toFlinkRestError(401, status(401, 'Unauthorized'), svc).message).toBe('The API server at https://k8s:6443 did not accept the credentials of this context.');
    expect(toFlinkRestError(500, status(500, 'etcdserver: request timed out'), svc).message).toBe('The Kubernetes API server answered 500: etcdserver: request timed out');
  });
});
