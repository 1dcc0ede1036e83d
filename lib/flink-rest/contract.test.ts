import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSim, stopProcess } from '@/e2e/support/processes';
import { SimClient } from '@/e2e/support/sim-client';
import { ApiError } from '@/lib/api/api-error';
import { clusterSpecSchema } from '@/lib/flink/cluster-spec-schema';
import { FlinkRestError } from './errors';
import { knownDeviationOf } from './known-deviations';
import { OpenApiContract } from './testing/openapi-contract';
import { jarUploadBody, testJar } from './testing/test-jar';
import type { Exchange } from './transport';
import type { RestLine } from './versions';

vi.mock('server-only', () => ({}));
const { createFlinkClient } = await import('./flink-client');
const { getConnection } = await import('@/lib/k8s/kubeconfig');
const { createCluster } = await import('@/lib/k8s/clusters/create-cluster');

// Contract: every request the client builds, and every answer it accepts, validates against the OpenAPI
// file of the cluster's REST line, against session clusters of each version on the sim. Known places
// where Flink differs from its own file are forgiven through known-deviations.ts, nothing else.

let dataDir: string;
let simProcess: ChildProcess;
let sim: SimClient;
const ns = `flinkcontract-${Date.now().toString(36)}`;
const hex32 = () => randomBytes(16).toString('hex');

const VERSIONS: { flinkVersion: '1.19' | '1.20' | '2.0' | '2.3'; line: RestLine }[] = [
  { flinkVersion: '1.19', line: '1.19' },
  { flinkVersion: '1.20', line: '1.20' },
  { flinkVersion: '2.0', line: '2.0' },
  { flinkVersion: '2.3', line: '2.3' },
];
const cidOf = (v: string) => `contract-${v.replace('.', '-')}`;

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200)); // poll interval, not a synchronisation
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'flink-dash-contract-'));
  const started = await startSim(path.join(dataDir, 'sim'));
  simProcess = started.child;
  sim = new SimClient(started.info.url, started.info.kubeconfig);
  await sim.createNamespace(ns);
  process.env.FLINK_DASHBOARD_KUBECONFIG = started.info.kubeconfig;
  const conn = getConnection();
  // All clusters at once: their JobManagers start while the first version is tested.
  await Promise.all([
    ...VERSIONS.map((v) =>
      createCluster(
        conn,
        clusterSpecSchema.parse({
          clusterId: cidOf(v.flinkVersion),
          namespace: ns,
          flinkVersion: v.flinkVersion,
          flinkConfig: [
            { key: 'execution.checkpointing.interval', value: '200 ms' },
            { key: 'execution.checkpointing.dir', value: `s3://cp/${cidOf(v.flinkVersion)}` },
            // one cluster on another REST port: jar calls find it through the rest Service's target port
            ...(v.flinkVersion === '2.0' ? [{ key: 'rest.port', value: '8082' }] : []),
          ],
        }),
      ),
    ),
    createCluster(
      conn,
      clusterSpecSchema.parse({
        clusterId: 'contract-ha',
        namespace: ns,
        flinkVersion: '1.20',
        jobManager: { replicas: 2 },
        ha: { enabled: true, storageDir: 's3://flink-ha/ha', leaseDuration: '4 s', renewDeadline: '3 s', retryPeriod: '1 s' },
      }),
    ),
  ]);
}, 180_000);

