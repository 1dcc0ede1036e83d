import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespace, deployment, events, pod, podsOf, startTestSim, waitEvent, waitFor, type TestSim } from './testing';

let t: TestSim;
const ns = 'wl';

beforeAll(async () => {
  t = await startTestSim();
  await createNamespace(t.client, ns);
});
afterAll(async () => {
  await t?.stop();
});

const D = (name = '') => `/apis/apps/v1/namespaces/${ns}/deployments${name ? '/' + name : ''}`;

async function rolledOut(name: string, replicas: number) {
  return waitFor(async () => {
    const d = await t.client.get(D(name));
    const s = d.status ?? {};
    return s.observedGeneration === d.metadata.generation && s.updatedReplicas === replicas && s.availableReplicas === replicas && (s.replicas ?? 0) === replicas && d;
  }, `deployment ${name} rolled out with ${replicas}`);
}

/**
 * Watches a Deployment's pods from the current list on and records, when the first pod of the new
 * template is ADDED, which pods of the old template still exist outside a terminal phase (what the
 * deployment controller's oldPodsRunning counts for Recreate).
 */
async function watchRollout(selector: string, isNew: (pod: any) => boolean) {
  const path = `/api/v1/namespaces/${ns}/pods`;
  const list = await t.client.list(path, { labelSelector: selector });
  const pods = new Map<string, any>(list.items.map((p: any) => [p.metadata.name, p]));
  let oldAtFirstNew: string[] | undefined;
  const ac = new AbortController();
  const done = t.client
    .watch(path, { labelSelector: selector, resourceVersion: list.metadata.resourceVersion }, (e) => {
      const p = e.object;
      if (e.type === 'DELETED') {
        pods.delete(p.metadata.name);
        return;
      }
      if (e.type === 'ADDED' && isNew(p) && oldAtFirstNew === undefined) {
        oldAtFirstNew = [...pods.values()].filter((o) => !isNew(o) && !['Succeeded', 'Failed'].includes(o.status?.phase)).map((o) => o.metadata.name);
      }
      pods.set(p.metadata.name, p);
    }, ac.signal)
    .catch((e) => {
      if (!ac.signal.aborted) throw e;
    });
  return {
    pods,
    oldAtFirstNew: () => oldAtFirstNew,
    stop: async () => {
      ac.abort();
      await done;
    },
  };
}

