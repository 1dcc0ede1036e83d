import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHarness, type Harness } from '@/lib/k8s/clusters/testing/route-harness';

vi.mock('server-only', () => ({}));

// Every Kubernetes request runs as the signed-in user (impersonation by the dashboard's own
// credentials, here the sim's admin): RBAC per user, the permissions route, and informers shared per
// identity scope without leaking one user's objects to another. Against a sim this file starts.
const { runAs } = await import('@/lib/auth/identity');
const permissionsRoute = await import('./route');
const clustersRoute = await import('@/app/api/clusters/route');
const clusterRoute = await import('@/app/api/clusters/[namespace]/[id]/route');
const failoverRoute = await import('@/app/api/clusters/[namespace]/[id]/failover/route');
const jarsRoute = await import('@/app/api/clusters/[namespace]/[id]/jars/route');
const cancelRoute = await import('@/app/api/clusters/[namespace]/[id]/jobs/[jobId]/cancel/route');
const stopRoute = await import('@/app/api/clusters/[namespace]/[id]/jobs/[jobId]/stop/route');
const { subscribeClusterList } = await import('@/lib/k8s/flink-clusters');
const { countInformers } = await import('@/lib/k8s/informer-registry');
const { getConnection, getKubeconfig } = await import('@/lib/k8s/kubeconfig');
const { jobPollers, subscribeJobFeed, toPollerKey } = await import('@/lib/jobs/job-stream');

let h: Harness;
let ctx: string;
const run = Date.now().toString(36);
const A = `perm-a-${run}`;
const B = `perm-b-${run}`;
const alice = { mode: 'token' as const, user: 'alice', groups: ['team-a'] };
const bob = { mode: 'token' as const, user: 'bob', groups: ['team-b'] };
const carol = { mode: 'token' as const, user: 'carol', groups: [] as string[] };
/** Sets up the clusters: system:masters, impersonated like everyone else. */
const admin = { mode: 'token' as const, user: 'test-admin', groups: ['system:masters'] };
type Who = typeof alice;

// Where route wrappers authenticate each request from its session cookie (lib/auth/session.ts, the
// sign-in part of issue 13), a signed session is how a request becomes alice's; without it, runAs is.
// Either way the route runs as alice and its Kubernetes requests impersonate her.
const SESSION_SECRET = 'permissions-route-test-session-secret-0123456789';
type Sessions = { signSession(s: Who, secret: string, ttlMs: number): { value: string } };
const sessionModule = ['@/lib/auth', 'session'].join('/');
const sessions = (await import(/* @vite-ignore */ sessionModule).catch(() => undefined)) as Sessions | undefined;

type Route = (req: Request, ctx: never) => Promise<Response>;
/** Calls a route handler export as `who`, over a real Request (as Next would). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON answers; expect() checks the shape
async function callAs(who: Who, handler: Route, method: string, url: string, body?: unknown, params?: Record<string, string>): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  if (sessions) headers.cookie = `fd_session=${sessions.signSession(who, SESSION_SECRET, 3_600_000).value}`;
  const req = new Request(`http://dashboard.test${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const res = await runAs(who, () => handler(req, { params: Promise.resolve(params ?? {}) } as never));
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function bind(namespace: string, name: string, clusterRole: string, subject: { kind: 'User' | 'Group'; name: string }) {
  await h.sim.request('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/rolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole },
    subjects: [{ ...subject, apiGroup: 'rbac.authorization.k8s.io' }],
  });
}

async function createCluster(namespace: string, clusterId: string) {
  const res = await callAs(admin, clustersRoute.POST, 'POST', '/api/clusters', { clusterId, namespace, mode: 'session' });
  expect(res.status).toBe(201);
}

async function deployment(namespace: string, name: string): Promise<{ metadata: { deletionTimestamp?: string } }> {
  return (await h.sim.request('GET', `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`)) as { metadata: { deletionTimestamp?: string } };
}

/** Requests that would change something (not GET, not a dry run, not an audit Event), as the recording proxy saw them. */
function writesSince(from: number): string[] {
  return h.proxy.requests
    .slice(from)
    .filter((r) => r.method !== 'GET' && !r.path.includes('accessreviews') && !r.path.includes('rulesreviews') && !r.path.endsWith('/events') && !new URLSearchParams(r.query).getAll('dryRun').includes('All'))
    .map((r) => `${r.method} ${r.path}`);
}

