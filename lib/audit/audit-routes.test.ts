import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSim, stopProcess } from '@/e2e/support/processes';
import { SimClient } from '@/e2e/support/sim-client';
import { runAs, type Identity } from '@/lib/auth/identity';
import { signSession } from '@/lib/auth/session';
import { setLogSink } from '@/lib/log';
import { AUDIT_ANNOTATIONS, AUDIT_COMPONENT } from './audit-actions';

vi.mock('server-only', () => ({}));

// Every audited route against a simulated cluster this file starts: each action leaves one Event on
// the cluster's Deployment naming the user (kubectl get events shows it) and one JSON log line.
const createRoute = await import('@/app/api/clusters/route');
const clusterRoute = await import('@/app/api/clusters/[namespace]/[id]/route');
const purgeRoute = await import('@/app/api/ha-leftovers/[namespace]/[id]/route');
const cancelRoute = await import('@/app/api/clusters/[namespace]/[id]/jobs/[jobId]/cancel/route');
const jarDeleteRoute = await import('@/app/api/clusters/[namespace]/[id]/jars/[jarId]/route');
const jarRunRoute = await import('@/app/api/clusters/[namespace]/[id]/jars/[jarId]/run/route');
const jarUploadRoute = await import('@/app/api/clusters/[namespace]/[id]/jars/route');
const stopRoute = await import('@/app/api/clusters/[namespace]/[id]/jobs/[jobId]/stop/route');
const savepointRoute = await import('@/app/api/clusters/[namespace]/[id]/jobs/[jobId]/savepoints/route');
const checkpointRoute = await import('@/app/api/clusters/[namespace]/[id]/jobs/[jobId]/checkpoints/route');
const failoverRoute = await import('@/app/api/clusters/[namespace]/[id]/failover/route');

type AuditEvent = {
  metadata: { name: string; annotations?: Record<string, string> };
  involvedObject: { kind: string; name: string; uid?: string };
  reason: string;
  type: string;
  message: string;
  reportingComponent?: string;
  action?: string;
};

let dataDir: string;
let simProcess: ChildProcess;
let sim: SimClient;
let kubeconfig: string;
const ns = `audit-${Date.now().toString(36)}`;
// The user a signed-in request acts for (mode none: a display name, so the sim's admin credentials decide).
const alice: Identity = { mode: 'token', user: 'alice', groups: ['team-a', 'flink-admins'] };
// Routes authenticate each request from its session cookie (lib/auth) and impersonate its user, so
// alice signs in for real: a session signed with this deployment's secret, in token mode.
const SESSION_SECRET = 'audit-routes-test-session-secret-0123456789';
const env = { ...process.env };
/** A request carrying alice's session cookie. */
class AliceRequest extends Request {
  constructor(url: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    headers.set('cookie', `fd_session=${signSession({ mode: 'token', user: alice.user, groups: alice.groups }, SESSION_SECRET, 3_600_000).value}`);
    super(url, { ...init, headers });
  }
}
const logLines: Record<string, unknown>[] = [];

function kubectl(args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('kubectl', ['--kubeconfig', kubeconfig, ...args], { timeout: 60_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout),
    ),
  );
}

async function auditEvents(clusterId: string): Promise<AuditEvent[]> {
  const list = (await sim.request('GET', `/api/v1/namespaces/${ns}/events?fieldSelector=involvedObject.name%3D${clusterId}`)) as { items: AuditEvent[] };
  return list.items.filter((e) => e.reportingComponent === AUDIT_COMPONENT);
}

function auditLogs(action: string, clusterId: string) {
  return logLines.filter((l) => l.msg === 'audit' && l.action === action && l.target === `${ns}/${clusterId}`);
}

const params = <E extends Record<string, string> = Record<never, string>>(id: string, extra?: E) => ({ params: Promise.resolve({ namespace: ns, id, ...(extra as E) }) });

