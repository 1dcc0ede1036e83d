import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { call, startHarness, type Harness } from '@/lib/k8s/clusters/testing/route-harness';

vi.mock('server-only', () => ({}));

// The delete routes over real handlers, against a sim this file starts: clusters are created the way
// the form does (POST /api/clusters), with HA on, and run real (simulated) Flink jobs.
const clustersRoute = await import('@/app/api/clusters/route');
const clusterRoute = await import('../route');
const planRoute = await import('./route');
const leftoversRoute = await import('@/app/api/ha-leftovers/route');
const purgeRoute = await import('@/app/api/ha-leftovers/[namespace]/[id]/route');

let h: Harness;
let counter = 0;
const run = Date.now().toString(36);
const JOB_CM = /^[a-z0-9-]+-[0-9a-f]{32}-config-map$/;

type Meta = { name: string; uid: string; deletionTimestamp?: string; finalizers?: string[]; ownerReferences?: { uid: string }[] };
type Obj = { metadata: Meta; data?: Record<string, string> };

async function newNamespace(): Promise<string> {
  const ns = `delete-${run}-${++counter}`;
  await h.sim.createNamespace(ns);
  return ns;
}

async function list(path: string, labelSelector?: string): Promise<Obj[]> {
  const q = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
  return ((await h.sim.request('GET', `${path}${q}`)) as { items: Obj[] }).items;
}

async function getOrUndefined(path: string): Promise<Obj | undefined> {
  try {
    return (await h.sim.request('GET', path)) as Obj;
  } catch (err) {
    if (/\b404\b/.test(String(err))) return undefined;
    throw err;
  }
}

/** Every object of the namespace that carries the cluster's label or name, as kind/name. */
async function everything(ns: string, id: string): Promise<string[]> {
  const found: string[] = [];
  for (const [kind, path] of [
    ['Deployment', `/apis/apps/v1/namespaces/${ns}/deployments`],
    ['ReplicaSet', `/apis/apps/v1/namespaces/${ns}/replicasets`],
    ['Pod', `/api/v1/namespaces/${ns}/pods`],
    ['Service', `/api/v1/namespaces/${ns}/services`],
    ['ConfigMap', `/api/v1/namespaces/${ns}/configmaps`],
  ] as const) {
    for (const item of await list(path)) {
      const n = item.metadata.name;
      if (n === id || n.startsWith(`${id}-`) || n.endsWith(`-${id}`)) found.push(`${kind}/${n}`);
    }
  }
  return found.sort();
}

async function createHaCluster(ns: string, id: string, mode: 'session' | 'application'): Promise<void> {
  const res = await call(clustersRoute.POST, 'POST', '/api/clusters', {
    clusterId: id,
    namespace: ns,
    mode,
    ha: { enabled: true, storageDir: 's3://bucket/ha' },
    flinkConfig: [{ key: 'execution.checkpointing.interval', value: '500 ms' }],
    ...(mode === 'application' ? { application: { jarUri: 'local:///opt/flink/examples/streaming/StateMachineExample.jar', parallelism: 1 } } : {}),
  });
  expect(res.status).toBe(201);
}

/** Waits for the job's HA ConfigMap to hold a checkpoint; its name. */
async function waitForCheckpoint(ns: string, id: string): Promise<Obj> {
  let found: Obj | undefined;
  await expect
    .poll(
      async () => {
        const cms = await list(`/api/v1/namespaces/${ns}/configmaps`, `app=${id}`);
        found = cms.find((c) => JOB_CM.test(c.metadata.name) && Object.keys(c.data ?? {}).some((k) => /^checkpointID-\d{19}$/.test(k)));
        return found !== undefined;
      },
      { timeout: 120_000, interval: 500 },
    )
    .toBe(true);
  return found!;
}