beforeAll(async () => {
  h = await startHarness();
  if (sessions) {
    process.env.FLINK_DASHBOARD_AUTH = 'token';
    process.env.FLINK_DASHBOARD_SESSION_SECRET = SESSION_SECRET;
    process.env.FLINK_DASHBOARD_TOKENS_SECRET = 'default/flink-dashboard-tokens';
  }
  ctx = getKubeconfig().current;
  await h.sim.createNamespace(A);
  await h.sim.createNamespace(B);
  // No identity: the dashboard's own credentials (the sim's admin) set up a cluster in each namespace.
  await createCluster(A, 'alpha');
  await createCluster(B, 'beta');
  await bind(A, 'team-a-view', 'view', { kind: 'Group', name: 'team-a' });
  await bind(B, 'team-b-view', 'view', { kind: 'Group', name: 'team-b' });
  await bind(A, 'carol-admin', 'admin', { kind: 'User', name: 'carol' });
}, 120_000);

afterAll(async () => {
  await h?.stop();
});

describe('GET /api/permissions', () => {
  it('tells a viewer what they may not do, in plain words, and an admin of the namespace that they may do all', async () => {
    const viewer = await callAs(alice, permissionsRoute.GET, 'GET', `/api/permissions?namespace=${A}`);
    expect(viewer.status).toBe(200);
    expect(viewer.body.source).toBe('rules');
    expect(viewer.body.namespace).toBe(A);
    const actions = viewer.body.actions;
    expect(actions.createCluster).toEqual({ allowed: false, reason: `You may not create deployments in namespace ${A}.` });
    expect(actions.deleteCluster).toEqual({ allowed: false, reason: `You may not delete deployments in namespace ${A}.` });
    expect(actions.purgeHaData).toEqual({ allowed: false, reason: `You may not delete configmaps in namespace ${A}.` });
    expect(actions.testFailover).toEqual({ allowed: false, reason: `You may not delete pods in namespace ${A}.` });
    expect(actions.uploadJar).toEqual({ allowed: false, reason: `You may not get services/proxy in namespace ${A}.` });
    expect(actions.cancelJob).toEqual({ allowed: false, reason: `You may not patch services/proxy in namespace ${A}.` });
    expect(actions.stopJob).toEqual({ allowed: false, reason: `You may not create services/proxy in namespace ${A}.` });
    expect(actions.readLogs).toEqual({ allowed: true });
    // The Flink web UI is read through the REST Service's proxy (GET): view grants no proxy.
    expect(actions.openFlinkUi).toEqual({ allowed: false, reason: `You may not get services/proxy in namespace ${A}.` });

    // The same user in a namespace without any binding may do nothing of it.
    const elsewhere = await callAs(alice, permissionsRoute.GET, 'GET', `/api/permissions?namespace=${B}`);
    expect(elsewhere.body.actions.readLogs).toEqual({ allowed: false, reason: `You may not get pods/log in namespace ${B}.` });

    const admin = await callAs(carol, permissionsRoute.GET, 'GET', `/api/permissions?namespace=${A}`);
    expect(Object.values(admin.body.actions as Record<string, { allowed: boolean }>).every((a) => a.allowed)).toBe(true);
  });

  it('asks for one namespace, in plain words', async () => {
    const res = await callAs(alice, permissionsRoute.GET, 'GET', '/api/permissions?namespace=_all');
    expect(res.status).toBe(422);
    expect(res.body.error.message).toBe('Permissions are per namespace: choose a namespace.');
  });
});

