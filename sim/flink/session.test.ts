import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { applyCluster, createNamespaceWithSa, flinkRest, jarForm, logsOf, podsOf, startFlinkSim, testJar, waitFor, type FlinkTestSim } from './testing';
import { delegatingJar, printOnlyJar, streamJobJar } from './testing-jars';
import { flinkWorldOf } from './index';

let t: FlinkTestSim;
beforeAll(async () => {
  t = await startFlinkSim();
});
afterAll(async () => {
  await t?.stop();
});

describe('session cluster applied by hand', { timeout: 180_000 }, () => {
  it('runs a JobManager, takes a jar through the service proxy and creates TaskManager pods', async () => {
    const { client, sim } = t;
    const ns = 'flink-s1';
    const cid = 'session-a';
    await createNamespaceWithSa(client, ns, 'flink');
    const deployment = await applyCluster(client, { ns, cid, image: 'flink:1.20.1-scala_2.12-java17', sa: 'flink' });

    const jm = await waitFor(async () => (await podsOf(client, ns, `app=${cid},component=jobmanager`)).find((p) => p.status?.phase === 'Running'), 'JM Running');
    const config = await waitFor(async () => {
      const r = await flinkRest(sim, ns, cid, '/config');
      return r.status === 200 ? r.body : undefined;
    }, 'REST /config');
    expect(config['flink-version']).toBe('1.20.1');
    expect(config.features['web-submit']).toBe(true);
    expect((await flinkRest(sim, ns, cid, '/taskmanagers')).body).toEqual({ taskmanagers: [] });

    const up = await flinkRest(sim, ns, cid, '/jars/upload', { method: 'POST', form: jarForm('my-job.jar', testJar('com.example.StreamingJob')) });
    expect(up.status).toBe(200);
    expect(up.body.status).toBe('success');
    const jarId = up.body.filename.split('/').pop();
    expect(jarId).toMatch(/^[0-9a-f-]{36}_my-job\.jar$/);
    const jars = await flinkRest(sim, ns, cid, '/jars');
    expect(jars.body.files[0]).toMatchObject({ id: jarId, name: 'my-job.jar', entry: [{ name: 'com.example.StreamingJob', description: null }] });

    const jobId = 'a'.repeat(32);
    const run = await flinkRest(sim, ns, cid, `/jars/${jarId}/run`, { method: 'POST', body: { jobId, parallelism: 2 } });
    expect(run).toEqual({ status: 200, body: { jobid: jobId } });
    const dup = await flinkRest(sim, ns, cid, `/jars/${jarId}/run`, { method: 'POST', body: { jobId } });
    expect(dup.status).toBe(400);
    expect(dup.body.errors[0]).toContain('DuplicateJobSubmissionException: Job has already been submitted.');

    const tms = await waitFor(async () => {
      const pods = await podsOf(client, ns, `app=${cid},component=taskmanager`);
      return pods.length === 2 ? pods : undefined;
    }, 'two TaskManager pods');
    expect(tms.map((p) => p.metadata.name).sort()).toEqual([`${cid}-taskmanager-1-1`, `${cid}-taskmanager-1-2`]);
    for (const p of tms) {
      expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: cid, uid: deployment.metadata.uid, controller: true, blockOwnerDeletion: true }]);
      expect(p.spec.restartPolicy).toBe('Never');
      expect(p.spec.serviceAccountName).toBe('flink');
      expect(p.metadata.labels).toEqual({ type: 'flink-native-kubernetes', app: cid, component: 'taskmanager' });
    }
    const job = await waitFor(async () => {
      const r = await flinkRest(sim, ns, cid, `/jobs/${jobId}`);
      return r.body.state === 'RUNNING' && r.body.vertices.every((v: any) => v.status === 'RUNNING') ? r.body : undefined;
    }, 'job RUNNING');
    expect(job.name).toBe('StreamingJob');
    expect(job.vertices.map((v: any) => v.parallelism)).toEqual([2, 2, 2]);
    const tmList = await flinkRest(sim, ns, cid, '/taskmanagers');
    expect(tmList.body.taskmanagers.map((x: any) => x.id).sort()).toEqual([`${cid}-taskmanager-1-1`, `${cid}-taskmanager-1-2`]);

    // cancel: CANCELED, then the idle TaskManagers are released
    expect((await flinkRest(sim, ns, cid, `/jobs/${jobId}`, { method: 'PATCH' })).status).toBe(202);
    await waitFor(async () => (await flinkRest(sim, ns, cid, `/jobs/${jobId}/status`)).body.status === 'CANCELED', 'CANCELED');
    const again = await flinkRest(sim, ns, cid, `/jobs/${jobId}`, { method: 'PATCH' });
    expect(again.status).toBe(409);
    await waitFor(async () => (await podsOf(client, ns, `app=${cid},component=taskmanager`)).length === 0, 'idle TMs released');
    const log = await logsOf(client, ns, jm.metadata.name);
    expect(log).toContain('Starting KubernetesSessionClusterEntrypoint');
    expect(log).toContain(`switched from state RUNNING to CANCELLING`);

    // deleting the Deployment removes everything it owns
    await client.delete(`/apis/apps/v1/namespaces/${ns}/deployments/${cid}`);
    await waitFor(async () => (await podsOf(client, ns, `app=${cid}`)).length === 0, 'pods gone');
    await waitFor(async () => !(await client.getOrUndefined(`/api/v1/namespaces/${ns}/configmaps/flink-config-${cid}`)), 'config map gone');
  });

  it('without pod-create rights: no TaskManagers, Forbidden in the JobManager log, job waits for slots', async () => {
    const { client, sim } = t;
    const ns = 'flink-s2';
    const cid = 'session-b';
    await createNamespaceWithSa(client, ns, 'weak', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }, { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] }]);
    await applyCluster(client, { ns, cid, image: 'apache/flink:2.0.1-java17', sa: 'weak', conf: { 'slot.request.timeout': '60 s' } });
    await waitFor(async () => (await flinkRest(sim, ns, cid, '/config')).status === 200, 'REST');
    const up = await flinkRest(sim, ns, cid, '/jars/upload', { method: 'POST', form: jarForm('j.jar', testJar('org.example.Job')) });
    const jarId = up.body.filename.split('/').pop();
    const run = await flinkRest(sim, ns, cid, `/jars/${jarId}/run`, { method: 'POST', body: {} });
    expect(run.status).toBe(200);
    const jm = (await podsOf(client, ns, `app=${cid},component=jobmanager`))[0];
    await waitFor(async () => (await logsOf(client, ns, jm.metadata.name)).includes('is forbidden'), 'Forbidden in log');
    const log = await logsOf(client, ns, jm.metadata.name);
    expect(log).toContain(`pods is forbidden: User "system:serviceaccount:${ns}:weak" cannot create resource "pods" in API group "" in the namespace "${ns}"`);
    expect((await podsOf(client, ns, `app=${cid},component=taskmanager`)).length).toBe(0);
    const job = await flinkRest(sim, ns, cid, `/jobs/${run.body.jobid}`);
    expect(job.body.state).toBe('RUNNING');
    expect(job.body.vertices[0].status).toBe('SCHEDULED');
  });

  it('answers Flink errors for bad uploads and unknown jobs', async () => {
    const { client, sim } = t;
    const ns = 'flink-s3';
    const cid = 'session-c';
    await createNamespaceWithSa(client, ns, 'flink');
    await applyCluster(client, { ns, cid, image: 'flink:1.19.3', sa: 'flink', legacy: true });
    await waitFor(async () => (await flinkRest(sim, ns, cid, '/config')).status === 200, 'REST');
    const notJar = new FormData();
    notJar.append('jarfile', new Blob([new Uint8Array([1, 2])]), 'x.zip');
    const r1 = await flinkRest(sim, ns, cid, '/jars/upload', { method: 'POST', form: notJar });
    expect(r1.status).toBe(400);
    expect(r1.body.errors[0]).toContain('Only Jar files are allowed.');
    const r2 = await flinkRest(sim, ns, cid, '/jars/upload', { method: 'POST', form: new FormData() });
    expect(r2.status).toBe(400);
    expect(r2.body.errors[0]).toContain('Exactly 1 file must be sent, received 0.');
    const r3 = await flinkRest(sim, ns, cid, `/jobs/${'b'.repeat(32)}`);
    expect(r3.status).toBe(404);
    const r4 = await flinkRest(sim, ns, cid, '/nope');
    expect(r4).toEqual({ status: 404, body: { errors: ['Not found: /nope'] } });
    const up = await flinkRest(sim, ns, cid, '/jars/upload', { method: 'POST', form: jarForm('j.jar', testJar('org.example.Job')) });
    const jarId = up.body.filename.split('/').pop();
    const r5 = await flinkRest(sim, ns, cid, `/jars/${jarId}/run`, { method: 'POST', body: { entryClass: 'org.example.Missing' } });
    // JarHandlerContext.toPackagedProgram throws a CompletionException synchronously: AbstractHandler answers 500
    expect(r5.status).toBe(500);
    expect(r5.body.errors[0]).toBe('Internal server error.');
    expect(r5.body.errors[1]).toContain("ProgramInvocationException: The program's entry point class 'org.example.Missing' was not found in the jar file.");
    expect((await flinkRest(sim, ns, cid, `/jars/${jarId}`, { method: 'DELETE' })).status).toBe(200);
    expect((await flinkRest(sim, ns, cid, `/jars/${jarId}`, { method: 'DELETE' })).status).toBe(400);
  });
  it('refuses to run a jar whose main builds no Flink job, as JarRunHandler does; jars are files on the JobManager disk', async () => {
    const { client, sim } = t;
    const ns = 'flink-s4';
    const cid = 'session-d';
    await createNamespaceWithSa(client, ns, 'flink');
    await applyCluster(client, { ns, cid, image: 'flink:1.20.3', sa: 'flink' });
    await waitFor(async () => (await flinkRest(sim, ns, cid, '/config')).status === 200, 'REST');
    const upload = async (name: string, bytes: Uint8Array) => (await flinkRest(sim, ns, cid, '/jars/upload', { method: 'POST', form: jarForm(name, bytes) })).body.filename.split('/').pop();
    const printId = await upload('hello.jar', printOnlyJar('com.example.Hello'));
    const run = await flinkRest(sim, ns, cid, `/jars/${printId}/run`, { method: 'POST', body: { parallelism: 2 } });
    expect(run.status).toBe(400);
    expect(run.body.errors).toHaveLength(1);
    expect(run.body.errors[0]).toMatch(/^org\.apache\.flink\.runtime\.rest\.handler\.RestHandlerException: No jobs included in application\.\n/);
    expect((await flinkRest(sim, ns, cid, '/jobs')).body).toEqual({ jobs: [] });
    // JarPlanHandler: PackagedProgramUtils finds no pipeline (500, the ProgramInvocationException on the server side)
    const planned = await flinkRest(sim, ns, cid, `/jars/${printId}/plan`, { method: 'POST', body: {} });
    expect(planned.status).toBe(500);
    expect(planned.body.errors[1]).toContain('ProgramInvocationException: The program plan could not be fetched - the program aborted pre-maturely.');
    // a main that hands over to another class of the jar which builds the job runs
    const delegId = await upload('deleg.jar', delegatingJar('com.example.Main', 'com.example.Pipeline'));
    const ok = await flinkRest(sim, ns, cid, `/jars/${delegId}/run`, { method: 'POST', body: {} });
    expect(ok.status).toBe(200);
    // the job is named as the main names it (env.execute("Pipeline") in the delegate)
    expect((await flinkRest(sim, ns, cid, `/jobs/${ok.body.jobid}`)).body.name).toBe('Pipeline');
    const named = await upload('etl.jar', streamJobJar('com.example.Etl', { jobName: 'Nightly ETL' }));
    const etl = await flinkRest(sim, ns, cid, `/jars/${named}/run`, { method: 'POST', body: {} });
    expect((await flinkRest(sim, ns, cid, `/jobs/${etl.body.jobid}`)).body.name).toBe('Nightly ETL');
    expect((await flinkRest(sim, ns, cid, `/jars/${named}`, { method: 'DELETE' })).status).toBe(200);
    // a text file named .jar is accepted (JarUploadHandler checks the name only), listed without entries, and cannot run
    const textId = await upload('notes.jar', new TextEncoder().encode('not a zip\n'));
    const list = (await flinkRest(sim, ns, cid, '/jars')).body.files;
    expect(list.map((f: any) => [f.name, f.entry])).toEqual([
      ['notes.jar', []],
      ['deleg.jar', [{ name: 'com.example.Main', description: null }]],
      ['hello.jar', [{ name: 'com.example.Hello', description: null }]],
    ]);
    const bad = await flinkRest(sim, ns, cid, `/jars/${textId}/run`, { method: 'POST', body: {} });
    expect(bad.status).toBe(500);
    expect(bad.body.errors[1]).toContain(`ProgramInvocationException: Error while opening jar file '`);
    // the bytes live in a file under the sim's data dir, in the JobManager's web.tmpdir/flink-web-upload
    const jm = flinkWorldOf(sim)!.leaderOf(ns, cid)!;
    const cfg = (await flinkRest(sim, ns, cid, '/jobmanager/config')).body as { key: string; value: string }[];
    const tmp = cfg.find((e) => e.key === 'web.tmpdir')!.value;
    expect(tmp).toMatch(/^\/tmp\/flink-web-[0-9a-f-]{36}$/);
    const dir = jm.localPath(`${tmp}/flink-web-upload`);
    expect(dir.startsWith(sim.dataDir + path.sep)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual([printId, delegId, textId].sort());
    expect((await flinkRest(sim, ns, cid, `/jars/${printId}`, { method: 'DELETE' })).status).toBe(200);
    expect(existsSync(path.join(dir, printId))).toBe(false);
    // the container's disk goes with the pod
    await client.delete(`/apis/apps/v1/namespaces/${ns}/deployments/${cid}`);
    await waitFor(() => !existsSync(jm.localDir), 'JobManager disk removed');
  });
});