afterAll(async () => {
  await stopProcess(simProcess);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the Flink REST client against the sim, checked against the OpenAPI file of each version', () => {
  for (const { flinkVersion, line } of VERSIONS) {
    it(`Flink ${flinkVersion} (REST line ${line})`, async () => {
      const cid = cidOf(flinkVersion);
      const contract = new OpenApiContract(line);
      const exchanges: Exchange[] = [];
      const client = createFlinkClient(getConnection(), ns, cid, { observe: (x) => exchanges.push(x) });

      const cfg = await waitFor('the REST API', () => client.config());
      expect(cfg).toMatchObject({ restLine: line, webSubmit: true, flinkVersion: expect.stringMatching(new RegExp(`^${flinkVersion.replace('.', '\\.')}\\.`)) });

      // jars: upload, list (entry class found), run with args and a browser-made job id
      const { body, contentType } = jarUploadBody('contract-job.jar', testJar('org.example.ContractJob'));
      const uploaded = await client.uploadJar(body, contentType, body.byteLength);
      expect(uploaded.jarId).toMatch(/_contract-job\.jar$/);
      const restPort = flinkVersion === '2.0' ? 8082 : 8081;
      expect(uploaded.target).toMatchObject({ via: 'single-jobmanager', port: restPort, proxyBase: expect.stringMatching(new RegExp(`/pods/${cid}-[a-z0-9]+-[a-z0-9]+:${restPort}/proxy$`)) });
      const jars = await client.listJars();
      expect(jars.files?.find((f) => f.id === uploaded.jarId)).toMatchObject({ name: 'contract-job.jar', entry: [{ name: 'org.example.ContractJob' }] });
      const jobId = hex32();
      const run = await client.runJar(uploaded.jarId, { jobId, parallelism: 1, programArgs: ['--rate', '10 per second'], entryClass: 'org.example.ContractJob' });
      expect(run.jobId).toBe(jobId);
      if (line === '2.3') expect(run.applicationId).toMatch(/^[0-9a-f]{32}$/);
      else expect(run.applicationId).toBeUndefined();

      // a second run with the same job id is Flink's duplicate-job error, not a second job
      const again = await client.runJar(uploaded.jarId, { jobId, parallelism: 1 }).catch((e: unknown) => e);
      expect(again).toBeInstanceOf(FlinkRestError);
      expect((again as FlinkRestError).status).toBe(400);
      expect((again as FlinkRestError).detail).toMatch(/DuplicateJobSubmissionException|already been submitted/);

      // reads
      await waitFor('RUNNING', async () => (await client.job(jobId)).state === 'RUNNING');
      const job = await client.job(jobId);
      expect(job.jid).toBe(jobId);
      if (line === '2.3') expect(job.applicationId).toBe(run.applicationId);
      expect((await client.jobsOverview()).map((j) => j.jid)).toContain(jobId);
      await waitFor('a checkpoint', async () => ((await client.jobCheckpoints(jobId))?.counts?.completed ?? 0) > 0);
      expect((await client.overview()).taskmanagers).toBeGreaterThanOrEqual(1);
      expect(await client.jobExceptions(jobId)).toEqual({ entries: [], truncated: false });
      expect(await client.jobStatus(jobId)).toBe('RUNNING');
      expect(await client.jobMetrics(jobId, ['numRestarts'])).toEqual({ numRestarts: '0' });
      const tms = await client.taskManagers();
      expect(tms.taskmanagers?.[0]?.id).toMatch(new RegExp(`^${cid}-taskmanager-`));

      // a manual checkpoint, a savepoint, both followed to the end
      const cp = await client.triggerCheckpoint(jobId, { checkpointType: 'FULL', triggerId: hex32() });
      const cpDone = await waitFor('checkpoint', async () => {
        const s = await client.checkpointStatus(jobId, cp.triggerId);
        return s.status === 'IN_PROGRESS' ? undefined : s;
      });
      expect(cpDone).toMatchObject({ status: 'COMPLETED', checkpointId: expect.any(Number) });
      const sp = await client.triggerSavepoint(jobId, { targetDirectory: `s3://sp/${cid}`, formatType: 'CANONICAL' });
      const spDone = await waitFor('savepoint', async () => {
        const s = await client.savepointStatus(jobId, sp.triggerId);
        return s.status === 'IN_PROGRESS' ? undefined : s;
      });
      expect(spDone).toMatchObject({ status: 'COMPLETED', location: expect.stringMatching(new RegExp(`^s3://sp/${cid}/savepoint-`)) });

      if (line === '2.3') {
        const apps = await client.applications();
        expect(apps.applications?.length).toBeGreaterThanOrEqual(1);
      } else {
        await expect(client.applications()).rejects.toThrow(`Applications exist from Flink 2.3 on; this cluster runs Flink ${cfg.flinkVersion}.`);
      }

      // stop with a savepoint → FINISHED
      const stop = await client.stopWithSavepoint(jobId, { targetDirectory: `s3://sp/${cid}`, drain: false });
      const stopped = await waitFor('stop-with-savepoint', async () => {
        const s = await client.savepointStatus(jobId, stop.triggerId);
        return s.status === 'IN_PROGRESS' ? undefined : s;
      });
      expect(stopped.status).toBe('COMPLETED');
      await waitFor('FINISHED', async () => (await client.job(jobId)).state === 'FINISHED');

      // a second job, cancelled
      const second = await client.runJar(uploaded.jarId, { parallelism: 1 });
      await waitFor('second job RUNNING', async () => (await client.job(second.jobId)).state === 'RUNNING');
      if (line === '2.3') {
        // a job run on its own is an application of its own: cancelling that application cancels the job
        expect(second.applicationId).toMatch(/^[0-9a-f]{32}$/);
        expect(await client.application(second.applicationId!)).toMatchObject({ id: second.applicationId });
        await client.cancelApplication(second.applicationId!);
      } else {
        await client.cancel(second.jobId);
      }
      await waitFor('CANCELED', async () => (await client.job(second.jobId)).state === 'CANCELED');

      // an unknown job: Flink's 404 in plain words, the stack trace as detail
      const unknown = (await client.job('0'.repeat(32)).catch((e: unknown) => e)) as FlinkRestError;
      expect(unknown).toBeInstanceOf(FlinkRestError);
      expect(unknown.code).toBe('not_found');
      expect(unknown.message).not.toMatch(/\n|org\.apache/);

      await client.deleteJar(uploaded.jarId);
      expect((await client.listJars()).files?.map((f) => f.id)).not.toContain(uploaded.jarId);

      // the contract, over everything sent and accepted above
      const problems: string[] = [];
      for (const x of exchanges) {
        for (const i of contract.checkRequest(x.method, x.path, x.requestBody)) {
          if (!knownDeviationOf(i, x.path)) problems.push(`request ${x.method} ${x.path}: ${i.instancePath} ${i.message} (${i.schemaPath})`);
        }
        if (x.status >= 200 && x.status < 300) {
          for (const i of contract.checkResponse(x.method, x.path, x.status, x.responseBody)) {
            if (!knownDeviationOf(i, x.path)) problems.push(`response ${x.method} ${x.path} ${x.status}: ${i.instancePath} ${i.message} (${i.schemaPath})`);
          }
        }
      }
      expect(exchanges.length).toBeGreaterThan(20);
      expect(problems).toEqual([]);
    }, 240_000);
  }
});

