import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { execFile } from 'node:child_process';
import type { V1Deployment } from '@kubernetes/client-node';
import { buildClusterObjects } from '@/lib/flink/build-cluster-objects';
import { clusterSpecSchema } from '@/lib/flink/cluster-spec-schema';
import { withOwnerReference } from '@/lib/flink/with-owner-reference';
import { buildYamlPreview } from '@/lib/flink/yaml-preview';
import { call, startHarness, type Harness } from './testing/route-harness';

vi.mock('server-only', () => ({}));

// The create routes over real handlers, against a sim this file starts.
const clustersRoute = await import('@/app/api/clusters/route');
const preflightRoute = await import('@/app/api/clusters/preflight/route');

let h: Harness;
let counter = 0;
const run = Date.now().toString(36);

async function newNamespace(): Promise<string> {
  const ns = `create-${run}-${++counter}`;
  await h.sim.createNamespace(ns);
  return ns;
}

type K8sList = { items: { metadata: { name: string; uid: string; ownerReferences?: { uid: string; kind: string; name: string; controller?: boolean }[] } }[] };

async function list(path: string, labelSelector?: string): Promise<K8sList['items']> {
  const q = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
  return ((await h.sim.request('GET', `${path}${q}`)) as K8sList).items;
}

/** Everything of a cluster: by Flink's labels and by name. */
async function leftovers(ns: string, id: string): Promise<string[]> {
  const found: string[] = [];
  const byLabel = `app=${id}`;
  for (const [kind, path] of [
    ['deployment', `/apis/apps/v1/namespaces/${ns}/deployments`],
    ['replicaset', `/apis/apps/v1/namespaces/${ns}/replicasets`],
    ['pod', `/api/v1/namespaces/${ns}/pods`],
    ['service', `/api/v1/namespaces/${ns}/services`],
    ['configmap', `/api/v1/namespaces/${ns}/configmaps`],
  ] as const) {
    for (const item of await list(path)) {
      const n = item.metadata.name;
      if (n === id || n.startsWith(`${id}-`) || n === `flink-config-${id}` || n === `pod-template-${id}`) found.push(`${kind}/${n}`);
    }
    for (const item of await list(path, byLabel)) found.push(`${kind}/${item.metadata.name}`);
  }
  return [...new Set(found)].sort();
}

beforeAll(async () => {
  h = await startHarness();
});

afterEach(async () => {
  h.proxy.failWhen = undefined;
  await h.sim.request('POST', '/_sim/faults', {});
});

afterAll(async () => {
  await h?.stop();
});

/** A context `<name>-<ns>` for a new ServiceAccount bound to a ClusterRole in the namespace. */
async function addUserBoundTo(ns: string, name: string, clusterRole: string): Promise<void> {
  await h.sim.request('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } });
  await h.sim.request('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: `${name}-${clusterRole}` },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole },
    subjects: [{ kind: 'ServiceAccount', name, namespace: ns }],
  });
  const review = (await h.sim.request('POST', `/api/v1/namespaces/${ns}/serviceaccounts/${name}/token`, {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: { expirationSeconds: 3600 },
  })) as { status: { token: string } };
  h.addUsers([{ name: `${name}-${ns}`, token: review.status.token }]);
}

