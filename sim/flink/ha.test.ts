import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCluster, createNamespaceWithSa, jarForm, logsOf, podRest, podsOf, startFlinkSim, TEST_ELECTION, testJar, waitFor, type FlinkTestSim } from './testing';
import { parseRecord } from './ha';

let t: FlinkTestSim;
beforeAll(async () => {
  t = await startFlinkSim();
});
afterAll(async () => {
  await t?.stop();
});

async function leaderPod(ns: string, cid: string): Promise<any | undefined> {
  const cm = await t.client.getOrUndefined(`/api/v1/namespaces/${ns}/configmaps/${cid}-cluster-config-map`);
  const addr: string | undefined = cm?.data?.['org.apache.flink.k8s.leader.restserver'];
  if (!addr) return undefined;
  const ip = /http:\/\/([^:]+):/.exec(addr.slice(addr.indexOf(',') + 1))?.[1];
  const pods = await podsOf(t.client, ns, `app=${cid},component=jobmanager`);
  return pods.find((p) => p.status?.podIP === ip && p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);
}

describe('Kubernetes HA', { timeout: 180_000 }, () => {
  it('elects one leader among two JobManagers and fails over with the jobs', async () => {
    const { client, sim } = t;
    const ns = 'flink-ha';
    const cid = 'ha-a';
    await createNamespaceWithSa(client, ns, 'flink');
    await applyCluster(client, {
      ns,
      cid,
      image: 'flink:1.20.3',
      sa: 'flink',
      ha: true,
      replicas: 2,
      conf: { 'execution.checkpointing.interval': '200 ms', 'execution.checkpointing.dir': 's3://checkpoints/ha-a' },
    });
    const leader = await waitFor(() => leaderPod(ns, cid), 'a leader');
    const cm = await waitFor(async () => {
      const c = await client.get(`/api/v1/namespaces/${ns}/configmaps/${cid}-cluster-config-map`);
      return c.data?.['org.apache.flink.k8s.leader.dispatcher'] && c.data?.['org.apache.flink.k8s.leader.resourcemanager'] ? c : undefined;
    }, 'leader entries');
    expect(cm.metadata.labels).toEqual({ app: cid, type: 'flink-native-kubernetes', 'configmap-type': 'high-availability' });
    expect(cm.metadata.ownerReferences).toBeUndefined();
    const record = parseRecord(cm.metadata.annotations['control-plane.alpha.kubernetes.io/leader'])!;
    expect(record.holderIdentity).toMatch(/^[0-9a-f-]{36}$/);
    expect(cm.metadata.annotations['control-plane.alpha.kubernetes.io/leader']).toContain(`"leaseDuration":${(TEST_ELECTION.leaseMs / 1000).toFixed(9)},`);
    for (const k of ['dispatcher', 'resourcemanager', 'restserver']) expect(cm.data[`org.apache.flink.k8s.leader.${k}`]).toMatch(/^[0-9a-f-]{36},/);

    // the standby answers REST through the leader
    const standby = await waitFor(async () => (await podsOf(client, ns, `app=${cid},component=jobmanager`)).find((p) => p.metadata.name !== leader.metadata.name && p.status?.phase === 'Running'), 'standby Running');
    await waitFor(async () => (await podRest(sim, ns, standby.metadata.name, '/overview')).status === 200, 'standby REST');

    const up = await podRest(sim, ns, leader.metadata.name, '/jars/upload', { method: 'POST', form: jarForm('job.jar', testJar('org.example.HaJob')) });
    const jarId = up.body.filename.split('/').pop();
    // the jar lives on the JobManager that received it
    const elsewhere = await podRest(sim, ns, standby.metadata.name, `/jars/${jarId}/run`, { method: 'POST', body: {} });
    expect(elsewhere.status).toBe(500);
    expect(elsewhere.body.errors[1]).toContain(`Jar file `);
    expect(elsewhere.body.errors[1]).toContain(`${jarId} does not exist`);
    const jobId = 'c'.repeat(32);
    expect((await podRest(sim, ns, leader.metadata.name, `/jars/${jarId}/run`, { method: 'POST', body: { jobId } })).status).toBe(200);
    await waitFor(async () => (await podRest(sim, ns, standby.metadata.name, `/jobs/${jobId}`)).body.state === 'RUNNING', 'RUNNING via standby');

    const withGraph = await waitFor(async () => {
      const c = await client.get(`/api/v1/namespaces/${ns}/configmaps/${cid}-cluster-config-map`);
      return c.data[`jobGraph-${jobId}`] && c.data[`org.apache.flink.k8s.leader.job-${jobId}`] ? c : undefined;
    }, 'job graph in HA');
    expect([...Buffer.from(withGraph.data[`jobGraph-${jobId}`], 'base64').subarray(0, 4)]).toEqual([0xac, 0xed, 0x00, 0x05]);
    const jobCm = await waitFor(async () => {
      const c = await client.getOrUndefined(`/api/v1/namespaces/${ns}/configmaps/${cid}-${jobId}-config-map`);
      return c && Object.keys(c.data ?? {}).some((k) => /^checkpointID-\d{19}$/.test(k)) ? c : undefined;
    }, 'checkpoint in HA');
    expect(Number(jobCm.data.counter)).toBeGreaterThan(1);
    expect(jobCm.metadata.ownerReferences).toBeUndefined();

    // kill the leader: it releases the lease on SIGTERM (withReleaseOnCancel), and the standby, whose elector is
    // already running, takes it within one retry period, before the Deployment's replacement pod has even started
    // its JobManager. The standby recovers the job with the same id.
    await client.delete(`/api/v1/namespaces/${ns}/pods/${leader.metadata.name}`, { gracePeriodSeconds: 1 });
    const newLeader = await waitFor(async () => {
      const p = await leaderPod(ns, cid);
      return p && p.metadata.name !== leader.metadata.name ? p : undefined;
    }, 'new leader');
    expect(newLeader.metadata.name).toBe(standby.metadata.name);
    expect(newLeader.metadata.labels).toMatchObject({ app: cid, component: 'jobmanager' });
    const holder = parseRecord((await client.get(`/api/v1/namespaces/${ns}/configmaps/${cid}-cluster-config-map`)).metadata.annotations['control-plane.alpha.kubernetes.io/leader'])!;
    expect(holder.holderIdentity).not.toBe(record.holderIdentity);
    expect(holder.leaderTransitions).toBe(record.leaderTransitions + 1);
    // the replacement pod comes up as the new standby: it sees the standby's identity as the leader
    const replacement = await waitFor(async () => (await podsOf(client, ns, `app=${cid},component=jobmanager`)).find((p) => p.metadata.name !== leader.metadata.name && p.metadata.name !== standby.metadata.name), 'replacement pod');
    await waitFor(async () => (await logsOf(client, ns, replacement.metadata.name)).includes(`New leader elected ${holder.holderIdentity} for ${cid}-cluster-config-map.`), 'replacement follows the new leader');
    expect((await logsOf(client, ns, replacement.metadata.name)).includes('was granted leadership')).toBe(false);
    const recovered = await waitFor(async () => {
      const r = await podRest(sim, ns, newLeader.metadata.name, `/jobs/${jobId}`);
      return r.body.state === 'RUNNING' ? r.body : undefined;
    }, 'job recovered');
    expect(recovered.timestamps.INITIALIZING).toBeGreaterThan(0);
    const metrics = await podRest(sim, ns, newLeader.metadata.name, `/jobs/${jobId}/metrics?get=numRestarts`);
    expect(metrics.body).toEqual([{ id: 'numRestarts', value: '0' }]);
    const ex = await podRest(sim, ns, newLeader.metadata.name, `/jobs/${jobId}/exceptions`);
    expect(ex.body.exceptionHistory.entries).toEqual([]);
    const cps = await waitFor(async () => {
      const r = await podRest(sim, ns, newLeader.metadata.name, `/jobs/${jobId}/checkpoints`);
      return r.body.latest?.restored ? r.body : undefined;
    }, 'restored checkpoint');
    expect(cps.latest.restored.external_path).toMatch(/^s3:\/\/checkpoints\/ha-a\/c{32}\/chk-\d+$/);
    const log = await logsOf(client, ns, newLeader.metadata.name);
    expect(log).toContain('was granted leadership');
  });

  it('with one JobManager, the replacement pod becomes the leader and recovers the jobs', async () => {
    const { client, sim } = t;
    const ns = 'flink-ha3';
    const cid = 'ha-c';
    await createNamespaceWithSa(client, ns, 'flink');
    await applyCluster(client, {
      ns,
      cid,
      image: 'flink:1.20.3',
      sa: 'flink',
      ha: true,
      replicas: 1,
      conf: { 'execution.checkpointing.interval': '200 ms', 'execution.checkpointing.dir': 's3://checkpoints/ha-c' },
    });
    const leader = await waitFor(() => leaderPod(ns, cid), 'a leader');
    const up = await podRest(sim, ns, leader.metadata.name, '/jars/upload', { method: 'POST', form: jarForm('job.jar', testJar('org.example.HaJob')) });
    const jarId = up.body.filename.split('/').pop();
    const jobId = 'e'.repeat(32);
    expect((await podRest(sim, ns, leader.metadata.name, `/jars/${jarId}/run`, { method: 'POST', body: { jobId } })).status).toBe(200);
    await waitFor(async () => {
      const c = await client.getOrUndefined(`/api/v1/namespaces/${ns}/configmaps/${cid}-${jobId}-config-map`);
      return c && Object.keys(c.data ?? {}).some((k) => /^checkpointID-\d{19}$/.test(k));
    }, 'checkpoint in HA');
    const before = parseRecord((await client.get(`/api/v1/namespaces/${ns}/configmaps/${cid}-cluster-config-map`)).metadata.annotations['control-plane.alpha.kubernetes.io/leader'])!;

    await client.delete(`/api/v1/namespaces/${ns}/pods/${leader.metadata.name}`, { gracePeriodSeconds: 1 });
    const newLeader = await waitFor(async () => {
      const p = await leaderPod(ns, cid);
      return p && p.metadata.name !== leader.metadata.name ? p : undefined;
    }, 'the replacement leads');
    // the Deployment's replacement: a new pod of the same ReplicaSet
    expect(newLeader.metadata.ownerReferences[0]).toMatchObject({ kind: 'ReplicaSet', name: leader.metadata.ownerReferences[0].name });
    const after = parseRecord((await client.get(`/api/v1/namespaces/${ns}/configmaps/${cid}-cluster-config-map`)).metadata.annotations['control-plane.alpha.kubernetes.io/leader'])!;
    expect(after.holderIdentity).not.toBe(before.holderIdentity);
    const recovered = await waitFor(async () => {
      const r = await podRest(sim, ns, newLeader.metadata.name, `/jobs/${jobId}`);
      return r.body.state === 'RUNNING' ? r.body : undefined;
    }, 'job recovered');
    expect(recovered.jid).toBe(jobId);
    const cps = await waitFor(async () => {
      const r = await podRest(sim, ns, newLeader.metadata.name, `/jobs/${jobId}/checkpoints`);
      return r.body.latest?.restored ? r.body : undefined;
    }, 'restored checkpoint');
    expect(cps.latest.restored.is_savepoint).toBe(false);
    expect(cps.latest.restored.external_path).toMatch(/^s3:\/\/checkpoints\/ha-c\/e{32}\/chk-\d+$/);
    const log = await logsOf(client, ns, newLeader.metadata.name);
    expect(log).toContain('was granted leadership');
    expect(log).toContain(`Successfully recovered JobGraph ${jobId}.`);
  });

  it('a leader that stops renewing its lease loses it to the standby', async () => {
    const { client, sim } = t;
    const ns = 'flink-ha2';
    const cid = 'ha-b';
    await createNamespaceWithSa(client, ns, 'flink');
    await applyCluster(client, { ns, cid, image: 'flink:2.2.0', sa: 'flink', ha: true, replicas: 2 });
    const leader = await waitFor(() => leaderPod(ns, cid), 'a leader');
    const cm = await client.get(`/api/v1/namespaces/${ns}/configmaps/${cid}-cluster-config-map`);
    expect(cm.metadata.labels).toEqual({ app: cid, type: 'flink-native-kubernetes' });
    await waitFor(async () => (await podsOf(client, ns, `app=${cid},component=jobmanager`)).filter((p) => p.status?.phase === 'Running').length === 2, 'two JMs');
    const res = await fetch(`${sim.url}/_sim/flink/leases/${ns}/${leader.metadata.name}`, { method: 'POST', headers: { Authorization: `Bearer ${sim.adminToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ paused: true }) });
    expect(res.status).toBe(200);
    const other = await waitFor(async () => {
      const p = await leaderPod(ns, cid);
      return p && p.metadata.name !== leader.metadata.name ? p : undefined;
    }, 'takeover');
    const after = await client.get(`/api/v1/namespaces/${ns}/configmaps/${cid}-cluster-config-map`);
    expect(parseRecord(after.metadata.annotations['control-plane.alpha.kubernetes.io/leader'])!.leaderTransitions).toBeGreaterThanOrEqual(1);
    await waitFor(async () => (await logsOf(client, ns, leader.metadata.name)).includes('lost leadership'), 'old leader revoked');
    expect(other.metadata.name).not.toBe(leader.metadata.name);
  });
});