describe('jar calls reach the leading JobManager', () => {
  it('with HA and two JobManagers: the restserver leader from the HA ConfigMap, also after a failover', async () => {
    const cid = 'contract-ha';
    const conn = getConnection();
    const client = createFlinkClient(conn, ns, cid);
    await waitFor('the REST API', () => client.config(), 120_000);
    type Pod = { metadata: { name: string }; status: { phase?: string; podIP?: string } };
    const pods = async () =>
      ((await sim.request('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(`app=${cid},component=jobmanager`)}`)) as { items: Pod[] }).items.filter(
        (p) => p.status.phase === 'Running',
      );
    await waitFor('two running JobManagers', async () => (await pods()).length === 2, 120_000);
    const leaderIp = async () => {
      const cm = (await sim.request('GET', `/api/v1/namespaces/${ns}/configmaps/${cid}-cluster-config-map`)) as { data?: Record<string, string> };
      return cm.data?.['org.apache.flink.k8s.leader.restserver']?.split(',')[1];
    };
    const leaderAddress = await waitFor('the restserver leader', leaderIp);
    const both = await pods();
    const leader = both.find((p) => leaderAddress === `http://${p.status.podIP}:8081`)!;
    const standby = both.find((p) => p.metadata.name !== leader.metadata.name)!;
    expect(leader).toBeDefined();
    expect(standby).toBeDefined();

    const target = await client.jarTarget();
    expect(target).toEqual({ podName: leader.metadata.name, port: 8081, via: 'ha-leader', proxyBase: `/api/v1/namespaces/${ns}/pods/${leader.metadata.name}:8081/proxy` });

    const { body, contentType } = jarUploadBody('ha-job.jar', testJar('org.example.HaJob'));
    const up = await client.uploadJar(body, contentType);
    expect(up.target.podName).toBe(leader.metadata.name);
    // on the leader's disk, not the standby's
    const jarsOn = async (pod: string) => ((await sim.request('GET', `/api/v1/namespaces/${ns}/pods/${pod}:8081/proxy/jars`)) as { files: { id: string }[] }).files.map((f) => f.id);
    expect(await jarsOn(leader.metadata.name)).toContain(up.jarId);
    expect(await jarsOn(standby.metadata.name)).not.toContain(up.jarId);
    const run = await client.runJar(up.jarId, { parallelism: 1 });
    expect(run.jobId).toMatch(/^[0-9a-f]{32}$/);

    // the leader stops renewing its lease: the standby takes over and jar calls follow it
    await sim.request('POST', `/_sim/flink/leases/${ns}/${leader.metadata.name}`, { paused: true });
    await waitFor('the standby to lead', async () => (await leaderIp()) === `http://${standby.status.podIP}:8081`, 120_000);
    const after = await client.jarTarget();
    expect(after).toMatchObject({ podName: standby.metadata.name, via: 'ha-leader' });
    expect((await client.listJars()).target.podName).toBe(standby.metadata.name);
  }, 300_000);

  it('a cluster without a running JobManager is a plain, retryable error', async () => {
    const client = createFlinkClient(getConnection(), ns, 'nothing-here');
    const err = await client.jarTarget().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      code: 'unavailable',
      message: `The JobManager's REST API is not up yet: cluster "nothing-here" has no running JobManager pod in namespace "${ns}".`,
    });
  });
});