function create(clusterId: string) {
  return runAs(alice, () =>
    createRoute.POST(
      new AliceRequest('http://dashboard.test/api/clusters', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ clusterId, namespace: ns }),
      }),
      {},
    ),
  );
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'flink-dash-audit-'));
  const started = await startSim(path.join(dataDir, 'sim'));
  simProcess = started.child;
  kubeconfig = started.info.kubeconfig;
  sim = new SimClient(started.info.url, kubeconfig);
  await sim.createNamespace(ns);
  process.env.FLINK_DASHBOARD_KUBECONFIG = kubeconfig;
  process.env.FLINK_DASHBOARD_AUTH = 'token';
  process.env.FLINK_DASHBOARD_SESSION_SECRET = SESSION_SECRET;
  process.env.FLINK_DASHBOARD_TOKENS_SECRET = `${ns}/flink-dashboard-tokens`;
  // alice's group may do everything here; her requests are impersonated, as in a real deployment.
  await sim.request('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: `audit-admins-${ns}` },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ kind: 'Group', name: 'flink-admins', apiGroup: 'rbac.authorization.k8s.io' }],
  });
  setLogSink((line) => logLines.push(JSON.parse(line) as Record<string, unknown>));
}, 180_000);

afterEach(async () => {
  await sim.request('POST', '/_sim/faults', {});
});