describe('deployment and replicaset controllers', () => {
  it('creates a ReplicaSet and running pods with the shapes and events of a real cluster', async () => {
    await t.client.create(D(), deployment('web'));
    const d = await rolledOut('web', 1);
    const rsList = (await t.client.list(`/apis/apps/v1/namespaces/${ns}/replicasets`, { labelSelector: 'app=web' })).items;
    expect(rsList).toHaveLength(1);
    const rs = rsList[0];
    const hash = rs.metadata.labels['pod-template-hash'];
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(rs.metadata.annotations).toMatchObject({
      'deployment.kubernetes.io/desired-replicas': '1',
      'deployment.kubernetes.io/max-replicas': '2',
      'deployment.kubernetes.io/revision': '1',
    });
    expect(rs.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(rs.spec.selector.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('1');

    const [pod] = await podsOf(t.client, ns, 'app=web');
    expect(pod.metadata.generateName).toBe(`${rs.metadata.name}-`);
    expect(pod.metadata.name).toMatch(new RegExp(`^${rs.metadata.name}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
    expect(pod.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(pod.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(pod.status.phase).toBe('Running');
    expect(pod.status.podIP).toMatch(/^10\.244\.\d+\.\d+$/);
    expect(pod.status.podIPs).toEqual([{ ip: pod.status.podIP }]);
    expect(pod.status.hostIP).toMatch(/^10\.0\.0\.\d+$/);
    expect(pod.status.qosClass).toBe('BestEffort');
    expect(pod.status.startTime).toBeTruthy();
    expect(pod.status.conditions.map((c: any) => [c.type, c.status])).toEqual([
      ['PodReadyToStartContainers', 'True'],
      ['Initialized', 'True'],
      ['Ready', 'True'],
      ['ContainersReady', 'True'],
      ['PodScheduled', 'True'],
    ]);
    const cs = pod.status.containerStatuses[0];
    expect(cs).toMatchObject({ name: 'main', ready: true, started: true, restartCount: 0, image: 'docker.io/library/nginx:1.25', lastState: {} });
    expect(cs.imageID).toMatch(/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    expect(cs.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    expect(cs.state.running.startedAt).toBeTruthy();

    const conds = Object.fromEntries(d.status.conditions.map((c: any) => [c.type, c]));
    expect(conds.Available).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' });
    expect(conds.Progressing).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rs.metadata.name}" has successfully progressed.` });
    expect(d.status).toMatchObject({ replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 });
    expect(d.status.unavailableReplicas).toBeUndefined();

    await waitEvent(t.client, ns, 'web', 'ScalingReplicaSet');
    await waitEvent(t.client, ns, rs.metadata.name, 'SuccessfulCreate');
    for (const r of ['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']) await waitEvent(t.client, ns, pod.metadata.name, r);
    const evs = await events(t.client, ns);
    const scaling = evs.find((e) => e.reason === 'ScalingReplicaSet' && e.involvedObject.name === 'web');
    expect(scaling).toMatchObject({ type: 'Normal', message: `Scaled up replica set ${rs.metadata.name} to 1`, source: { component: 'deployment-controller' }, reportingComponent: 'deployment-controller', reportingInstance: '' });
    expect(scaling.involvedObject).toMatchObject({ kind: 'Deployment', apiVersion: 'apps/v1', uid: d.metadata.uid });
    const created = evs.find((e) => e.reason === 'SuccessfulCreate' && e.involvedObject.name === rs.metadata.name);
    expect(created).toMatchObject({ type: 'Normal', message: `Created pod: ${pod.metadata.name}`, source: { component: 'replicaset-controller' }, reportingComponent: 'replicaset-controller' });
    const podEvents = evs.filter((e) => e.involvedObject.name === pod.metadata.name);
    const reasons = podEvents.map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']));
    const scheduled = podEvents.find((e) => e.reason === 'Scheduled');
    expect(scheduled).toMatchObject({ message: `Successfully assigned ${ns}/${pod.metadata.name} to ${pod.spec.nodeName}`, reportingComponent: 'default-scheduler', action: 'Binding' });
    const pulled = podEvents.find((e) => e.reason === 'Pulled');
    expect(pulled.message).toMatch(/^Successfully pulled image "nginx:1\.25" in [\d.]+m?s \([\d.]+m?s including waiting\)$/);
    const started = podEvents.find((e) => e.reason === 'Started');
    expect(started).toMatchObject({ message: 'Started container main', source: { component: 'kubelet', host: pod.spec.nodeName }, reportingComponent: 'kubelet', reportingInstance: pod.spec.nodeName });
    expect(started.involvedObject.fieldPath).toBe('spec.containers{main}');
  });

  it('scales up and down', async () => {
    await t.client.create(D(), deployment('scaler', { replicas: 1 }));
    await rolledOut('scaler', 1);
    await t.client.patch(D('scaler'), { spec: { replicas: 3 } }, 'merge');
    await rolledOut('scaler', 3);
    expect(await podsOf(t.client, ns, 'app=scaler')).toHaveLength(3);
    await t.client.patch(D('scaler'), { spec: { replicas: 1 } }, 'merge');
    await rolledOut('scaler', 1);
    await waitFor(async () => (await podsOf(t.client, ns, 'app=scaler')).length === 1, 'scale down to 1 pod');
    const msgs = await waitFor(async () => {
      const m = (await events(t.client, ns, 'scaler')).filter((e) => e.reason === 'ScalingReplicaSet').map((e) => e.message);
      return m.some((x) => /^Scaled down replica set scaler-\w+ to 1 from 3$/.test(x)) && m;
    }, 'scale-down event');
    expect(msgs.some((m) => /^Scaled up replica set scaler-\w+ to 3 from 1$/.test(m))).toBe(true);
  });

  it('rolls out a new ReplicaSet when the template changes', async () => {
    await t.client.create(D(), deployment('roll', { replicas: 2 }));
    await rolledOut('roll', 2);
    const before = (await t.client.list(`/apis/apps/v1/namespaces/${ns}/replicasets`, { labelSelector: 'app=roll' })).items;
    const isNew = (p: any) => p.spec.containers[0].image === 'nginx:1.26';
    const w = await watchRollout('app=roll', isNew);
    await t.client.patch(D('roll'), { spec: { template: { spec: { containers: [{ name: 'main', image: 'nginx:1.26' }] } } } }, 'strategic');
    const d = await rolledOut('roll', 2);
    await waitFor(() => w.pods.size === 2 && [...w.pods.values()].every(isNew), 'the watch sees only new pods');
    await w.stop();
    // RollingUpdate (maxSurge 25% of 2 → 1): the first new pod comes while the old ones still run
    expect(w.oldAtFirstNew()).toHaveLength(2);
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('2');
    const rss = (await t.client.list(`/apis/apps/v1/namespaces/${ns}/replicasets`, { labelSelector: 'app=roll' })).items;
    expect(rss).toHaveLength(2);
    const old = rss.find((r: any) => r.metadata.uid === before[0].metadata.uid);
    const neu = rss.find((r: any) => r.metadata.uid !== before[0].metadata.uid);
    await waitFor(async () => (await t.client.get(`/apis/apps/v1/namespaces/${ns}/replicasets/${old.metadata.name}`)).spec.replicas === 0, 'old RS scaled to 0');
    expect(neu.metadata.annotations['deployment.kubernetes.io/revision']).toBe('2');
    await waitFor(async () => {
      const pods = await podsOf(t.client, ns, 'app=roll');
      return pods.length === 2 && pods.every((p: any) => p.spec.containers[0].image === 'nginx:1.26');
    }, 'only new pods');
  });

  it('Recreate strategy replaces all pods at once', async () => {
    await t.client.create(D(), deployment('rec', { replicas: 2, strategy: { type: 'Recreate' } }));
    await rolledOut('rec', 2);
    const isNew = (p: any) => p.metadata.annotations?.v === '2';
    const w = await watchRollout('app=rec', isNew);
    await t.client.patch(D('rec'), { spec: { template: { metadata: { annotations: { v: '2' } } } } }, 'merge');
    await rolledOut('rec', 2);
    await waitFor(async () => {
      const pods = await podsOf(t.client, ns, 'app=rec');
      return pods.length === 2 && pods.every(isNew);
    }, 'new pods only');
    await waitFor(() => w.pods.size === 2 && [...w.pods.values()].every(isNew), 'the watch sees only new pods');
    await w.stop();
    // Recreate: no old pod is left (terminating ones included) when the first new one is created
    expect(w.oldAtFirstNew()).toEqual([]);
  });

  it('reports FailedCreate when pods cannot be created', async () => {
    await t.client.create(D(), deployment('nosa', { podSpec: { serviceAccountName: 'missing-sa' } }));
    const d = await waitFor(async () => {
      const d = await t.client.get(D('nosa'));
      return d.status?.conditions?.find((c: any) => c.type === 'ReplicaFailure') && d;
    }, 'ReplicaFailure condition');
    const rf = d.status.conditions.find((c: any) => c.type === 'ReplicaFailure');
    expect(rf).toMatchObject({ status: 'True', reason: 'FailedCreate' });
    expect(rf.message).toContain('missing-sa');
    const ev = await waitFor(async () => (await events(t.client, ns)).find((e) => e.reason === 'FailedCreate'), 'FailedCreate');
    expect(ev.type).toBe('Warning');
    expect(ev.message).toMatch(/^Error creating: /);
    // Once the ServiceAccount exists, the retried create succeeds and the failure condition goes away.
    await t.client.create(`/api/v1/namespaces/${ns}/serviceaccounts`, { metadata: { name: 'missing-sa' } });
    await rolledOut('nosa', 1);
    await waitFor(async () => !(await t.client.get(D('nosa'))).status.conditions.some((c: any) => c.type === 'ReplicaFailure'), 'ReplicaFailure cleared');
  });
});

describe('garbage collector', () => {
  it('deletes dependents in the background when the Deployment is deleted', async () => {
    await t.client.create(D(), deployment('bg'));
    await rolledOut('bg', 1);
    await t.client.delete(D('bg'), { propagationPolicy: 'Background' });
    await waitFor(async () => (await t.client.list(`/apis/apps/v1/namespaces/${ns}/replicasets`, { labelSelector: 'app=bg' })).items.length === 0, 'RS gone');
    await waitFor(async () => (await podsOf(t.client, ns, 'app=bg')).length === 0, 'pods gone');
  });

  it('deletes dependents first with foreground deletion', async () => {
    await t.client.create(D(), deployment('fg'));
    await rolledOut('fg', 1);
    const res = await t.client.delete(D('fg'), { propagationPolicy: 'Foreground' });
    expect(res.metadata.finalizers).toContain('foregroundDeletion');
    await waitFor(async () => !(await t.client.getOrUndefined(D('fg'))), 'deployment gone');
    expect((await t.client.list(`/apis/apps/v1/namespaces/${ns}/replicasets`, { labelSelector: 'app=fg' })).items).toHaveLength(0);
    await waitFor(async () => (await podsOf(t.client, ns, 'app=fg')).length === 0, 'pods gone');
  });

  it('orphans dependents with the Orphan policy', async () => {
    await t.client.create(D(), deployment('orph'));
    await rolledOut('orph', 1);
    await t.client.delete(D('orph'), { propagationPolicy: 'Orphan' });
    await waitFor(async () => !(await t.client.getOrUndefined(D('orph'))), 'deployment gone');
    const rs = (await t.client.list(`/apis/apps/v1/namespaces/${ns}/replicasets`, { labelSelector: 'app=orph' })).items;
    expect(rs).toHaveLength(1);
    expect(rs[0].metadata.ownerReferences ?? []).toEqual([]);
  });

  it('a ReplicaSet adopts the orphans its selector matches (matchLabels and matchExpressions), and no others', async () => {
    const P = `/api/v1/namespaces/${ns}/pods`;
    const spec = { containers: [{ name: 'main', image: 'nginx:1.25' }] };
    // Orphans that share a label with the selector but not all of it, and many that share none.
    await t.client.create(P, pod('orphan-web', spec, { app: 'adopt', tier: 'web' }));
    await t.client.create(P, pod('orphan-db', spec, { app: 'adopt', tier: 'db' }));
    await t.client.create(P, pod('orphan-cache', spec, { app: 'adopt', tier: 'cache' }));
    await t.client.create(P, pod('orphan-expr', spec, { app: 'by-expr' }));
    for (let i = 0; i < 20; i++) await t.client.create(P, pod(`bystander-${i}`, spec, { app: 'bystander', tier: 'web' }));
    const rs = (name: string, replicas: number, selector: object, labels: Record<string, string>) => ({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name },
      spec: { replicas, selector, template: { metadata: { labels }, spec } },
    });
    const RS = `/apis/apps/v1/namespaces/${ns}/replicasets`;
    const byLabels = await t.client.create(RS, rs('adopt', 2, { matchLabels: { app: 'adopt' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'db'] }] }, { app: 'adopt', tier: 'web' }));
    const byExpr = await t.client.create(RS, rs('by-expr', 1, { matchExpressions: [{ key: 'app', operator: 'In', values: ['by-expr'] }] }, { app: 'by-expr' }));
    const ownerUid = (p: any) => p.metadata.ownerReferences?.find((r: any) => r.controller)?.uid;
    await waitFor(async () => {
      const r = await t.client.get(`${RS}/adopt`);
      return r.status?.replicas === 2 && r.status?.readyReplicas === 2;
    }, 'ReplicaSet adopt with 2 ready replicas');
    await waitFor(async () => (await t.client.get(`${RS}/by-expr`)).status?.readyReplicas === 1, 'ReplicaSet by-expr with 1 ready replica');
    const adopted = await podsOf(t.client, ns, 'app=adopt');
    // The two matching orphans were adopted: none created, and the one outside the selector left alone.
    expect(Object.fromEntries(adopted.map((p) => [p.metadata.name, ownerUid(p) ?? null]))).toEqual({
      'orphan-web': byLabels.metadata.uid,
      'orphan-db': byLabels.metadata.uid,
      'orphan-cache': null,
    });
    expect((await podsOf(t.client, ns, 'app=by-expr')).map((p) => [p.metadata.name, ownerUid(p)])).toEqual([['orphan-expr', byExpr.metadata.uid]]);
    expect((await podsOf(t.client, ns, 'app=bystander')).filter((p) => p.metadata.ownerReferences?.length)).toEqual([]);
  });

  it('does not follow an ownerReference whose uid does not match', async () => {
    const owner = await t.client.create(`/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: 'owner' }, data: {} });
    await t.client.create(`/api/v1/namespaces/${ns}/configmaps`, {
      metadata: { name: 'dep-ok', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid }] },
    });
    await t.client.create(`/api/v1/namespaces/${ns}/configmaps`, {
      metadata: { name: 'dep-stale', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: '00000000-0000-0000-0000-000000000000' }] },
    });
    // The stale reference points at an owner that does not exist (same name, other uid): collected.
    await waitFor(async () => !(await t.client.getOrUndefined(`/api/v1/namespaces/${ns}/configmaps/dep-stale`)), 'dep-stale collected');
    expect(await t.client.getOrUndefined(`/api/v1/namespaces/${ns}/configmaps/dep-ok`)).toBeTruthy();
    await t.client.delete(`/api/v1/namespaces/${ns}/configmaps/owner`);
    await waitFor(async () => !(await t.client.getOrUndefined(`/api/v1/namespaces/${ns}/configmaps/dep-ok`)), 'dep-ok collected');
  });
});
