import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCluster, createNamespaceWithSa, flinkRest, logsOf, podsOf, startFlinkSim, testJar, waitFor, type FlinkTestSim } from './testing';
import { applicationJobId } from './jobmanager';
import { printOnlyJar } from './testing-jars';

let t: FlinkTestSim;
beforeAll(async () => {
  t = await startFlinkSim();
});
afterAll(async () => {
  await t?.stop();
});

describe('application clusters', { timeout: 180_000 }, () => {
  it('runs the bundled WordCount to the end, cleans its HA data and deletes its own Deployment', async () => {
    const { client, sim } = t;
    const ns = 'flink-app1';
    const cid = 'wordcount';
    await createNamespaceWithSa(client, ns, 'flink');
    await applyCluster(client, { ns, cid, image: 'flink:2.1.1-scala_2.12-java17', sa: 'flink', mode: 'application', ha: true, conf: { 'pipeline.jars': ['local:///opt/flink/examples/streaming/WordCount.jar'] } });
    const jobId = applicationJobId(cid);
    const seen = await waitFor(async () => {
      const c = await client.getOrUndefined(`/api/v1/namespaces/${ns}/configmaps/${cid}-cluster-config-map`);
      return c?.data?.[`executionPlan-${jobId}`] ? c : undefined;
    }, 'execution plan in HA (2.x key)');
    expect(Object.keys(seen.data).some((k) => k.startsWith('jobGraph-'))).toBe(false);
    const cfg = await waitFor(async () => {
      const r = await flinkRest(sim, ns, cid, '/config');
      return r.status === 200 ? r.body : undefined;
    }, 'REST');
    expect(cfg.features['web-submit']).toBe(false);
    // MiniDispatcherRestEndpoint registers no jar handlers: RouterHandler.respondNotFound answers "Not found: " + request.uri()
    expect(await flinkRest(sim, ns, cid, '/jars')).toEqual({ status: 404, body: { errors: ['Not found: /jars'] } });
    expect(await flinkRest(sim, ns, cid, '/v1/jars?x=1')).toEqual({ status: 404, body: { errors: ['Not found: /v1/jars?x=1'] } });
    expect(await flinkRest(sim, ns, cid, '/jars/abc.jar/run', { method: 'POST', body: {} })).toEqual({ status: 404, body: { errors: ['Not found: /jars/abc.jar/run'] } });
    await waitFor(async () => !(await client.getOrUndefined(`/apis/apps/v1/namespaces/${ns}/deployments/${cid}`)), 'Deployment deleted by the JobManager');
    await waitFor(async () => (await client.list(`/api/v1/namespaces/${ns}/configmaps`, { labelSelector: `app=${cid}` })).items.length === 0, 'HA config maps gone');
  });

  it('with shutdown-on-application-finish=false the cluster stays; stop-with-savepoint finishes the job', async () => {
    const { client, sim } = t;
    const ns = 'flink-app2';
    const cid = 'statemachine';
    await createNamespaceWithSa(client, ns, 'flink');
    await applyCluster(client, {
      ns,
      cid,
      image: 'apache/flink:1.19.1-java11',
      sa: 'flink',
      mode: 'application',
      conf: { 'pipeline.jars': ['local:///opt/flink/examples/streaming/StateMachineExample.jar'], 'execution.shutdown-on-application-finish': false, '$internal.pipeline.job-id': 'd'.repeat(32) },
    });
    const jobId = 'd'.repeat(32);
    const job = await waitFor(async () => {
      const r = await flinkRest(sim, ns, cid, `/jobs/${jobId}`);
      return r.body?.state === 'RUNNING' && r.body.vertices.every((v: any) => v.status === 'RUNNING') ? r.body : undefined;
    }, 'job RUNNING');
    expect(job.name).toBe('State machine job');
    const noDir = await flinkRest(sim, ns, cid, `/jobs/${jobId}/stop`, { method: 'POST', body: {} });
    expect(noDir.status).toBe(400);
    expect(noDir.body.errors[0]).toContain('Config key [state.savepoints.dir] is not set. Property [targetDirectory] must be provided.');
    const triggerId = 'e'.repeat(32);
    const stop = await flinkRest(sim, ns, cid, `/jobs/${jobId}/stop`, { method: 'POST', body: { targetDirectory: 's3://savepoints/sm', triggerId } });
    expect(stop).toEqual({ status: 202, body: { 'request-id': triggerId } });
    const done = await waitFor(async () => {
      const r = await flinkRest(sim, ns, cid, `/jobs/${jobId}/savepoints/${triggerId}`);
      return r.body.status?.id === 'COMPLETED' ? r.body : undefined;
    }, 'savepoint done');
    expect(done.operation.location).toMatch(/^s3:\/\/savepoints\/sm\/savepoint-dddddd-[0-9a-f]{12}$/);
    await waitFor(async () => (await flinkRest(sim, ns, cid, `/jobs/${jobId}/status`)).body.status === 'FINISHED', 'FINISHED');
    const result = await flinkRest(sim, ns, cid, `/jobs/${jobId}/execution-result`);
    expect(result.body.status.id).toBe('COMPLETED');
    expect(result.body['job-execution-result']['application-status']).toBe('SUCCEEDED');
    expect(await client.getOrUndefined(`/apis/apps/v1/namespaces/${ns}/deployments/${cid}`)).toBeDefined();

    // a new application cluster restores from that savepoint (execution.savepoint.path on 1.19)
    const cid2 = 'statemachine-restored';
    await applyCluster(client, {
      ns,
      cid: cid2,
      image: 'apache/flink:1.19.1-java11',
      sa: 'flink',
      mode: 'application',
      conf: {
        'pipeline.jars': ['local:///opt/flink/examples/streaming/StateMachineExample.jar'],
        'execution.savepoint.path': done.operation.location,
        // the 1.20 keys mean nothing to 1.19 (StateRecoveryOptions does not exist yet)
        'execution.state-recovery.path': 's3://savepoints/elsewhere/savepoint-000000-000000000000',
        'execution.state-recovery.ignore-unclaimed-state': true,
        '$internal.pipeline.job-id': '1'.repeat(32),
      },
    });
    const restored = await waitFor(async () => {
      const r = await flinkRest(sim, ns, cid2, `/jobs/${'1'.repeat(32)}/checkpoints`);
      return r.body?.latest?.restored ? r.body.latest.restored : undefined;
    }, 'restored from savepoint');
    expect(restored).toMatchObject({ is_savepoint: true, external_path: done.operation.location });
    const jm2 = (await podsOf(client, ns, `app=${cid2},component=jobmanager`))[0];
    // CheckpointCoordinator.restoreSavepoint: "Starting job {} from savepoint {} ({})", empty without allowNonRestoredState
    expect(await logsOf(client, ns, jm2.metadata.name)).toContain(`Starting job ${'1'.repeat(32)} from savepoint ${done.operation.location} ()`);
  });

  it('restores from execution.state-recovery.path (1.20); a redeploy with the same id and HA data takes the HA checkpoint over it', async () => {
    const { client, sim, world } = t;
    const ns = 'flink-app6';
    const cid = 'recover-app';
    await createNamespaceWithSa(client, ns, 'flink');
    const savepoint = 's3://savepoints/recover-app/savepoint-0a1b2c-3d4e5f6a7b8c';
    world.fs.write(`${savepoint}/_metadata`, JSON.stringify({ savepoint: true }));
    const spec = {
      ns,
      cid,
      image: 'flink:1.20.3',
      sa: 'flink',
      mode: 'application' as const,
      ha: true,
      conf: {
        'pipeline.jars': ['local:///opt/flink/examples/streaming/StateMachineExample.jar'],
        'execution.checkpointing.interval': '200 ms',
        'execution.checkpointing.dir': `s3://cp/${cid}`,
        'execution.state-recovery.path': savepoint,
        'execution.state-recovery.ignore-unclaimed-state': true,
        // the deprecated key is only a fallback: the 1.20 key wins
        'execution.savepoint.path': 's3://savepoints/old/savepoint-000000-aaaaaaaaaaaa',
      },
    };
    await applyCluster(client, spec);
    const jobId = applicationJobId(cid);
    const first = await waitFor(async () => {
      const r = await flinkRest(sim, ns, cid, `/jobs/${jobId}/checkpoints`);
      return r.body?.latest?.restored ? r.body.latest.restored : undefined;
    }, 'restored from the savepoint');
    expect(first).toMatchObject({ is_savepoint: true, external_path: savepoint });
    const jm = (await podsOf(client, ns, `app=${cid},component=jobmanager`))[0];
    expect(await logsOf(client, ns, jm.metadata.name)).toContain(`Starting job ${jobId} from savepoint ${savepoint} (allowing non restored state)`);
    const cpId = await waitFor(async () => {
      const c = await client.getOrUndefined(`/api/v1/namespaces/${ns}/configmaps/${cid}-${jobId}-config-map`);
      const k = Object.keys(c?.data ?? {}).filter((x) => x.startsWith('checkpointID-')).sort().pop();
      return k ? Number(k.slice('checkpointID-'.length)) : undefined;
    }, 'a checkpoint in HA');

    // the cluster goes away without cleaning up (Deployment deleted): the HA ConfigMaps stay
    await client.delete(`/apis/apps/v1/namespaces/${ns}/deployments/${cid}`);
    await waitFor(async () => (await podsOf(client, ns, `app=${cid}`)).length === 0, 'pods gone');
    await waitFor(async () => !(await client.getOrUndefined(`/api/v1/namespaces/${ns}/configmaps/flink-config-${cid}`)), 'flink-config gone');
    const left = (await client.list(`/api/v1/namespaces/${ns}/configmaps`, { labelSelector: `app=${cid}` })).items.map((c: any) => c.metadata.name).sort();
    expect(left).toEqual([`${cid}-${jobId}-config-map`, `${cid}-cluster-config-map`].sort());

    // same id, same config (savepoint path still set): the job is recovered from the CompletedCheckpointStore
    await applyCluster(client, spec);
    const restored = await waitFor(async () => {
      const r = await flinkRest(sim, ns, cid, `/jobs/${jobId}/checkpoints`);
      return r.body?.latest?.restored ? r.body.latest.restored : undefined;
    }, 'recovered from the HA checkpoint');
    expect(restored.is_savepoint).toBe(false);
    expect(restored.external_path).toMatch(new RegExp(`^s3://cp/${cid}/${jobId}/chk-\\d+$`));
    expect(restored.id).toBeGreaterThanOrEqual(cpId);
    expect(restored.external_path).toBe(`s3://cp/${cid}/${jobId}/chk-${restored.id}`);
    const jobs = await flinkRest(sim, ns, cid, '/jobs');
    expect(jobs.body.jobs.map((j: any) => j.id)).toEqual([jobId]);
  });

  it('fetches an https:// jar registered with the control API and runs its entry class', async () => {
    const { client, sim } = t;
    const ns = 'flink-app4';
    const cid = 'remote-jar';
    await createNamespaceWithSa(client, ns, 'flink');
    const uri = 'https://artifacts.example.com/jobs/pipeline-1.0.jar';
    const reg = await fetch(`${sim.url}/_sim/flink/artifacts`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${sim.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ uri, base64: Buffer.from(testJar('com.example.RemotePipeline')).toString('base64') }),
    });
    expect(reg.status).toBe(201);
    await applyCluster(client, { ns, cid, image: 'flink:1.20.3', sa: 'flink', mode: 'application', conf: { 'pipeline.jars': [uri], 'parallelism.default': 2 } });
    const jobs = await waitFor(async () => {
      const r = await flinkRest(sim, ns, cid, '/jobs/overview');
      return r.body?.jobs?.length ? r.body.jobs : undefined;
    }, 'the application job');
    expect(jobs[0].name).toBe('RemotePipeline');
    expect(jobs[0].tasks.total).toBe(6);
  });

  it('runs a jar baked into a custom image registered with the control API', async () => {
    const { client, sim } = t;
    const ns = 'flink-app5';
    const cid = 'custom-image';
    await createNamespaceWithSa(client, ns, 'flink');
    const image = 'registry.example.com/team/pipeline:7';
    const reg = await fetch(`${sim.url}/_sim/flink/images`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${sim.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ image, flinkVersion: '2.0.1', jars: [{ path: '/opt/flink/usrlib/pipeline.jar', entryClass: 'com.example.TeamPipeline' }] }),
    });
    expect(reg.status).toBe(201);
    await applyCluster(client, { ns, cid, image, sa: 'flink', mode: 'application', conf: { 'pipeline.jars': ['local:///opt/flink/usrlib/pipeline.jar'] } });
    const jobs = await waitFor(async () => {
      const r = await flinkRest(sim, ns, cid, '/jobs/overview');
      return r.body?.jobs?.length ? r.body.jobs : undefined;
    }, 'the application job');
    expect(jobs[0].name).toBe('TeamPipeline');
    expect((await flinkRest(sim, ns, cid, '/config')).body['flink-version']).toBe('2.0.1');
  });

  it('a jar missing from the image fails the JobManager with exit code 1', async () => {
    const { client } = t;
    const ns = 'flink-app3';
    const cid = 'missing';
    await createNamespaceWithSa(client, ns, 'flink');
    await applyCluster(client, { ns, cid, image: 'flink:1.20.2', sa: 'flink', mode: 'application', conf: { 'pipeline.jars': ['local:///opt/flink/usrlib/nope.jar'] } });
    // The Deployment's pod restarts it: wait for a restart, so that the previous instance is one that exited.
    const pod = await waitFor(async () => (await podsOf(client, ns, `app=${cid},component=jobmanager`)).find((p) => p.status?.containerStatuses?.[0]?.lastState?.terminated), 'JM terminated and restarted');
    expect(pod.status.containerStatuses[0].lastState.terminated.exitCode).toBe(1);
    // What KubernetesApplicationClusterEntrypoint logs when PackagedProgram's JarUtils.checkJarFile fails.
    const log: string = (await client.request('GET', `/api/v1/namespaces/${ns}/pods/${pod.metadata.name}/log`, { query: { previous: 'true' } })).body;
    const lines = log.split('\n');
    const at = lines.findIndex((l) => / ERROR +org\.apache\.flink\.kubernetes\.entrypoint\.KubernetesApplicationClusterEntrypoint +\[\] - Could not create application program\.$/.test(l));
    expect(at, log).toBeGreaterThanOrEqual(0);
    expect(lines[at + 1]).toBe("org.apache.flink.client.program.ProgramInvocationException: JAR file does not exist '/opt/flink/usrlib/nope.jar'");
  });
  it('a jar whose main builds no job: up to 2.2 a fatal error (exit 2); on 2.3 the application FAILS and the cluster shuts down', async () => {
    const { client, sim } = t;
    const ns = 'flink-app7';
    await createNamespaceWithSa(client, ns, 'flink');
    const register = async (image: string, flinkVersion: string) => {
      const reg = await fetch(`${sim.url}/_sim/flink/images`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${sim.adminToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ image, flinkVersion, jars: [{ path: '/opt/flink/usrlib/hello.jar', base64: Buffer.from(printOnlyJar('com.example.Hello')).toString('base64') }] }),
      });
      expect(reg.status).toBe(201);
    };
    await register('registry.example.com/hello:1.20', '1.20.3');
    await applyCluster(client, { ns, cid: 'hello-120', image: 'registry.example.com/hello:1.20', sa: 'flink', mode: 'application', conf: { 'pipeline.jars': ['local:///opt/flink/usrlib/hello.jar'] } });
    const pod = await waitFor(async () => (await podsOf(client, ns, 'app=hello-120,component=jobmanager')).find((p) => p.status?.containerStatuses?.[0]?.lastState?.terminated), 'JM exited');
    expect(pod.status.containerStatuses[0].lastState.terminated.exitCode).toBe(2);
    // the container restarted (restartPolicy Always): the exited one's log is the previous one
    const prev = await client.request('GET', `/api/v1/namespaces/${ns}/pods/${pod.metadata.name}/log?previous=true`);
    const log = String(prev.body);
    expect(log).toContain('Fatal error occurred in the cluster entrypoint.');
    expect(log).toContain('ApplicationExecutionException: The application contains no execute() calls.');

    // a file in the image that is no zip: PackagedProgram cannot open it, the entrypoint exits with 1
    const broken = await fetch(`${sim.url}/_sim/flink/images`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${sim.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ image: 'registry.example.com/broken:1', flinkVersion: '1.20.3', jars: [{ path: '/opt/flink/usrlib/broken.jar', base64: Buffer.from('not a zip').toString('base64') }] }),
    });
    expect(broken.status).toBe(201);
    await applyCluster(client, { ns, cid: 'broken', image: 'registry.example.com/broken:1', sa: 'flink', mode: 'application', conf: { 'pipeline.jars': ['local:///opt/flink/usrlib/broken.jar'] } });
    const brokenPod = await waitFor(async () => (await podsOf(client, ns, 'app=broken,component=jobmanager')).find((p) => p.status?.containerStatuses?.[0]?.lastState?.terminated), 'JM exited');
    expect(brokenPod.status.containerStatuses[0].lastState.terminated.exitCode).toBe(1);
    const brokenLog = String((await client.request('GET', `/api/v1/namespaces/${ns}/pods/${brokenPod.metadata.name}/log?previous=true`)).body);
    expect(brokenLog).toContain("Error while opening jar file '/opt/flink/usrlib/broken.jar'");

    await register('registry.example.com/hello:2.3', '2.3.0');
    await applyCluster(client, { ns, cid: 'hello-23', image: 'registry.example.com/hello:2.3', sa: 'flink', mode: 'application', conf: { 'pipeline.jars': ['local:///opt/flink/usrlib/hello.jar'] } });
    await waitFor(async () => !(await client.getOrUndefined(`/apis/apps/v1/namespaces/${ns}/deployments/hello-23`)), 'Deployment deleted by the JobManager');
  });
});