describe('POST /api/clusters', () => {
  it('creates a session cluster from only a clusterId: Deployment, then owned Services and ConfigMap; the JobManager runs', async () => {
    const ns = await newNamespace();
    const res = await call(clustersRoute.POST, 'POST', '/api/clusters?context=sim-admin', { clusterId: 'one', namespace: ns });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ namespace: ns, clusterId: 'one', uid: expect.any(String) });
    const uid = res.body.uid as string;

    const deployment = (await h.sim.request('GET', `/apis/apps/v1/namespaces/${ns}/deployments/one`)) as { metadata: { uid: string; labels: Record<string, string> } };
    expect(deployment.metadata.uid).toBe(uid);
    expect(deployment.metadata.labels).toMatchObject({ app: 'one', type: 'flink-native-kubernetes', component: 'jobmanager' });
    const owner = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'one', uid, controller: true, blockOwnerDeletion: true };
    for (const path of [`/api/v1/namespaces/${ns}/configmaps/flink-config-one`, `/api/v1/namespaces/${ns}/services/one-rest`, `/api/v1/namespaces/${ns}/services/one`]) {
      const obj = (await h.sim.request('GET', path)) as { metadata: { ownerReferences: unknown[] } };
      expect(obj.metadata.ownerReferences).toEqual([owner]);
    }
    // the JobManager's ServiceAccount was provisioned
    await h.sim.request('GET', `/api/v1/namespaces/${ns}/serviceaccounts/flink`);
    await h.sim.request('GET', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles/flink`);
    await h.sim.request('GET', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings/flink`);

    await expect
      .poll(
        async () =>
          ((await h.sim.request('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent('app=one,component=jobmanager')}`)) as {
            items: { status?: { phase?: string } }[];
          }).items.map((p) => p.status?.phase),
        { timeout: 60_000, interval: 500 },
      )
      .toEqual(['Running']);
  });

  it('creates an application cluster whose JobManager runs the jar', async () => {
    const ns = await newNamespace();
    const res = await call(clustersRoute.POST, 'POST', '/api/clusters', {
      clusterId: 'app',
      namespace: ns,
      mode: 'application',
      flinkVersion: '2.1',
      application: { jarUri: 'local:///opt/flink/examples/streaming/StateMachineExample.jar', parallelism: 1 },
    });
    expect(res.status).toBe(201);
    const config = (await h.sim.request('GET', `/api/v1/namespaces/${ns}/configmaps/flink-config-app`)) as { data: Record<string, string> };
    expect(config.data['config.yaml']).toContain('kubernetes-application');
    await expect
      .poll(
        async () =>
          ((await h.sim.request('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent('app=app,component=jobmanager')}`)) as {
            items: { status?: { phase?: string } }[];
          }).items.map((p) => p.status?.phase),
        { timeout: 60_000, interval: 500 },
      )
      .toEqual(['Running']);
  });

  const badInputs: [string, Record<string, unknown>, string][] = [
    ['an id longer than 45 characters', { clusterId: 'a'.repeat(46) }, 'clusterId'],
    ['an upper-case id', { clusterId: 'MyCluster' }, 'clusterId'],
    ['an id with a leading digit', { clusterId: '1cluster' }, 'clusterId'],
    ['a malformed quantity', { clusterId: 'bad', jobManager: { memory: 'lots' } }, 'jobManager.memory'],
    ['memory below Flink’s minimum', { clusterId: 'bad', jobManager: { memory: '100Mi' } }, 'jobManager.memory'],
    ['a toleration without key that is not Exists', { clusterId: 'bad', taskManager: { tolerations: [{ operator: 'Equal', value: 'x' }] } }, 'taskManager.tolerations.0.operator'],
    ['a value with operator Exists', { clusterId: 'bad', jobManager: { tolerations: [{ key: 'k', operator: 'Exists', value: 'v' }] } }, 'jobManager.tolerations.0.value'],
    ['tolerationSeconds without NoExecute', { clusterId: 'bad', jobManager: { tolerations: [{ key: 'k', tolerationSeconds: 5, effect: 'NoSchedule' }] } }, 'jobManager.tolerations.0.effect'],
    ['a newline injecting config lines', { clusterId: 'bad', flinkConfig: [{ key: 'taskmanager.numberOfTaskSlots', value: '2\nkubernetes.cluster-id: evil' }] }, 'flinkConfig.0.value'],
    ['a YAML mapping smuggled into an annotation', { clusterId: 'bad', jobManager: { annotations: { note: 'a: b' } } }, 'jobManager.annotations.note'],
    ['duplicate env names', { clusterId: 'bad', jobManager: { env: [{ name: 'A', value: '1' }, { name: 'A', value: '2' }] } }, 'jobManager.env.1.name'],
  ];

  it.each(badInputs)('answers 422 on the field for %s, and creates nothing', async (_what, input, field) => {
    const ns = await newNamespace();
    h.proxy.reset();
    for (const route of [clustersRoute.POST, preflightRoute.POST]) {
      const res = await call(route, 'POST', '/api/clusters?context=sim-admin', { ...input, namespace: ns });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('invalid_input');
      expect(res.body.error.issues.map((i: { path: string }) => i.path)).toContain(field);
    }
    // refused before any call to the API server
    expect(h.proxy.requests).toEqual([]);
    expect(await list(`/apis/apps/v1/namespaces/${ns}/deployments`)).toEqual([]);
  });

  it('answers plain words first on the field, with the Kubernetes or Flink wording as its detail', async () => {
    const res = await call(preflightRoute.POST, 'POST', '/api/clusters/preflight', { clusterId: 'Bad_ID', taskManager: { memory: '100Mi' } });
    expect(res.status).toBe(422);
    expect(res.body.error.issues).toEqual([
      {
        path: 'clusterId',
        message: "A cluster id must be lowercase and may not contain '_'. Use lowercase letters, digits and '-', starting with a letter and ending with a letter or digit, at most 45 characters.",
        detail: expect.stringMatching(/^a DNS-1035 label must consist of lower case alphanumeric characters/),
      },
      {
        path: 'taskManager.memory',
        message: 'TaskManager memory must be at least 982Mi for these settings.',
        detail: expect.stringMatching(/^TaskManager memory configuration failed: /),
      },
    ]);
  });

  it('answers 409 on clusterId for a taken id, in the preflight and the create', async () => {
    const ns = await newNamespace();
    expect((await call(clustersRoute.POST, 'POST', '/api/clusters', { clusterId: 'taken', namespace: ns })).status).toBe(201);
    for (const route of [preflightRoute.POST, clustersRoute.POST]) {
      const res = await call(route, 'POST', '/api/clusters', { clusterId: 'taken', namespace: ns });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('conflict');
      expect(res.body.error.message).toBe(`A cluster named taken already exists in namespace ${ns}: Deployment taken and Service taken-rest. Choose another cluster id, or delete that cluster first.`);
      expect(res.body.error.issues).toEqual([{ path: 'clusterId', message: res.body.error.message }]);
    }
    // Flink's check: the rest Service alone marks the id as taken
    await h.sim.request('POST', `/api/v1/namespaces/${ns}/services`, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'other-rest' },
      spec: { ports: [{ port: 8081 }] },
    });
    const res = await call(clustersRoute.POST, 'POST', '/api/clusters', { clusterId: 'other', namespace: ns });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe(`A cluster named other already exists in namespace ${ns}: Service other-rest. Choose another cluster id, or delete that cluster first.`);
    expect(await list(`/apis/apps/v1/namespaces/${ns}/deployments`)).toHaveLength(1);
  });

  it('stops on HA leftovers until the user chooses recover (kept) or purge (deleted first)', async () => {
    const ns = await newNamespace();
    const haConfigMap = (id: string, name: string) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, labels: { app: id, type: 'flink-native-kubernetes', 'configmap-type': 'high-availability' } },
      data: { counter: '7' },
    });
    for (const id of ['kept', 'purged']) {
      await h.sim.request('POST', `/api/v1/namespaces/${ns}/configmaps`, haConfigMap(id, `${id}-cluster-config-map`));
      await h.sim.request('POST', `/api/v1/namespaces/${ns}/configmaps`, haConfigMap(id, `${id}-0000000000000000000000000000000a-config-map`));
    }
    const names = (id: string) => [`${id}-0000000000000000000000000000000a-config-map`, `${id}-cluster-config-map`];

    const preflight = await call(preflightRoute.POST, 'POST', '/api/clusters/preflight', { clusterId: 'kept', namespace: ns });
    expect(preflight.status).toBe(200);
    expect(preflight.body.haLeftovers).toEqual(names('kept'));

    const refused = await call(clustersRoute.POST, 'POST', '/api/clusters', { clusterId: 'kept', namespace: ns });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('conflict');
    expect(refused.body.error.message).toMatch(/High-availability ConfigMaps .* kept-cluster-config-map.*recover.*purge/);
    expect(refused.body.error.details).toEqual({ haLeftovers: names('kept') });
    expect(await list(`/apis/apps/v1/namespaces/${ns}/deployments`)).toEqual([]);

    const recovered = await call(clustersRoute.POST, 'POST', '/api/clusters', { clusterId: 'kept', namespace: ns, haLeftovers: 'recover' });
    expect(recovered.status).toBe(201);
    expect((await list(`/api/v1/namespaces/${ns}/configmaps`, 'app=kept,configmap-type=high-availability')).map((c) => c.metadata.name).sort()).toEqual(names('kept'));

    const purged = await call(clustersRoute.POST, 'POST', '/api/clusters', { clusterId: 'purged', namespace: ns, haLeftovers: 'purge' });
    expect(purged.status).toBe(201);
    expect(await list(`/api/v1/namespaces/${ns}/configmaps`, 'app=purged,configmap-type=high-availability')).toEqual([]);
  });

  it('rolls back when a dependent cannot be created: nothing of the cluster is left', async () => {
    const ns = await newNamespace();
    // The real create of the Services fails; their dry run passes.
    h.proxy.failWhen = (r) => r.method === 'POST' && r.path === `/api/v1/namespaces/${ns}/services` && !r.query.has('dryRun');
    const res = await call(clustersRoute.POST, 'POST', '/api/clusters', { clusterId: 'doomed', namespace: ns });
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('upstream_error');
    expect(res.text).not.toMatch(/Headers|authorization|Bearer/i);
    // the Deployment was made and removed again
    expect(h.proxy.requests.some((r) => r.method === 'POST' && r.path.endsWith('/deployments') && !r.query.includes('dryRun'))).toBe(true);
    expect(h.proxy.requests.some((r) => r.method === 'DELETE' && r.path === `/apis/apps/v1/namespaces/${ns}/deployments/doomed`)).toBe(true);
    h.proxy.failWhen = undefined;
    // the answer comes once the Foreground delete has finished: nothing is left, at once
    expect(await leftovers(ns, 'doomed')).toEqual([]);
    // the shared ServiceAccount may stay
    await h.sim.request('GET', `/api/v1/namespaces/${ns}/serviceaccounts/flink`);
  });

  it('rolls back when provisioning the ServiceAccount fails', async () => {
    const ns = await newNamespace();
    h.proxy.failWhen = (r) => r.method === 'POST' && r.path === `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings` && !r.query.has('dryRun');
    const res = await call(clustersRoute.POST, 'POST', '/api/clusters', { clusterId: 'norole', namespace: ns });
    expect(res.status).toBe(502);
    h.proxy.failWhen = undefined;
    await expect.poll(() => leftovers(ns, 'norole'), { timeout: 30_000, interval: 300 }).toEqual([]);
  });

  it('on rollback removes the HA ConfigMaps the new JobManager made, and keeps the recovered ones', async () => {
    const ns = await newNamespace();
    const recovered = 'hafail-0000000000000000000000000000000a-config-map';
    await h.sim.request('POST', `/api/v1/namespaces/${ns}/configmaps`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: recovered, labels: { app: 'hafail', type: 'flink-native-kubernetes', 'configmap-type': 'high-availability' } },
      data: { counter: '3' },
    });
    // Hold the rest Service's create until the JobManager has taken leadership (its HA ConfigMap exists), then fail it.
    h.proxy.failWhen = async (r) => {
      if (r.method !== 'POST' || r.path !== `/api/v1/namespaces/${ns}/services` || r.query.has('dryRun')) return false;
      for (let i = 0; i < 120; i++) {
        const names = (await list(`/api/v1/namespaces/${ns}/configmaps`)).map((c) => c.metadata.name);
        if (names.includes('hafail-cluster-config-map')) return true;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      throw new Error('the JobManager never wrote hafail-cluster-config-map');
    };
    const res = await call(clustersRoute.POST, 'POST', '/api/clusters', {
      clusterId: 'hafail',
      namespace: ns,
      haLeftovers: 'recover',
      ha: { enabled: true, storageDir: 's3://bucket/ha' },
    });
    expect(res.status).toBe(502);
    h.proxy.failWhen = undefined;
    await expect.poll(() => leftovers(ns, 'hafail'), { timeout: 30_000, interval: 300 }).toEqual([`configmap/${recovered}`]);
  });

  it('rolls back under a fault injected by the sim after the Deployment and Services exist', async () => {
    const ns = await newNamespace();
    // An orphan flink-config-<id> is replaced as Flink's createOrReplace does (DELETE, then POST);
    // the sim fails that DELETE, which happens only after the Deployment and the Services are made.
    await h.sim.request('POST', `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'flink-config-orphaned' }, data: { old: 'yes' } });
    await h.sim.request('POST', '/_sim/faults', { failureRate: 1, pathPrefix: `/api/v1/namespaces/${ns}/configmaps/flink-config-orphaned` });
    const res = await call(clustersRoute.POST, 'POST', '/api/clusters', { clusterId: 'orphaned', namespace: ns });
    expect(res.status).toBe(502);
    expect(res.body.error.message).toBe(`Could not create configmaps in namespace ${ns}: Internal error occurred: injected fault.`);
    expect(h.proxy.requests.filter((r) => r.method === 'POST' && !r.query.includes('dryRun')).map((r) => r.path.split('/').pop())).toEqual(
      expect.arrayContaining(['deployments', 'services', 'configmaps']),
    );
    await h.sim.request('POST', '/_sim/faults', {});
    // only the orphan that was there before is left
    await expect.poll(() => leftovers(ns, 'orphaned'), { timeout: 30_000, interval: 300 }).toEqual(['configmap/flink-config-orphaned']);
  });

  it('leaves nothing when the sim fails every request to the services collection', async () => {
    const ns = await newNamespace();
    await h.sim.request('POST', '/_sim/faults', { failureRate: 1, pathPrefix: `/api/v1/namespaces/${ns}/services` });
    h.proxy.reset();
    const res = await call(clustersRoute.POST, 'POST', '/api/clusters', { clusterId: 'faulty', namespace: ns });
    // The preflight's check of Service faulty-rest is the first to meet the fault: a 500 from the API
    // server is the dashboard's 502, in the user's words, and nothing is created.
    expect(res.status).toBe(502);
    expect(res.body).toEqual({
      error: { code: 'upstream_error', message: `Could not get services in namespace ${ns}: Internal error occurred: injected fault.` },
    });
    // Nothing but the audit record of the failure (an Event, lib/audit).
    expect(h.proxy.requests.filter((r) => r.method === 'POST' && !r.query.includes('dryRun') && !r.path.endsWith('/events'))).toEqual([]);
    await h.sim.request('POST', '/_sim/faults', {});
    await expect.poll(() => leftovers(ns, 'faulty'), { timeout: 30_000, interval: 300 }).toEqual([]);
  });

  it('tells the viewer plainly that they may not create clusters', async () => {
    const ns = await newNamespace();
    for (const route of [preflightRoute.POST, clustersRoute.POST]) {
      const res = await call(route, 'POST', '/api/clusters?context=sim-viewer', { clusterId: 'viewed', namespace: ns });
      expect(res.status).toBe(403);
      expect(res.body.error).toEqual({
        code: 'forbidden',
        message: `You may not create deployments (apps) in namespace ${ns}: creating a Flink cluster needs create on apps/deployments, services and configmaps in namespace ${ns}.`,
      });
    }
    expect(await leftovers(ns, 'viewed')).toEqual([]);
  });

  it('names the missing right to create the Role when the user may edit but not manage RBAC', async () => {
    const ns = await newNamespace();
    await addUserBoundTo(ns, 'editor', 'edit');
    const res = await call(clustersRoute.POST, 'POST', `/api/clusters?context=editor-${ns}`, { clusterId: 'edited', namespace: ns });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    expect(res.body.error.message).toMatch(
      new RegExp(`^You may not create roles \\(rbac.authorization.k8s.io\\) in namespace ${ns}: the dashboard provisions ServiceAccount flink with a Role`),
    );
    expect(await leftovers(ns, 'edited')).toEqual([]);
  });

  it('lets a namespace admin create a cluster, provisioning ServiceAccount flink with its Role', async () => {
    const ns = await newNamespace();
    await addUserBoundTo(ns, 'owner', 'admin');
    const res = await call(clustersRoute.POST, 'POST', `/api/clusters?context=owner-${ns}`, { clusterId: 'owned', namespace: ns });
    expect(res.body).toEqual({ namespace: ns, clusterId: 'owned', uid: expect.any(String) });
    const role = (await h.sim.request('GET', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles/flink`)) as { rules: { resources: string[] }[] };
    expect(role.rules.flatMap((r) => r.resources)).toEqual(['pods', 'configmaps', 'deployments']);
  });

  it('names the right of the flink Role a user does not hold (escalation), creating nothing', async () => {
    // May manage RBAC and create cluster objects, but holds no rights on pods: the API server refuses
    // the flink Role (which grants pod rights) as an escalation.
    const ns = await newNamespace();
    const clusterRole = `no-pods-${ns}`;
    await h.sim.request('POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: clusterRole },
      rules: [
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['*'] },
        { apiGroups: [''], resources: ['services', 'configmaps', 'serviceaccounts', 'secrets'], verbs: ['*'] },
        { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: ['create', 'get', 'list'] },
      ],
    });
    await addUserBoundTo(ns, 'nopods', clusterRole);
    const res = await call(clustersRoute.POST, 'POST', `/api/clusters?context=nopods-${ns}`, { clusterId: 'nopods', namespace: ns });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/^You may not create roles \(rbac.authorization.k8s.io\) in namespace .*attempting to grant RBAC permissions not currently held:\n\{APIGroups:\[""\], Resources:\["pods"\], Verbs:\[/s);
    expect(await leftovers(ns, 'nopods')).toEqual([]);
    // with ServiceAccount flink made by an administrator, the same user creates the cluster
    await h.sim.request('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'flink' } });
    const again = await call(clustersRoute.POST, 'POST', `/api/clusters?context=nopods-${ns}`, { clusterId: 'nopods', namespace: ns });
    expect(again.status).toBe(201);
  });

  it('names the missing rights of a user-named ServiceAccount on the serviceAccount field (422), creating nothing', async () => {
    const ns = await newNamespace();
    await h.sim.request('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'bare' } });
    const res = await call(clustersRoute.POST, 'POST', '/api/clusters', { clusterId: 'bare', namespace: ns, serviceAccount: 'bare' });
    expect(res.status).toBe(422);
    expect(res.body.error.issues).toEqual([
      {
        path: 'serviceAccount',
        message: expect.stringMatching(/^ServiceAccount bare may not get pods, list pods, watch pods, create pods, delete pods, get apps\/deployments, delete apps\/deployments in namespace /),
      },
    ]);
    const ghost = await call(clustersRoute.POST, 'POST', '/api/clusters', { clusterId: 'ghost', namespace: ns, serviceAccount: 'ghost' });
    expect(ghost.status).toBe(422);
    expect(ghost.body.error.issues[0]).toMatchObject({ path: 'serviceAccount', message: expect.stringContaining('ServiceAccount ghost does not exist') });
    expect(await leftovers(ns, 'bare')).toEqual([]);
  });
});