async function addUser(ns: string, name: string, rules: unknown[]): Promise<string> {
  await h.sim.request('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } });
  await h.sim.request('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name }, rules });
  await h.sim.request('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    subjects: [{ kind: 'ServiceAccount', name, namespace: ns }],
  });
  const review = (await h.sim.request('POST', `/api/v1/namespaces/${ns}/serviceaccounts/${name}/token`, {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: { expirationSeconds: 3600 },
  })) as { status: { token: string } };
  h.addUsers([{ name: `${name}-${ns}`, token: review.status.token }]);
  return `${name}-${ns}`;
}

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

describe('deleting a cluster', { timeout: 240_000 }, () => {
  let ns: string;
  let jobCm: Obj;

  it('plans: the Deployment and everything it owns goes; the HA ConfigMaps with the job and its latest checkpoint, the storageDir path and ServiceAccount flink stay', async () => {
    ns = await newNamespace();
    await createHaCluster(ns, 'appha', 'application');
    jobCm = await waitForCheckpoint(ns, 'appha');
    // A TaskManager runs the job (the JobManager created it, owner-referenced to the Deployment).
    await expect.poll(async () => (await list(`/api/v1/namespaces/${ns}/pods`, 'app=appha,component=taskmanager')).length, { timeout: 60_000 }).toBeGreaterThan(0);

    const res = await call(planRoute.GET, 'GET', `/api/clusters/${ns}/appha/delete-plan`, undefined, { namespace: ns, id: 'appha' });
    expect(res.status).toBe(200);
    const plan = res.body;
    const rs = (await list(`/apis/apps/v1/namespaces/${ns}/replicasets`, 'app=appha'))[0].metadata.name;
    const pods = (await list(`/api/v1/namespaces/${ns}/pods`, 'app=appha')).map((p) => `Pod/${p.metadata.name}`);
    const goes = plan.goes.map((o: { kind: string; name: string }) => `${o.kind}/${o.name}`);
    // HA on: no internal Service; the HA ConfigMaps have no owner, so they are not in what goes.
    expect(goes.sort()).toEqual(['Deployment/appha', `ReplicaSet/${rs}`, ...pods, 'ConfigMap/flink-config-appha', 'Service/appha-rest'].sort());
    expect(plan.goes.find((o: { kind: string }) => o.kind === 'ReplicaSet').ownedBy).toBe('Deployment/appha');

    const jobId = jobCm.metadata.name.slice('appha-'.length, -'-config-map'.length);
    const checkpoints = Object.keys(jobCm.data!).filter((k) => k.startsWith('checkpointID-')).map((k) => Number(k.slice(13)));
    expect(plan.stays.highAvailability).toMatchObject({
      enabled: true,
      configMaps: ['appha-cluster-config-map', jobCm.metadata.name].sort(),
      storageDir: 's3://bucket/ha',
      dataPath: 's3://bucket/ha/appha',
    });
    const job = plan.stays.highAvailability.jobs.find((j: { jobId: string }) => j.jobId === jobId);
    expect(job).toMatchObject({ jobId, configMap: jobCm.metadata.name, registered: true });
    // checkpoints continue: the plan read one at least as recent as the one seen before
    expect(job.latestCheckpointId).toBeGreaterThanOrEqual(Math.max(...checkpoints));
    expect(plan.stays.serviceAccount).toEqual({ name: 'flink', shared: true });
    expect(plan.stays.rbac).toEqual([{ kind: 'Role', name: 'flink' }, { kind: 'RoleBinding', name: 'flink' }]);
    expect(plan.note).toBe('Keeping the HA data lets a new cluster with the same id appha recover its job from the latest checkpoint.');
  });

  it('refuses a viewer in plain words, and nothing changes', async () => {
    const before = await everything(ns, 'appha');
    h.proxy.reset();
    for (const purgeHaData of [false, true]) {
      const res = await call(clusterRoute.DELETE, 'DELETE', `/api/clusters/${ns}/appha?context=sim-viewer`, { purgeHaData }, { namespace: ns, id: 'appha' });
      expect(res.status).toBe(403);
      expect(res.body.error).toEqual({ code: 'forbidden', message: `You may not delete deployments in namespace ${ns}.` });
    }
    // only dry runs were asked
    expect(h.proxy.requests.filter((r) => r.method === 'DELETE' && !r.query.includes('dryRun=All'))).toEqual([]);
    const deployment = (await h.sim.request('GET', `/apis/apps/v1/namespaces/${ns}/deployments/appha`)) as Obj;
    expect(deployment.metadata.deletionTimestamp).toBeUndefined();
    expect(await everything(ns, 'appha')).toEqual(before);
  });

  it('refuses a purge by a user who may delete deployments but not configmaps before deleting anything', async () => {
    const user = await addUser(ns, 'deployer', [
      { apiGroups: ['apps'], resources: ['deployments', 'replicasets'], verbs: ['get', 'list', 'delete'] },
      { apiGroups: [''], resources: ['configmaps', 'pods', 'services'], verbs: ['get', 'list'] },
    ]);
    const res = await call(clusterRoute.DELETE, 'DELETE', `/api/clusters/${ns}/appha?context=${user}`, { purgeHaData: true }, { namespace: ns, id: 'appha' });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(`You may not delete configmaps in namespace ${ns}.`);
    const deployment = (await h.sim.request('GET', `/apis/apps/v1/namespaces/${ns}/deployments/appha`)) as Obj;
    expect(deployment.metadata.deletionTimestamp).toBeUndefined();
  });

  it('keeps the HA data: a Foreground delete removes the owned objects before the Deployment, and the HA ConfigMaps stay', async () => {
    // A finalizer on an owned ConfigMap holds the Foreground delete: the Deployment must wait for it.
    const cmPath = `/api/v1/namespaces/${ns}/configmaps/flink-config-appha`;
    const cm = (await h.sim.request('GET', cmPath)) as Obj;
    await h.sim.request('PUT', cmPath, { ...cm, metadata: { ...cm.metadata, finalizers: ['example.com/hold'] } });

    const res = await call(clusterRoute.DELETE, 'DELETE', `/api/clusters/${ns}/appha`, { purgeHaData: false }, { namespace: ns, id: 'appha' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'deleting', alreadyGone: false, purgedConfigMaps: [] });
    expect(res.body.keptConfigMaps).toEqual(['appha-cluster-config-map', jobCm.metadata.name].sort());

    // Foreground: the Deployment is still there, marked, until its dependents are gone.
    await expect.poll(async () => (await everything(ns, 'appha')).filter((o) => o.startsWith('Pod/') || o.startsWith('ReplicaSet/')), { timeout: 60_000 }).toEqual([]);
    const held = (await h.sim.request('GET', `/apis/apps/v1/namespaces/${ns}/deployments/appha`)) as Obj;
    expect(held.metadata.deletionTimestamp).toEqual(expect.any(String));
    expect(held.metadata.finalizers).toContain('foregroundDeletion');
    const plan = await call(planRoute.GET, 'GET', `/api/clusters/${ns}/appha/delete-plan`, undefined, { namespace: ns, id: 'appha' });
    expect(plan.body.deletionTimestamp).toBe(held.metadata.deletionTimestamp);

    const marked = (await h.sim.request('GET', cmPath)) as Obj;
    await h.sim.request('PUT', cmPath, { ...marked, metadata: { ...marked.metadata, finalizers: [] } });
    await expect
      .poll(() => everything(ns, 'appha'), { timeout: 60_000, interval: 300 })
      .toEqual([`ConfigMap/${jobCm.metadata.name}`, 'ConfigMap/appha-cluster-config-map'].sort());
    // The shared account stays.
    await h.sim.request('GET', `/api/v1/namespaces/${ns}/serviceaccounts/flink`);
    await h.sim.request('GET', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles/flink`);
  });

  it('a cluster that is already gone is not an error, and changes nothing (not even an audit Event)', async () => {
    const deletedEvents = async () =>
      ((await h.sim.request('GET', `/api/v1/namespaces/${ns}/events?fieldSelector=involvedObject.name%3Dappha,reason%3DClusterDeleted`)) as { items: unknown[] }).items.length;
    const before = await deletedEvents();
    const res = await call(clusterRoute.DELETE, 'DELETE', `/api/clusters/${ns}/appha`, { purgeHaData: false }, { namespace: ns, id: 'appha' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'gone', alreadyGone: true, message: `Cluster appha is already gone from namespace ${ns}; nothing was deleted.` });
    expect(await deletedEvents()).toBe(before);
    const plan = await call(planRoute.GET, 'GET', `/api/clusters/${ns}/appha/delete-plan`, undefined, { namespace: ns, id: 'appha' });
    expect(plan.body).toMatchObject({ exists: false, goes: [] });
    expect(plan.body.stays.highAvailability.configMaps).toHaveLength(2);
  });

  it('lists the kept HA data as leftovers with the job and checkpoint, and purges it', async () => {
    const res = await call(leftoversRoute.GET, 'GET', `/api/ha-leftovers?namespace=${ns}`);
    expect(res.status).toBe(200);
    const jobId = jobCm.metadata.name.slice('appha-'.length, -'-config-map'.length);
    expect(res.body.items).toEqual([
      {
        namespace: ns,
        clusterId: 'appha',
        configMaps: ['appha-cluster-config-map', jobCm.metadata.name].sort(),
        jobs: [{ jobId, configMap: jobCm.metadata.name, latestCheckpointId: expect.any(Number), nextCheckpointId: expect.any(Number), registered: true }],
        dataPath: 's3://bucket/ha/appha',
        createdAt: expect.any(String),
      },
    ]);
    const viewer = await call(purgeRoute.DELETE, 'DELETE', `/api/ha-leftovers/${ns}/appha?context=sim-viewer`, undefined, { namespace: ns, id: 'appha' });
    expect(viewer.status).toBe(403);
    expect(viewer.body.error.message).toBe(`You may not delete configmaps in namespace ${ns}.`);
    expect(await everything(ns, 'appha')).toHaveLength(2);

    const purged = await call(purgeRoute.DELETE, 'DELETE', `/api/ha-leftovers/${ns}/appha`, undefined, { namespace: ns, id: 'appha' });
    expect(purged.status).toBe(200);
    expect(purged.body.purged).toEqual(['appha-cluster-config-map', jobCm.metadata.name].sort());
    expect(await everything(ns, 'appha')).toEqual([]);
    expect((await call(leftoversRoute.GET, 'GET', `/api/ha-leftovers?namespace=${ns}`)).body.items).toEqual([]);
  });

  it('purges the HA data with the cluster when asked: nothing of the cluster is left when it answers', async () => {
    const ns2 = await newNamespace();
    await createHaCluster(ns2, 'sessha', 'session');
    await expect.poll(() => getOrUndefined(`/api/v1/namespaces/${ns2}/configmaps/sessha-cluster-config-map`), { timeout: 90_000, interval: 500 }).toBeDefined();
    // a running cluster's HA ConfigMaps are no leftovers, and cannot be purged on their own
    expect((await call(leftoversRoute.GET, 'GET', `/api/ha-leftovers?namespace=${ns2}`)).body.items).toEqual([]);
    const early = await call(purgeRoute.DELETE, 'DELETE', `/api/ha-leftovers/${ns2}/sessha`, undefined, { namespace: ns2, id: 'sessha' });
    expect(early.status).toBe(409);

    const res = await call(clusterRoute.DELETE, 'DELETE', `/api/clusters/${ns2}/sessha`, { purgeHaData: true }, { namespace: ns2, id: 'sessha' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'gone', alreadyGone: false, purgedConfigMaps: ['sessha-cluster-config-map'], keptConfigMaps: [] });
    expect(await everything(ns2, 'sessha')).toEqual([]);
    // and the ServiceAccount shared by the namespace's clusters stays
    await h.sim.request('GET', `/api/v1/namespaces/${ns2}/serviceaccounts/flink`);
  });

  it('bad input is a 400 in plain words and deletes nothing', async () => {
    const ns3 = await newNamespace();
    const cases: [unknown, string][] = [
      [{ purgeHaData: 'yes' }, 'purgeHaData'],
      [{}, 'purgeHaData'],
      [{ purgeHaData: false, extra: 1 }, ''],
    ];
    for (const [body, path] of cases) {
      const res = await call(clusterRoute.DELETE, 'DELETE', `/api/clusters/${ns3}/some`, body, { namespace: ns3, id: 'some' });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('bad_request');
      expect(res.body.error.message).toMatch(/^Say whether to delete the HA data too: /);
      expect(res.body.error.issues[0].path).toBe(path);
    }
    const req = new Request(`http://dashboard.test/api/clusters/${ns3}/some`, { method: 'DELETE', body: '{purge', headers: { 'content-type': 'application/json' } });
    const malformed = await clusterRoute.DELETE(req, { params: Promise.resolve({ namespace: ns3, id: 'some' }) });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { message: string } }).error.message).toBe('The request body is not valid JSON.');
    const noChoice = await call(clusterRoute.DELETE, 'DELETE', `/api/clusters/${ns3}/some?purgeHaData=maybe`, undefined, { namespace: ns3, id: 'some' });
    expect(noChoice.status).toBe(400);
    const badId = await call(clusterRoute.DELETE, 'DELETE', `/api/clusters/${ns3}/Bad_Id`, { purgeHaData: false }, { namespace: ns3, id: 'Bad_Id' });
    expect(badId.status).toBe(422);
    expect(badId.body.error.issues[0].path).toBe('id');
  });
});
