import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCluster, createNamespaceWithSa, flinkRest, jarForm, startFlinkSim, testJar, waitFor, type FlinkTestSim } from './testing';
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
 * - /jobs/:id/metrics is a JSON array (MetricCollectionResponseBody.Serializer), the spec shows an object.
 */
function isKnownDeviation(i: ContractIssue, urlPath: string): boolean {
  return (
    (i.schemaPath.includes('/ResourceID/pattern') && /taskmanagers\/\d+\/id$|^\/id$/.test(i.instancePath)) ||
    (i.schemaPath.includes('/ProcessingMode/enum') && i.instancePath === '/mode') ||
    (i.schemaPath.includes('/SlotSharingGroupId/type') && i.instancePath.endsWith('/slotSharingGroupId')) ||
    (i.schemaPath.includes('JarEntryInfo/properties/description/type') && i.message === 'must be string') ||
    (/^\/latest\/(failed|savepoint|restored|completed)$/.test(i.instancePath) && i.message === 'must be object') ||
    (/\/metrics(\?|$)/.test(urlPath) && i.instancePath === '' && i.message === 'must be object')
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
      // a failure and a restart, for the exception history
      await fetch(`${sim.url}/_sim/flink/jobs/${ns}/${cid}/${jobId}/fail`, { method: 'POST', headers: { Authorization: `Bearer ${sim.adminToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ exceptionClass: 'java.io.IOException', message: 'disk on fire' }) });
      await waitFor(async () => (await flinkRest(sim, ns, cid, `/jobs/${jobId}`)).body.state === 'RUNNING', 'restarted');
      for (const p of ['/config', '/overview', '/jobs', '/jobs/overview', `/jobs/${jobId}`, `/jobs/${jobId}/status`, `/jobs/${jobId}/exceptions`, `/jobs/${jobId}/checkpoints`, `/jobs/${jobId}/checkpoints/config`, `/jobs/${jobId}/execution-result`, `/jobs/${jobId}/metrics?get=numRestarts,uptime,downtime,lastCheckpointDuration`, '/taskmanagers', '/jobmanager/config', '/jobmanager/logs']) {
        await call('GET', p);
      }
      const ex = await flinkRest(sim, ns, cid, `/jobs/${jobId}/exceptions`);
      expect(ex.body.exceptionHistory.entries[0].exceptionName).toBe('java.io.IOException');
      const metrics = await flinkRest(sim, ns, cid, `/jobs/${jobId}/metrics?get=numRestarts`);
      expect(metrics.body).toEqual([{ id: 'numRestarts', value: '1' }]);
      const tms = await flinkRest(sim, ns, cid, '/taskmanagers');
      await call('GET', `/taskmanagers/${tms.body.taskmanagers[0].id}`);
      const sp = await call('POST', `/jobs/${jobId}/savepoints`, { body: { 'target-directory': `s3://sp/${cid}`, 'cancel-job': false } });
      await waitFor(async () => (await flinkRest(sim, ns, cid, `/jobs/${jobId}/savepoints/${sp.body['request-id']}`)).body.status.id === 'COMPLETED', 'savepoint');
      await call('GET', `/jobs/${jobId}/savepoints/${sp.body['request-id']}`);
      await call('PATCH', `/jobs/${jobId}?mode=cancel`);
      await waitFor(async () => (await flinkRest(sim, ns, cid, `/jobs/${jobId}/status`)).body.status === 'CANCELED', 'CANCELED');
      await call('GET', `/jobs/${jobId}/execution-result`);
      await call('DELETE', `/jars/${jarId}`);
      expect(problems).toEqual([]);
    });
  }
});
