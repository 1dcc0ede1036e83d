import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCluster, createNamespaceWithSa, flinkRest, jarForm, startFlinkSim, testJar, waitFor, type FlinkTestSim } from './testing';
import { printOnlyJar } from './testing-jars';
import { FlinkContract, specFileFor, type ContractIssue } from './contract';

let t: FlinkTestSim;
beforeAll(async () => {
  t = await startFlinkSim();
});
afterAll(async () => {
  await t?.stop();
});

/**
 * Where real Flink answers differently from its own OpenAPI document (and the sim follows Flink):
 * - TaskManager ids are pod names, not 32-hex ResourceIDs (KubernetesResourceManagerDriver);
 * - checkpoint "mode" is lower-case (CheckpointConfigInfo.ProcessingModeSerializer);
 * - slotSharingGroupId is a hex string (SlotSharingGroupIDSerializer), not the object the generator shows;
 * - execution-result uses JobResultSerializer's keys (id, application-status, net-runtime, ...), not JobResult's fields;
 * - nullable fields are written as null (JarEntryInfo.description, LatestCheckpoints.failed/savepoint/restored), the
 *   generator does not mark them nullable;
 * - /jobs/:id/metrics is a JSON array (MetricCollectionResponseBody.Serializer), the spec shows an object;
 * - ApplicationIDs are hex strings (ApplicationIDSerializer), the spec shows ApplicationID's fields (2.3).
 */
function isKnownDeviation(i: ContractIssue, urlPath: string): boolean {
  return (
    (i.schemaPath.includes('/ResourceID/pattern') && /taskmanagers\/\d+\/id$|^\/id$/.test(i.instancePath)) ||
    (i.schemaPath.includes('/ProcessingMode/enum') && i.instancePath === '/mode') ||
    (i.schemaPath.includes('/SlotSharingGroupId/type') && i.instancePath.endsWith('/slotSharingGroupId')) ||
    (i.schemaPath.includes('JarEntryInfo/properties/description/type') && i.message === 'must be string') ||
    (/^\/latest\/(failed|savepoint|restored|completed)$/.test(i.instancePath) && i.message === 'must be object') ||
    (/\/metrics(\?|$)/.test(urlPath) && i.instancePath === '' && i.message === 'must be object') ||
    (i.schemaPath.includes('/ApplicationID/type') && i.message === 'must be object')
  );
}

const VERSIONS = [
  ['1.19', 'flink:1.19.3'],
  ['1.20', 'flink:1.20.3'],
  ['2.0', 'flink:2.0.1'],
  ['2.3', 'flink:2.3.0'],
] as const;

