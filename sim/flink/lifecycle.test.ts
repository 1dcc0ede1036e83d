import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCluster, createNamespaceWithSa, flinkRest, jarForm, logsOf, podsOf, startFlinkSim, testJar, waitFor, type FlinkTestSim } from './testing';

let t: FlinkTestSim;
beforeAll(async () => {
  t = await startFlinkSim();
});
afterAll(async () => {
  await t?.stop();
});

async function control(p: string, body: unknown) {
  const r = await fetch(`${t.sim.url}${p}`, { method: 'POST', headers: { Authorization: `Bearer ${t.sim.adminToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return r.status;
}

async function submit(ns: string, cid: string, body: Record<string, unknown> = {}) {
  const up = await flinkRest(t.sim, ns, cid, '/jars/upload', { method: 'POST', form: jarForm('job.jar', testJar('org.example.Pipeline')) });
  const jarId = up.body.filename.split('/').pop();
  const run = await flinkRest(t.sim, ns, cid, `/jars/${jarId}/run`, { method: 'POST', body });
  expect(run.status).toBe(200);
  return run.body.jobid as string;
}

async function running(ns: string, cid: string, jobId: string) {
  return waitFor(async () => {
    const r = await flinkRest(t.sim, ns, cid, `/jobs/${jobId}`);
    return r.body?.state === 'RUNNING' && r.body.vertices.every((v: any) => v.status === 'RUNNING') ? r.body : undefined;
  }, `job ${jobId} RUNNING`);
}

describe('cluster and job lifecycle', { timeout: 180_000 }, () => {
  it('replaces a TaskManager pod that dies and restarts the job on the new one', async () => {
    const { client, sim } = t;
    const ns = 'life-tm';
    const cid = 'tm-loss';
    await createNamespaceWithSa(client, ns, 'flink');
    await applyCluster(client, { ns, cid, image: 'flink:1.20.3', sa: 'flink', conf: { 'execution.checkpointing.interval': '300 ms' } });
    await waitFor(async () => (await flinkRest(sim, ns, cid, '/config')).status === 200, 'REST');
    const jobId = await submit(ns, cid);
    await running(ns, cid, jobId);
    expect((await podsOf(client, ns, `app=${cid},component=taskmanager`)).map((p) => p.metadata.name)).toEqual([`${cid}-taskmanager-1-1`]);
    expect(await control(`/_sim/pods/${ns}/${cid}-taskmanager-1-1/kill`, { mode: 'kill' })).toBe(200);
    await waitFor(async () => (await podsOf(client, ns, `app=${cid},component=taskmanager`)).some((p) => p.metadata.name === `${cid}-taskmanager-1-2`), 'replacement TM pod');
    await waitFor(async () => !(await client.getOrUndefined(`/api/v1/namespaces/${ns}/pods/${cid}-taskmanager-1-1`)), 'dead TM pod deleted');
    await running(ns, cid, jobId);
    const ex = await flinkRest(sim, ns, cid, `/jobs/${jobId}/exceptions`);
    expect(ex.body.exceptionHistory.entries[0]).toMatchObject({ exceptionName: 'org.apache.flink.runtime.jobmaster.JobMasterException', taskManagerId: `${cid}-taskmanager-1-1` });
    expect((await flinkRest(sim, ns, cid, `/jobs/${jobId}/metrics?get=numRestarts`)).body).toEqual([{ id: 'numRestarts', value: '1' }]);
  });

  it('fails a job after slot.request.timeout when no TaskManager can be created', async () => {
    const { client, sim } = t;
    const ns = 'life-slots';
    const cid = 'no-slots';
    await createNamespaceWithSa(client, ns, 'weak', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }]);
    await applyCluster(client, { ns, cid, image: 'flink:2.3.0', sa: 'weak', conf: { 'slot.request.timeout': '1 s' } });
    await waitFor(async () => (await flinkRest(sim, ns, cid, '/config')).status === 200, 'REST');
    const jobId = await submit(ns, cid);
    await waitFor(async () => (await flinkRest(sim, ns, cid, `/jobs/${jobId}/status`)).body.status === 'FAILED', 'FAILED', 20_000);
    const ex = await flinkRest(sim, ns, cid, `/jobs/${jobId}/exceptions`);
    expect(ex.body.exceptionHistory.entries[0].stacktrace).toContain('NoResourceAvailableException');
    const res = await flinkRest(sim, ns, cid, `/jobs/${jobId}/execution-result`);
    expect(res.body['job-execution-result']['application-status']).toBe('FAILED');
    const jm = (await podsOf(client, ns, `app=${cid},component=jobmanager`))[0];
    expect(await logsOf(client, ns, jm.metadata.name)).toContain(`deployments.apps "${cid}" is forbidden`);
  });

  it('without HA a JobManager restart loses its jobs and adopts the running TaskManagers', async () => {
    const { client, sim } = t;
    const ns = 'life-jm';
    const cid = 'jm-loss';
    await createNamespaceWithSa(client, ns, 'flink');
    await applyCluster(client, { ns, cid, image: 'flink:1.19.2', sa: 'flink', conf: { 'resourcemanager.taskmanager-timeout': '60 s' } });
    await waitFor(async () => (await flinkRest(sim, ns, cid, '/config')).status === 200, 'REST');
    const jobId = await submit(ns, cid);
    await running(ns, cid, jobId);
    const jm = (await podsOf(client, ns, `app=${cid},component=jobmanager`))[0];
    expect(await control(`/_sim/pods/${ns}/${jm.metadata.name}/kill`, { mode: 'kill' })).toBe(200);
    await waitFor(async () => (await podsOf(client, ns, `app=${cid},component=jobmanager`))[0]?.status?.containerStatuses?.[0]?.restartCount >= 1, 'JM restarted');
    const gone = await waitFor(async () => {
      const r = await flinkRest(sim, ns, cid, `/jobs/${jobId}`);
      return r.status === 404 ? r : undefined;
    }, 'job gone');
    expect(gone.status).toBe(404);
    const tms = await waitFor(async () => {
      const r = await flinkRest(sim, ns, cid, '/taskmanagers');
      return r.body?.taskmanagers?.length === 1 ? r.body.taskmanagers : undefined;
    }, 'TM re-registered');
    expect(tms[0].id).toBe(`${cid}-taskmanager-1-1`);
  });

  it('a new cluster with the same id recovers the jobs left in the HA ConfigMaps', async () => {
    const { client, sim } = t;
    const ns = 'life-ha';
    const cid = 'ha-again';
    await createNamespaceWithSa(client, ns, 'flink');
    const spec = { ns, cid, image: 'flink:2.0.1', sa: 'flink', ha: true, conf: { 'execution.checkpointing.interval': '200 ms', 'execution.checkpointing.dir': 's3://cp/again' } };
    await applyCluster(client, spec);
    await waitFor(async () => (await flinkRest(sim, ns, cid, '/config')).status === 200, 'REST');
    const jobId = await submit(ns, cid, { jobId: 'f'.repeat(32) });
    await running(ns, cid, jobId);
    const before = await waitFor(async () => {
      const k = Object.keys((await client.getOrUndefined(`/api/v1/namespaces/${ns}/configmaps/${cid}-${jobId}-config-map`))?.data ?? {}).filter((x) => x.startsWith('checkpointID-')).sort().pop();
      return k ? { id: Number(k.slice('checkpointID-'.length)) } : undefined;
    }, 'checkpoint');
    await client.delete(`/apis/apps/v1/namespaces/${ns}/deployments/${cid}`);
    await waitFor(async () => (await podsOf(client, ns, `app=${cid}`)).length === 0, 'everything gone');
    const left = (await client.list(`/api/v1/namespaces/${ns}/configmaps`, { labelSelector: `app=${cid}` })).items.map((c: any) => c.metadata.name).sort();
    expect(left).toEqual([`${cid}-${jobId}-config-map`, `${cid}-cluster-config-map`].sort());
    await applyCluster(client, spec);
    const job = await running(ns, cid, jobId);
    expect(job.jid).toBe(jobId);
    const cps = await waitFor(async () => {
      const r = await flinkRest(sim, ns, cid, `/jobs/${jobId}/checkpoints`);
      return r.body?.latest?.restored ? r.body : undefined;
    }, 'restored');
    // CheckpointCoordinator restores the latest checkpoint of the CompletedCheckpointStore (HA ConfigMap)
    expect(cps.latest.restored.is_savepoint).toBe(false);
    expect(cps.latest.restored.id).toBeGreaterThanOrEqual(before.id);
    expect(cps.latest.restored.external_path).toBe(`s3://cp/again/${jobId}/chk-${cps.latest.restored.id}`);
    expect(cps.counts.restored).toBe(1);
    // DELETE /cluster: graceful shutdown with HA cleanup and deregistration
    expect((await flinkRest(sim, ns, cid, '/cluster', { method: 'DELETE' })).status).toBe(200);
    await waitFor(async () => !(await client.getOrUndefined(`/apis/apps/v1/namespaces/${ns}/deployments/${cid}`)), 'Deployment deleted');
    await waitFor(async () => (await client.list(`/api/v1/namespaces/${ns}/configmaps`, { labelSelector: `app=${cid}` })).items.length === 0, 'HA data cleaned');
  });

  it('a JobManager with too little memory exits as kubernetes-jobmanager.sh does', async () => {
    const { client } = t;
    const ns = 'life-mem';
    const cid = 'tiny';
    await createNamespaceWithSa(client, ns, 'flink');
    await applyCluster(client, { ns, cid, image: 'flink:1.20.3', sa: 'flink', conf: { 'jobmanager.memory.process.size': '500m' } });
    const pod = await waitFor(async () => (await podsOf(client, ns, `app=${cid},component=jobmanager`)).find((p) => p.status?.containerStatuses?.[0]?.lastState?.terminated || p.status?.containerStatuses?.[0]?.state?.terminated), 'JM exited');
    const term = pod.status.containerStatuses[0].lastState?.terminated ?? pod.status.containerStatuses[0].state.terminated;
    expect(term.exitCode).toBe(1);
    const r = await client.request('GET', `/api/v1/namespaces/${ns}/pods/${pod.metadata.name}/log`, { query: pod.status.containerStatuses[0].state.terminated ? {} : { previous: true } });
    expect(String(r.body)).toContain('[ERROR] Could not get JVM parameters and dynamic configurations properly.');
    expect(String(r.body)).toContain('JobManager memory configuration failed: The configured Total Flink Memory (52.000mb (54525952 bytes)) is less than the configured Off-heap Memory (128.000mb (134217728 bytes)).');
  });

  it('a JobManager that may not list pods fails fatally (exit code 2)', async () => {
    const { client } = t;
    const ns = 'life-rbac';
    const cid = 'no-rbac';
    await createNamespaceWithSa(client, ns, 'nobody', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]);
    await applyCluster(client, { ns, cid, image: 'flink:1.20.3', sa: 'nobody' });
    const pod = await waitFor(async () => (await podsOf(client, ns, `app=${cid},component=jobmanager`)).find((p) => p.status?.containerStatuses?.[0]?.lastState?.terminated || p.status?.containerStatuses?.[0]?.state?.terminated), 'JM exited');
    const cs = pod.status.containerStatuses[0];
    const term = cs.state.terminated ?? cs.lastState.terminated;
    expect(term.exitCode).toBe(2);
    const both = async () => {
      const cur = await client.request('GET', `/api/v1/namespaces/${ns}/pods/${pod.metadata.name}/log`);
      const prev = await client.request('GET', `/api/v1/namespaces/${ns}/pods/${pod.metadata.name}/log`, { query: { previous: true } });
      return `${prev.status === 200 ? prev.body : ''}\n${cur.status === 200 ? cur.body : ''}`;
    };
    const text = await waitFor(async () => {
      const l = await both();
      return l.includes('Fatal error occurred in the cluster entrypoint.') ? l : undefined;
    }, 'fatal error in the log');
    expect(text).toContain(`pods is forbidden: User "system:serviceaccount:${ns}:nobody" cannot list resource "pods"`);
  });

  it('an unpublished image tag cannot be pulled', async () => {
    const { client } = t;
    const ns = 'life-img';
    const cid = 'typo';
    await createNamespaceWithSa(client, ns, 'flink');
    await applyCluster(client, { ns, cid, image: 'flink:1.20.7', sa: 'flink' });
    await waitFor(async () => {
      const p = (await podsOf(client, ns, `app=${cid},component=jobmanager`))[0];
      const reason = p?.status?.containerStatuses?.[0]?.state?.waiting?.reason;
      return reason === 'ErrImagePull' || reason === 'ImagePullBackOff';
    }, 'ErrImagePull');
  });
});