describe('a viewer (RBAC view) against the routes', () => {
  it('lists clusters and reads a cluster', async () => {
    const list = await callAs(alice, clustersRoute.GET, 'GET', `/api/clusters?namespace=${A}`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { clusterId: string }) => c.clusterId)).toEqual(['alpha']);
    const one = await callAs(alice, clusterRoute.GET, 'GET', `/api/clusters/${A}/alpha`, undefined, { namespace: A, id: 'alpha' });
    expect(one.status).toBe(200);
  });

  it('create, delete, failover, upload, cancel and stop answer 403 in plain words and change nothing', { timeout: 150_000 }, async () => {
    const from = h.proxy.requests.length;
    const create = await callAs(alice, clustersRoute.POST, 'POST', '/api/clusters', { clusterId: 'gamma', namespace: A, mode: 'session' });
    expect(create.status).toBe(403);
    expect(create.body.error.message).toMatch(new RegExp(`^You may not create deployments \\(apps\\) in namespace ${A}`));

    const del = await callAs(alice, clusterRoute.DELETE, 'DELETE', `/api/clusters/${A}/alpha`, { purgeHaData: false }, { namespace: A, id: 'alpha' });
    expect(del.status).toBe(403);
    expect(del.body.error.message).toBe(`You may not delete deployments in namespace ${A}.`);

    const failover = await callAs(alice, failoverRoute.POST, 'POST', `/api/clusters/${A}/alpha/failover`, {}, { namespace: A, id: 'alpha' });
    expect(failover.status).toBe(403);
    expect(failover.body.error.message).toMatch(new RegExp(`^You may not delete pods in namespace ${A}`));

    // The jar and job routes find the running JobManager before they reach its REST API through the
    // proxy (which the viewer may not): wait for it, or the answer is "not up yet" (503), not the 403.
    await expect
      .poll(
        async () => {
          const pods = (await h.sim.request('GET', `/api/v1/namespaces/${A}/pods?labelSelector=app%3Dalpha%2Ccomponent%3Djobmanager`)) as { items: { status?: { phase?: string; containerStatuses?: { ready?: boolean }[] } }[] };
          return pods.items.some((p) => p.status?.phase === 'Running' && p.status.containerStatuses?.every((c) => c.ready));
        },
        { timeout: 90_000, interval: 500 },
      )
      .toBe(true);

    const upload = await runAs(alice, () =>
      jarsRoute.POST(
        new Request(`http://dashboard.test/api/clusters/${A}/alpha/jars?name=job.jar`, {
          method: 'POST',
          headers: {
            'content-type': 'application/java-archive',
            'content-length': '4',
            ...(sessions ? { cookie: `fd_session=${sessions.signSession(alice, SESSION_SECRET, 3_600_000).value}` } : {}),
          },
          body: new Uint8Array([0x50, 0x4b, 0x03, 0x04]),
        }),
        { params: Promise.resolve({ namespace: A, id: 'alpha' }) } as never,
      ),
    );
    const uploadBody = (await upload.json()) as { error: { message: string } };
    expect(upload.status).toBe(403);
    expect(uploadBody.error.message).toBe(`You may not get services/proxy in namespace ${A}, which reaching the JobManager's REST API needs.`);

    const jobId = 'a'.repeat(32);
    for (const [route, path] of [
      [cancelRoute, 'cancel'],
      [stopRoute, 'stop'],
    ] as const) {
      const res = await callAs(alice, route.POST, 'POST', `/api/clusters/${A}/alpha/jobs/${jobId}/${path}`, {}, { namespace: A, id: 'alpha', jobId });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(`You may not get services/proxy in namespace ${A}, which reaching the JobManager's REST API needs.`);
    }

    expect(writesSince(from)).toEqual([]);
    expect((await deployment(A, 'alpha')).metadata.deletionTimestamp).toBeUndefined();
    await expect(h.sim.request('GET', `/apis/apps/v1/namespaces/${A}/deployments/gamma`)).rejects.toThrow(/404/);
  });
});