afterAll(async () => {
  process.env = env;
  setLogSink(undefined);
  await stopProcess(simProcess);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('audit of the cluster routes', () => {
  it('create: one ClusterCreated Event on the new Deployment (by uid) naming the user, shown by kubectl get events, and one JSON log line', async () => {
    const res = await create('orders');
    expect(res.status).toBe(201);
    const { uid } = (await res.json()) as { uid: string };
    const events = await auditEvents('orders');
    expect(events).toHaveLength(1);
    const [e] = events;
    expect(e).toMatchObject({
      reason: 'ClusterCreated',
      type: 'Normal',
      action: 'Create',
      involvedObject: { kind: 'Deployment', name: 'orders', uid },
      message: `alice created cluster ${ns}/orders.`,
    });
    expect(e.metadata.annotations).toMatchObject({
      [AUDIT_ANNOTATIONS.user]: 'alice',
      [AUDIT_ANNOTATIONS.groups]: 'team-a,flink-admins',
      [AUDIT_ANNOTATIONS.action]: 'create',
      [AUDIT_ANNOTATIONS.result]: 'success',
    });
    const table = await kubectl(['get', 'events', '-n', ns]);
    expect(table).toMatch(/ClusterCreated\s+deployment\/orders\s+alice created cluster/);
    const logs = auditLogs('create', 'orders');
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ level: 'info', msg: 'audit', user: 'alice', groups: ['team-a', 'flink-admins'], action: 'create', result: 'success', event: true });
    expect(Date.parse(logs[0].time as string)).not.toBeNaN();
  });

  it('a failed create is recorded as a Warning with the failure in plain words', async () => {
    const res = await create('orders');
    expect(res.status).toBe(409);
    const { error } = (await res.json()) as { error: { message: string } };
    const failed = (await auditEvents('orders')).filter((e) => e.reason === 'ClusterCreateFailed');
    expect(failed).toHaveLength(1);
    expect(failed[0].type).toBe('Warning');
    expect(failed[0].message).toBe(`alice could not create cluster ${ns}/orders: ${error.message}`);
    expect(failed[0].metadata.annotations?.[AUDIT_ANNOTATIONS.result]).toBe('failure');
    expect(auditLogs('create', 'orders').at(-1)).toMatchObject({ level: 'warn', result: 'failure', error: error.message });
  });

  it('job and jar actions on a cluster whose JobManager does not answer yet are recorded as failures naming the job or jar', async () => {
    const jobId = 'a'.repeat(32);
    const cancel = await runAs(alice, () => cancelRoute.POST(new AliceRequest(`http://dashboard.test/api/clusters/${ns}/orders/jobs/${jobId}/cancel`, { method: 'POST' }), params('orders', { jobId })));
    expect(cancel.status).toBeGreaterThanOrEqual(400);
    const jar = 'f0f0f0f0-0000-4000-8000-000000000000_job.jar';
    const jarDelete = await runAs(alice, () => jarDeleteRoute.DELETE(new AliceRequest(`http://dashboard.test/api/clusters/${ns}/orders/jars/${jar}`, { method: 'DELETE' }), params('orders', { jarId: jar })));
    expect(jarDelete.status).toBeGreaterThanOrEqual(400);
    const events = await auditEvents('orders');
    const cancelled = events.filter((e) => e.reason === 'JobCancelFailed');
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0].message).toContain(`alice could not cancel job ${jobId} of cluster ${ns}/orders: `);
    const jarEvents = events.filter((e) => e.reason === 'JarDeleteFailed');
    expect(jarEvents).toHaveLength(1);
    expect(jarEvents[0].message).toContain(`alice could not delete jar ${jar} of cluster ${ns}/orders: `);
  });

  it('stop, savepoint, checkpoint, jar upload, jar run and Test failover each leave one Event naming the user', async () => {
    const jobId = 'b'.repeat(32);
    const jar = 'f0f0f0f0-0000-4000-8000-000000000000_job.jar';
    const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const base = `http://dashboard.test/api/clusters/${ns}/orders`;
    const answers = await runAs(alice, () =>
      Promise.all([
        stopRoute.POST(new AliceRequest(`${base}/jobs/${jobId}/stop`, json({})), params('orders', { jobId })),
        savepointRoute.POST(new AliceRequest(`${base}/jobs/${jobId}/savepoints`, json({})), params('orders', { jobId })),
        checkpointRoute.POST(new AliceRequest(`${base}/jobs/${jobId}/checkpoints`, json({})), params('orders', { jobId })),
        jarUploadRoute.POST(new AliceRequest(`${base}/jars?name=job.jar`, { method: 'POST', headers: { 'content-type': 'application/java-archive' }, body: new Uint8Array([0x50, 0x4b, 3, 4]) }), params('orders')),
        jarRunRoute.POST(new AliceRequest(`${base}/jars/${jar}/run`, json({ jobId: 'c'.repeat(32) })), params('orders', { jarId: jar })),
        failoverRoute.POST(new AliceRequest(`${base}/failover`, json({})), params('orders')),
      ]),
    );
    // Whatever each answered (the JobManager may answer by now; the cluster has no HA), each left one
    // Event naming alice: the success reason when it succeeded, the …Failed Warning with the reason when not.
    const events = await auditEvents('orders');
    const expected = [
      ['JobStopWithSavepoint', 'JobStopFailed', `job ${jobId} of cluster ${ns}/orders`],
      ['SavepointTriggered', 'SavepointFailed', `savepoint of job ${jobId} of cluster ${ns}/orders`],
      ['CheckpointTriggered', 'CheckpointFailed', `checkpoint of job ${jobId} of cluster ${ns}/orders`],
      ['JarUploaded', 'JarUploadFailed', `jar job.jar of cluster ${ns}/orders`],
      ['JarRun', 'JarRunFailed', `jar ${jar} of cluster ${ns}/orders`],
      ['TestFailover', 'TestFailoverFailed', `Test failover on cluster ${ns}/orders`],
    ] as const;
    for (const [i, [ok, failed, words]] of expected.entries()) {
      const res = answers[i];
      const reason = res.ok ? ok : failed;
      const matching = events.filter((e) => e.reason === ok || e.reason === failed);
      expect(matching.map((e) => e.reason), `${reason} (HTTP ${res.status})`).toEqual([reason]);
      expect(matching[0].message).toMatch(/^alice /);
      expect(matching[0].message).toContain(words);
      expect(matching[0].type).toBe(res.ok ? 'Normal' : 'Warning');
      if (!res.ok) expect(matching[0].message).toContain(((await res.json()) as { error: { message: string } }).error.message);
      expect(matching[0].metadata.annotations?.[AUDIT_ANNOTATIONS.user]).toBe('alice');
    }
    // Test failover on a cluster without HA is refused (there is no leader), and says why.
    expect(answers[5].status).toBe(409);
  });

  it('delete: a ClusterDeleted Event names the deleted Deployment by name and uid, and outlives it', async () => {
    const before = (await sim.request('GET', `/apis/apps/v1/namespaces/${ns}/deployments/orders`)) as { metadata: { uid: string } };
    const res = await runAs(alice, () =>
      clusterRoute.DELETE(
        new AliceRequest(`http://dashboard.test/api/clusters/${ns}/orders`, { method: 'DELETE', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ purgeHaData: true }) }),
        params('orders'),
      ),
    );
    expect(res.status).toBe(200);
    await expect(sim.request('GET', `/apis/apps/v1/namespaces/${ns}/deployments/orders`)).rejects.toThrow(/404/);
    const deleted = (await auditEvents('orders')).filter((e) => e.reason === 'ClusterDeleted');
    expect(deleted).toHaveLength(1);
    expect(deleted[0]).toMatchObject({ type: 'Normal', involvedObject: { name: 'orders', uid: before.metadata.uid }, message: `alice deleted cluster ${ns}/orders.` });
  });

  it('HA purge is recorded too; a purge that finds nothing writes nothing', async () => {
    // What Flink's HA services leave behind once the cluster is gone: its cluster ConfigMap.
    await sim.request('POST', `/api/v1/namespaces/${ns}/configmaps`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'orders-cluster-config-map', labels: { app: 'orders', type: 'flink-native-kubernetes', 'configmap-type': 'high-availability' } },
      data: {},
    });
    const purge = () => runAs(alice, () => purgeRoute.DELETE(new AliceRequest(`http://dashboard.test/api/ha-leftovers/${ns}/orders`, { method: 'DELETE' }), params('orders')));
    const res = await purge();
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ purged: ['orders-cluster-config-map'] });
    const events = (await auditEvents('orders')).filter((e) => e.reason === 'HADataPurged');
    expect(events).toHaveLength(1);
    expect(events[0].message).toMatch(new RegExp(`^alice purged the HA data of cluster ${ns}/orders`));
    // Again: nothing left, nothing changed, no Event.
    const again = await purge();
    expect(await again.json()).toMatchObject({ purged: [] });
    expect((await auditEvents('orders')).filter((e) => e.reason === 'HADataPurged')).toHaveLength(1);
  });

  it('a failed audit write is logged and does not turn a successful create into an error', async () => {
    await sim.request('POST', '/_sim/faults', { failureRate: 1, pathPrefix: `/api/v1/namespaces/${ns}/events`, method: 'POST' });
    const res = await create('billing');
    expect(res.status).toBe(201);
    await sim.request('POST', '/_sim/faults', {});
    expect(await auditEvents('billing')).toHaveLength(0);
    expect(auditLogs('create', 'billing')).toEqual([expect.objectContaining({ result: 'success', event: false })]);
    expect(logLines.some((l) => l.msg === 'audit event not recorded' && l.clusterId === 'billing')).toBe(true);
  });

  it('with no login (none mode) the actor is anonymous', async () => {
    process.env.FLINK_DASHBOARD_AUTH = 'none';
    const res = await createRoute.POST(
      new Request('http://dashboard.test/api/clusters', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clusterId: 'anon', namespace: ns }) }),
      {},
    );
    expect(res.status).toBe(201);
    const [e] = await auditEvents('anon');
    expect(e.message).toBe(`anonymous created cluster ${ns}/anon.`);
    expect(e.metadata.annotations?.[AUDIT_ANNOTATIONS.user]).toBe('anonymous');
    process.env.FLINK_DASHBOARD_AUTH = 'token';
  });
});