describe('REST responses match the OpenAPI of each version', { timeout: 180_000 }, () => {
  for (const [minor, image] of VERSIONS) {
    it(`Flink ${minor}`, async () => {
      const { client, sim } = t;
      const ns = `contract-${minor.replace('.', '-')}`;
      const cid = `c-${minor.replace('.', '-')}`;
      await createNamespaceWithSa(client, ns, 'flink');
      await applyCluster(client, { ns, cid, image, sa: 'flink', conf: { 'execution.checkpointing.interval': '200 ms', 'execution.checkpointing.dir': `s3://cp/${cid}`, 'restart-strategy.type': 'fixed-delay', 'restart-strategy.fixed-delay.attempts': 3, 'restart-strategy.fixed-delay.delay': '100 ms' } });
      await waitFor(async () => (await flinkRest(sim, ns, cid, '/config')).status === 200, 'REST');
      const contract = new FlinkContract(specFileFor(image.split(':')[1]));
      const problems: string[] = [];
      const call = async (method: string, p: string, init: { body?: unknown; form?: FormData } = {}) => {
        const r = await flinkRest(sim, ns, cid, p, { method, ...init });
        if (r.status >= 400) {
          expect(Array.isArray(r.body.errors)).toBe(true);
          return r;
        }
        const issues = contract.check(method, p, r.status, r.body);
        if (issues === undefined) problems.push(`${method} ${p}: not in the spec`);
        else for (const i of issues.filter((x) => !isKnownDeviation(x, p))) problems.push(`${method} ${p} ${r.status}: ${i.instancePath} ${i.message} (${i.schemaPath})`);
        return r;
      };
      const up = await call('POST', '/jars/upload', { form: jarForm('job.jar', testJar('org.example.Job')) });
      const jarId = up.body.filename.split('/').pop();
      await call('GET', '/jars');
      await call('POST', `/jars/${jarId}/plan`, { body: {} });
      const run = await call('POST', `/jars/${jarId}/run`, { body: { parallelism: 1 } });
      const jobId = run.body.jobid;
      await waitFor(async () => {
        const r = await flinkRest(sim, ns, cid, `/jobs/${jobId}/checkpoints`);
        return r.body?.counts?.completed > 0;
      }, 'a checkpoint');
      // manual checkpoint (CheckpointHandlers, 1.17+): 202 with the client's trigger id, then CheckpointInfo
      const cpTrigger = 'ab'.repeat(16);
      const trig = await call('POST', `/jobs/${jobId}/checkpoints`, { body: { checkpointType: 'FULL', triggerId: cpTrigger } });
      expect(trig).toEqual({ status: 202, body: { 'request-id': cpTrigger } });
      const cpDone = await waitFor(async () => {
        const r = await flinkRest(sim, ns, cid, `/jobs/${jobId}/checkpoints/${cpTrigger}`);
        return r.body?.status?.id === 'COMPLETED' ? r.body : undefined;
      }, 'manual checkpoint');
      await call('GET', `/jobs/${jobId}/checkpoints/${cpTrigger}`);
      // CheckpointInfo is @JsonInclude(NON_NULL): no failureCause on success
      expect(Object.keys(cpDone.operation)).toEqual(['checkpointId']);
      const cpDetails = await call('GET', `/jobs/${jobId}/checkpoints/details/${cpDone.operation.checkpointId}`);
      expect(cpDetails.body).toMatchObject({ id: cpDone.operation.checkpointId, status: 'COMPLETED', is_savepoint: false, external_path: `s3://cp/${cid}/${jobId}/chk-${cpDone.operation.checkpointId}` });
      const noOp = await flinkRest(sim, ns, cid, `/jobs/${jobId}/checkpoints/${'0'.repeat(32)}`);
      expect(noOp.status).toBe(404);
      expect(noOp.body.errors[0]).toContain(`There is no checkpoint operation with triggerId=${'0'.repeat(32)} for job ${jobId}.`);
      const tmsBefore = await flinkRest(sim, ns, cid, '/taskmanagers');
      // vertex details (JobVertexDetailsHandler): one entry per subtask, on the job's TaskManager
      const details = (await flinkRest(sim, ns, cid, `/jobs/${jobId}`)).body;
      for (const v of details.vertices) {
        const vd = (await call('GET', `/jobs/${jobId}/vertices/${v.id}`)).body;
        expect(vd).toMatchObject({ id: v.id, name: v.name, parallelism: 1 });
        expect(vd.subtasks).toHaveLength(1);
        expect(vd.subtasks[0]).toMatchObject({ subtask: 0, status: 'RUNNING', attempt: 0, 'taskmanager-id': tmsBefore.body.taskmanagers[0].id });
        expect(vd.subtasks[0].endpoint).toMatch(/^\d+\.\d+\.\d+\.\d+:\d+$/);
        // "host" is deprecated in 1.x and gone in 2.0
        if (minor.startsWith('1.')) expect(vd.subtasks[0].endpoint.startsWith(`${vd.subtasks[0].host}:`)).toBe(true);
        else expect(vd.subtasks[0]).not.toHaveProperty('host');
      }
      const noVertex = await flinkRest(sim, ns, cid, `/jobs/${jobId}/vertices/${'0'.repeat(32)}`);
      expect(noVertex.status).toBe(404);
      expect(noVertex.body.errors[0]).toContain(`JobVertex ${'0'.repeat(32)} not found`);
      // a failure and a restart, for the exception history
      const failUrl = (id: string) => `${sim.url}/_sim/flink/jobs/${ns}/${cid}/${id}/fail`;
      const ctl = { method: 'POST', headers: { Authorization: `Bearer ${sim.adminToken}`, 'Content-Type': 'application/json' } };
      expect((await fetch(failUrl('0'.repeat(32)), { ...ctl, body: '{}' })).status).toBe(404);
      const failed = await fetch(failUrl(jobId), { ...ctl, body: JSON.stringify({ exceptionClass: 'java.io.IOException', message: 'disk on fire' }) });
      expect(failed.status).toBe(200);
      await waitFor(async () => (await flinkRest(sim, ns, cid, `/jobs/${jobId}`)).body.state === 'RUNNING', 'restarted');
      const exc = (await flinkRest(sim, ns, cid, `/jobs/${jobId}/exceptions`)).body;
      const e0 = exc.exceptionHistory.entries[0];
      expect(exc.exceptionHistory.truncated).toBe(false);
      expect(e0).toMatchObject({ exceptionName: 'java.io.IOException', taskName: 'Source: Custom Source (1/1)', taskManagerId: tmsBefore.body.taskmanagers[0].id, failureLabels: {}, concurrentExceptions: [] });
      expect(e0.stacktrace.startsWith('java.io.IOException: disk on fire\n\tat ')).toBe(true);
      expect(typeof e0.timestamp).toBe('number');
      expect(e0.endpoint).toMatch(/^\d+\.\d+\.\d+\.\d+:\d+$/);
      if (minor.startsWith('1.')) {
        // 1.x keeps the deprecated root fields and ExceptionInfo.location next to endpoint
        expect(e0.location).toBe(e0.endpoint);
        expect(exc['root-exception']).toBe(e0.stacktrace);
        expect(exc.timestamp).toBe(e0.timestamp);
        expect(exc['all-exceptions']).toEqual([]);
        expect(exc.truncated).toBe(false);
      } else {
        // removed in 2.0
        expect(Object.keys(exc)).toEqual(['exceptionHistory']);
        expect(e0).not.toHaveProperty('location');
      }
      for (const p of ['/config', '/overview', '/jobs', '/jobs/overview', `/jobs/${jobId}`, `/jobs/${jobId}/status`, `/jobs/${jobId}/exceptions`, `/jobs/${jobId}/checkpoints`, `/jobs/${jobId}/checkpoints/config`, `/jobs/${jobId}/execution-result`, `/jobs/${jobId}/metrics?get=numRestarts,uptime,downtime,lastCheckpointDuration`, '/taskmanagers', '/jobmanager/config', '/jobmanager/logs']) {
        await call('GET', p);
      }
      // ClusterOverview leaves the blocklist counts out while they are 0 (@JsonInclude(NON_DEFAULT))
      const overview = (await flinkRest(sim, ns, cid, '/overview')).body;
      expect(Object.keys(overview).sort()).toEqual(['flink-commit', 'flink-version', 'jobs-cancelled', 'jobs-failed', 'jobs-finished', 'jobs-running', 'slots-available', 'slots-total', 'taskmanagers']);
      // /jobmanager/config: the unique web.tmpdir and the memory kubernetes-jobmanager.sh passes as -D (1600m process size)
      const jmConf = Object.fromEntries(((await flinkRest(sim, ns, cid, '/jobmanager/config')).body as { key: string; value: string }[]).map((e) => [e.key, e.value]));
      expect(jmConf['web.tmpdir']).toMatch(/^\/tmp\/flink-web-[0-9a-f-]{36}$/);
      expect(jmConf).toMatchObject({
        'jobmanager.memory.process.size': '1600m',
        'jobmanager.memory.heap.size': '1073741824b',
        'jobmanager.memory.off-heap.size': '134217728b',
        'jobmanager.memory.jvm-metaspace.size': '268435456b',
        'jobmanager.memory.jvm-overhead.min': '201326592b',
        'jobmanager.memory.jvm-overhead.max': '201326592b',
      });
      const ex = await flinkRest(sim, ns, cid, `/jobs/${jobId}/exceptions`);
      expect(ex.body.exceptionHistory.entries[0].exceptionName).toBe('java.io.IOException');
      const metrics = await flinkRest(sim, ns, cid, `/jobs/${jobId}/metrics?get=numRestarts`);
      expect(metrics.body).toEqual([{ id: 'numRestarts', value: '1' }]);
      const tms = await flinkRest(sim, ns, cid, '/taskmanagers');
      await call('GET', `/taskmanagers/${tms.body.taskmanagers[0].id}`);
      const sp = await call('POST', `/jobs/${jobId}/savepoints`, { body: { 'target-directory': `s3://sp/${cid}`, 'cancel-job': false } });
      await waitFor(async () => (await flinkRest(sim, ns, cid, `/jobs/${jobId}/savepoints/${sp.body['request-id']}`)).body.status.id === 'COMPLETED', 'savepoint');
      await call('GET', `/jobs/${jobId}/savepoints/${sp.body['request-id']}`);
      // SavepointTriggerRequestBody.formatType (CANONICAL | NATIVE) shows as the savepoint's savepointFormat
      const nativeTrigger = 'ef'.repeat(16);
      expect(await call('POST', `/jobs/${jobId}/savepoints`, { body: { 'target-directory': `s3://sp/${cid}`, formatType: 'NATIVE', triggerId: nativeTrigger } })).toEqual({ status: 202, body: { 'request-id': nativeTrigger } });
      const nativeDone = await waitFor(async () => {
        const r = await flinkRest(sim, ns, cid, `/jobs/${jobId}/savepoints/${nativeTrigger}`);
        return r.body.status?.id === 'COMPLETED' ? r.body : undefined;
      }, 'native savepoint');
      const history = (await call('GET', `/jobs/${jobId}/checkpoints`)).body.history;
      expect(history.find((h: any) => h.external_path === nativeDone.operation.location)).toMatchObject({ is_savepoint: true, savepointFormat: 'NATIVE', checkpoint_type: 'SAVEPOINT' });
      const canonicalAt = (await flinkRest(sim, ns, cid, `/jobs/${jobId}/savepoints/${sp.body['request-id']}`)).body.operation.location;
      expect(history.find((h: any) => h.external_path === canonicalAt)).toMatchObject({ savepointFormat: 'CANONICAL' });
      expect(history.filter((h: any) => !h.is_savepoint).every((h: any) => !('savepointFormat' in h))).toBe(true);
      for (const [path, body] of [
        [`/jobs/${jobId}/savepoints`, { 'target-directory': 's3://sp/x', formatType: 'BINARY' }],
        [`/jobs/${jobId}/savepoints`, { 'target-directory': 's3://sp/x', triggerId: 'not-hex' }],
        [`/jobs/${jobId}/stop`, { targetDirectory: 's3://sp/x', drain: 'yes' }],
        [`/jobs/${jobId}/checkpoints`, { checkpointType: 'DIFFERENTIAL' }],
      ] as const) {
        const bad = await flinkRest(sim, ns, cid, path, { method: 'POST', body });
        expect([path, bad.status]).toEqual([path, 400]);
        expect(bad.body.errors[0]).toContain('Request did not match expected format');
      }
      // checkpointType INCREMENTAL is accepted like FULL
      const incTrigger = '12'.repeat(16);
      expect(await call('POST', `/jobs/${jobId}/checkpoints`, { body: { checkpointType: 'INCREMENTAL', triggerId: incTrigger } })).toEqual({ status: 202, body: { 'request-id': incTrigger } });
      await waitFor(async () => (await flinkRest(sim, ns, cid, `/jobs/${jobId}/checkpoints/${incTrigger}`)).body.status?.id === 'COMPLETED', 'incremental checkpoint');
      await call('PATCH', `/jobs/${jobId}?mode=cancel`);
      await waitFor(async () => (await flinkRest(sim, ns, cid, `/jobs/${jobId}/status`)).body.status === 'CANCELED', 'CANCELED');
      await call('GET', `/jobs/${jobId}/execution-result`);
      if (minor === '2.3') {
        // the job run from the jar is a SingleJobApplication whose id is the job id
        expect(run.body).toEqual({ jobid: jobId, applicationId: jobId });
        expect((await call('GET', `/jobs/${jobId}`)).body['application-id']).toBe(jobId);
        const overview = (await call('GET', '/applications/overview')).body;
        expect(overview.applications).toEqual([{ id: jobId, name: `SingleJobApplication(Job)`, 'start-time': expect.any(Number), 'end-time': expect.any(Number), duration: expect.any(Number), status: 'CANCELED', jobs: { CANCELED: 1 } }]);
        const app = (await call('GET', `/applications/${jobId}`)).body;
        expect(app).toMatchObject({ id: jobId, status: 'CANCELED', jobs: [{ jid: jobId, state: 'CANCELED' }] });
        expect(Object.keys(app.timestamps).sort()).toEqual(['CANCELED', 'CANCELLING', 'CREATED', 'FAILED', 'FAILING', 'FINISHED', 'RUNNING']);
        expect(await call('GET', `/applications/${jobId}/exceptions`)).toEqual({ status: 200, body: { exceptionHistory: { entries: [] } } });
        const appConf = (await call('GET', `/applications/${jobId}/jobmanager/config`)).body;
        expect(appConf).toEqual((await flinkRest(sim, ns, cid, '/jobmanager/config')).body);
        const again = await call('POST', `/applications/${jobId}/cancel`);
        expect(again.status).toBe(409);
        expect(again.body.errors[0]).toContain('Application cancellation failed because the application has already reached another terminal state (CANCELED).');
        // run-application: 202 with the application id; the program's job runs in it; cancel cancels it
        const appId = 'cd'.repeat(16);
        const ra = await call('POST', `/jars/${jarId}/run-application`, { body: { applicationId: appId, parallelism: 1 } });
        expect(ra).toEqual({ status: 202, body: { applicationid: appId } });
        const running = await waitFor(async () => {
          const r = (await flinkRest(sim, ns, cid, `/applications/${appId}`)).body;
          return r.status === 'RUNNING' && r.jobs.length === 1 && r.jobs[0].state === 'RUNNING' ? r : undefined;
        }, 'application RUNNING');
        expect(running.name).toBe('org.example.Job');
        expect((await call('GET', `/jobs/${running.jobs[0].jid}`)).body['application-id']).toBe(appId);
        expect((await call('POST', `/applications/${appId}/cancel`)).status).toBe(202);
        await waitFor(async () => (await flinkRest(sim, ns, cid, `/applications/${appId}`)).body.status === 'CANCELED', 'application CANCELED');
        expect((await flinkRest(sim, ns, cid, `/jobs/${running.jobs[0].jid}/status`)).body.status).toBe('CANCELED');
        const dupApp = await flinkRest(sim, ns, cid, `/jars/${jarId}/run-application`, { method: 'POST', body: { applicationId: appId } });
        expect(dupApp.status).toBe(400);
        expect(dupApp.body.errors[0]).toContain('Could not submit application.');
        // a main that submits no job: accepted, then the application FAILS with the exception in its history
        const hello = (await flinkRest(sim, ns, cid, '/jars/upload', { method: 'POST', form: jarForm('hello.jar', printOnlyJar('org.example.Hello')) })).body.filename.split('/').pop();
        const helloApp = (await call('POST', `/jars/${hello}/run-application`, { body: {} })).body.applicationid;
        expect(helloApp).toMatch(/^[0-9a-f]{32}$/);
        await waitFor(async () => (await flinkRest(sim, ns, cid, `/applications/${helloApp}`)).body.status === 'FAILED', 'application FAILED');
        const exc = (await call('GET', `/applications/${helloApp}/exceptions`)).body.exceptionHistory.entries;
        expect(exc).toEqual([{ exceptionName: 'org.apache.flink.client.deployment.application.ApplicationExecutionException', stacktrace: expect.stringContaining('The application contains no execute() calls.'), timestamp: expect.any(Number) }]);
        const noApp = await flinkRest(sim, ns, cid, `/applications/${'0'.repeat(32)}`);
        expect(noApp.status).toBe(500);
        expect((await flinkRest(sim, ns, cid, `/applications/${'0'.repeat(32)}/cancel`, { method: 'POST' })).status).toBe(404);
        expect((await flinkRest(sim, ns, cid, '/applications/nothex/cancel', { method: 'POST' })).status).toBe(400);
        await call('DELETE', `/jars/${hello}`);
      } else {
        // before 2.3 there are no applications: the router answers 404 Not found
        expect(run.body).toEqual({ jobid: jobId });
        expect((await flinkRest(sim, ns, cid, `/jobs/${jobId}`)).body).not.toHaveProperty('application-id');
        expect(await flinkRest(sim, ns, cid, '/applications/overview')).toEqual({ status: 404, body: { errors: ['Not found: /applications/overview'] } });
        expect(await flinkRest(sim, ns, cid, `/jars/${jarId}/run-application`, { method: 'POST', body: {} })).toEqual({ status: 404, body: { errors: [`Not found: /jars/${jarId}/run-application`] } });
      }
      await call('DELETE', `/jars/${jarId}`);
      // REST faults through the control route: failing, then slow, then cleared
      const faultUrl = `${sim.url}/_sim/flink/rest/${ns}/${cid}`;
      const setFault = async (b: unknown) => {
        const r = await fetch(faultUrl, { ...ctl, body: JSON.stringify(b) });
        return { status: r.status, body: await r.json() };
      };
      expect(await setFault({ failureRate: 1, status: 503 })).toEqual({ status: 200, body: { cluster: `${ns}/${cid}`, fault: { latencyMs: 0, failureRate: 1, status: 503 } } });
      const down = await flinkRest(sim, ns, cid, '/overview');
      expect(down.status).toBe(503);
      expect(down.body.errors[0]).toBe('Internal server error.');
      expect(down.body.errors[1]).toContain('<Exception on server side:');
      expect((await flinkRest(sim, ns, cid, '/jobs')).status).toBe(503);
      expect((await setFault({ latencyMs: 50 })).body.fault).toEqual({ latencyMs: 50, failureRate: 0, status: 500 });
      expect((await flinkRest(sim, ns, cid, '/overview')).status).toBe(200);
      expect(await setFault({})).toEqual({ status: 200, body: { cluster: `${ns}/${cid}`, fault: null } });
      expect((await flinkRest(sim, ns, cid, '/overview')).status).toBe(200);
      expect(problems).toEqual([]);
    });
  }
});