describe('informers shared per identity scope, never across users', () => {
  const noop = () => {};

  it('alice gets 403 on namespace b while bob\'s informers on b are warm, and bob gets 403 on a while alice\'s are', async () => {
    const stopBob = await runAs(bob, () => subscribeClusterList({ context: ctx, namespace: B }, noop).catch((e) => e));
    expect(typeof stopBob).toBe('function');
    const aliceOnB = await callAs(alice, clustersRoute.GET, 'GET', `/api/clusters?namespace=${B}`);
    expect(aliceOnB.status).toBe(403);
    expect(aliceOnB.body.error.message).toMatch(new RegExp(`You may not list .* in namespace ${B}`));

    const stopAlice = await runAs(alice, () => subscribeClusterList({ context: ctx, namespace: A }, noop));
    const bobOnA = await callAs(bob, clustersRoute.GET, 'GET', `/api/clusters?namespace=${A}`);
    expect(bobOnA.status).toBe(403);
    // Each still sees their own.
    const bobOnB = await callAs(bob, clustersRoute.GET, 'GET', `/api/clusters?namespace=${B}`);
    expect(bobOnB.body.items.map((c: { clusterId: string }) => c.clusterId)).toEqual(['beta']);
    (stopBob as () => void)();
    stopAlice();
  });

  it('two tabs of alice share one watch per informer; another identity opens its own; all stop when nobody subscribes', async () => {
    const C = `perm-c-${run}`;
    await h.sim.createNamespace(C);
    await bind(C, 'team-a-view', 'view', { kind: 'Group', name: 'team-a' });
    await bind(C, 'carol-admin', 'admin', { kind: 'User', name: 'carol' });
    // The dashboard's watches on namespace c, as the API server gets them (through the test's proxy;
    // the sim's own total also counts its simulated controllers and JobManagers).
    const watchesOnC = () => h.proxy.openWatches.filter((w) => w.path.includes(`/namespaces/${C}/`)).length;
    const informersBefore = countInformers();
    const tab1 = await runAs(alice, () => subscribeClusterList({ context: ctx, namespace: C }, noop));
    await expect.poll(watchesOnC).toBe(3); // deployments, pods, ConfigMaps
    // A second tab of alice (her groups in another order): the same identity scope, no new watch.
    const tab2 = await runAs({ ...alice, groups: [...alice.groups].reverse() }, () => subscribeClusterList({ context: ctx, namespace: C }, noop));
    expect(countInformers()).toBe(informersBefore + 3);
    expect(watchesOnC()).toBe(3);
    // carol reads namespace c too, with other rights: her own three watches.
    const other = await runAs(carol, () => subscribeClusterList({ context: ctx, namespace: C }, noop));
    await expect.poll(watchesOnC).toBe(6);
    expect(countInformers()).toBe(informersBefore + 6);
    // Released informers linger (30 s, for a reload), then stop: nothing keeps an identity's watches alive.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      tab1();
      tab2();
      other();
      expect(countInformers()).toBe(informersBefore + 6);
      vi.advanceTimersByTime(30_000);
    } finally {
      vi.useRealTimers();
    }
    expect(countInformers()).toBe(informersBefore);
    await expect.poll(watchesOnC, { timeout: 5_000 }).toBe(0);
  });

  it('job pollers too: one per cluster and identity scope, shared by that identity\'s tabs, gone with the last subscriber', async () => {
    const refAs = (who: Who) => ({ conn: runAs(who, () => getConnection(ctx)), namespace: A, clusterId: 'alpha' });
    const aliceKey = toPollerKey(refAs(alice));
    const carolKey = toPollerKey(refAs(carol));
    expect(aliceKey).not.toBe(carolKey);
    const stops = [
      await runAs(alice, () => subscribeJobFeed(refAs(alice), undefined, noop)),
      await runAs({ ...alice, groups: [...alice.groups] }, () => subscribeJobFeed(refAs(alice), undefined, noop)),
      await runAs(carol, () => subscribeJobFeed(refAs(carol), undefined, noop)),
    ];
    const alicePoller = jobPollers.get(aliceKey);
    expect(alicePoller).toBeDefined();
    expect(jobPollers.get(carolKey)).toBeDefined();
    expect(jobPollers.get(carolKey)).not.toBe(alicePoller);
    for (const stop of stops) stop();
    expect(jobPollers.get(aliceKey)).toBeUndefined();
    expect(jobPollers.get(carolKey)).toBeUndefined();
  });
});