function kubectl(args: string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('kubectl', ['--kubeconfig', h.simKubeconfig, ...args], { timeout: 60_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout),
    );
    child.stdin?.end(input);
  });
}

/** An object as the server keeps it, minus what the server sets and the cluster id. */
function normalize(object: unknown, id: string): unknown {
  const o = structuredClone(object) as {
    metadata: Record<string, unknown> & { annotations?: Record<string, string>; ownerReferences?: { uid?: string }[] };
    spec?: Record<string, unknown>;
    status?: unknown;
  };
  for (const key of ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'managedFields']) delete o.metadata[key];
  delete o.status;
  if (o.metadata.annotations) {
    delete o.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'];
    if (Object.keys(o.metadata.annotations).length === 0) delete o.metadata.annotations;
  }
  for (const ref of o.metadata.ownerReferences ?? []) delete ref.uid;
  // allocated by the API server, different for every Service
  if (o.spec) for (const key of ['clusterIP', 'clusterIPs']) delete o.spec[key];
  return JSON.parse(JSON.stringify(o).replaceAll(id, '<id>'));
}

describe('the same cluster through the route and through kubectl apply of the CLI YAML', () => {
  it('matches object by object, field by field', async () => {
    const ns = await newNamespace();
    const input = {
      namespace: ns,
      flinkVersion: '1.20',
      jobManager: { labels: { team: 'data' }, env: [{ name: 'TZ', value: 'UTC' }] },
      taskManager: { slots: 2, tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'flink', effect: 'NoSchedule' }] },
      flinkConfig: [{ key: 'parallelism.default', value: '2' }],
    };
    const res = await call(clustersRoute.POST, 'POST', '/api/clusters', { ...input, clusterId: 'twin-route' });
    expect(res.status).toBe(201);

    const { deployment, dependents } = buildClusterObjects(clusterSpecSchema.parse({ ...input, clusterId: 'twin-cli' }));
    const applied = JSON.parse(await kubectl(['apply', '-o', 'json', '-f', '-'], buildYamlPreview([deployment]))) as V1Deployment;
    await kubectl(['apply', '-f', '-'], buildYamlPreview(dependents.map((d) => withOwnerReference(d, applied))));

    const paths = (id: string) => [
      `/apis/apps/v1/namespaces/${ns}/deployments/${id}`,
      `/api/v1/namespaces/${ns}/configmaps/flink-config-${id}`,
      `/api/v1/namespaces/${ns}/services/${id}-rest`,
      `/api/v1/namespaces/${ns}/services/${id}`,
    ];
    const [viaRoute, viaKubectl] = [paths('twin-route'), paths('twin-cli')];
    for (let i = 0; i < viaRoute.length; i++) {
      const a = normalize(await h.sim.request('GET', viaRoute[i]!), 'twin-route');
      const b = normalize(await h.sim.request('GET', viaKubectl[i]!), 'twin-cli');
      expect(a, viaRoute[i]).toEqual(b);
    }
  });
});
