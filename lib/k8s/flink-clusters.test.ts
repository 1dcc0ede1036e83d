import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { jobManagerDeployment } from '@/e2e/support/flink-deployment';
import { applyWatchEvent } from '@/lib/live/apply-watch-event';
import type { ClusterSummary } from '@/lib/flink/cluster-summary';
import { startHarness, type Harness } from './clusters/testing/route-harness';

vi.mock('server-only', () => ({}));

// Issue 11: a list row must go when its Deployment goes, whatever else of the cluster stays and
// however the informers learn it (a DELETED after a Foreground delete, or a relist after 410).
// The rows are folded as the browser folds them (applyWatchEvent), against a sim behind the
// recording proxy.
const { subscribeClusterList } = await import('./flink-clusters');
type FeedEvent = import('./watch-response').FeedEvent<ClusterSummary>;

let h: Harness;
const run = Date.now().toString(36);
let counter = 0;
const wait = { timeout: 20_000 };

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

async function newNamespace(): Promise<string> {
  const ns = `rows-${run}-${++counter}`;
  await h.sim.createNamespace(ns);
  return ns;
}

/** The feed of the namespace's rows, folded into a browser-like cache; `events` keeps what came. */
async function follow(namespace: string) {
  const state = { rows: [] as ClusterSummary[], events: [] as FeedEvent[] };
  const stop = await subscribeClusterList({ context: 'sim-admin', namespace }, (e) => {
    state.events.push(e);
    if (e.type !== 'status') state.rows = applyWatchEvent(state.rows, e);
  });
  return { state, stop, keys: () => state.rows.map((r) => r.key).sort() };
}

/** GET, change, PUT (the sim client sends JSON bodies only). */
async function update(path: string, change: (o: Record<string, Record<string, unknown>>) => void): Promise<void> {
  const o = (await h.sim.request('GET', path)) as Record<string, Record<string, unknown>>;
  change(o);
  await h.sim.request('PUT', path, o);
}

/** A Flink ConfigMap of the cluster (labels app=<id>, type=flink-native-kubernetes). */
function flinkConfigMap(name: string, clusterId: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, labels: { app: clusterId, type: 'flink-native-kubernetes' }, ...extra },
    data: { 'config.yaml': 'high-availability.type: kubernetes\n' },
  };
}

describe('the cluster list join', () => {
  it('drops the row when a Foreground delete completes, while the kept HA ConfigMap of the cluster stays and changes', async () => {
    const ns = await newNamespace();
    const id = 'fg';
    const created = (await h.sim.request('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, jobManagerDeployment({ clusterId: id, namespace: ns }))) as {
      metadata: { uid: string };
    };
    const owner = { apiVersion: 'apps/v1', kind: 'Deployment', name: id, uid: created.metadata.uid, controller: true, blockOwnerDeletion: true };
    const cms = `/api/v1/namespaces/${ns}/configmaps`;
    // Owned and held by a finalizer (the Foreground delete waits for it); the HA ConfigMap has no owner and stays.
    await h.sim.request('POST', cms, flinkConfigMap(`flink-config-${id}`, id, { ownerReferences: [owner], finalizers: ['example.com/hold'] }));
    await h.sim.request('POST', cms, flinkConfigMap(`${id}-cluster-config-map`, id));
    const feed = await follow(ns);
    try {
      await vi.waitFor(() => expect(feed.keys()).toEqual([`${ns}/${id}`]), wait);

      await h.sim.request('DELETE', `/apis/apps/v1/namespaces/${ns}/deployments/${id}`, { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Foreground' });
      await vi.waitFor(() => expect(feed.state.rows[0]?.deletionTimestamp).toBeTruthy(), wait);
      await update(`${cms}/flink-config-${id}`, (o) => delete o.metadata.finalizers);
      await vi.waitFor(() => expect(feed.keys()).toEqual([]), wait);

      // What stays of the cluster keeps changing: no row comes back from it.
      const deletedAt = feed.state.events.length;
      await update(`${cms}/${id}-cluster-config-map`, (o) => (o.data['org.apache.flink.k8s.leader.restserver'] = 's,http://10.0.0.9:8081'));
      // A marker after it: once its row is here, the change above has been through the join.
      await h.sim.request('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, jobManagerDeployment({ clusterId: 'marker', namespace: ns }));
      await vi.waitFor(() => expect(feed.keys()).toEqual([`${ns}/marker`]), wait);
      const later = feed.state.events.slice(deletedAt);
      expect(later.filter((e) => e.type === 'upsert' && e.item.key === `${ns}/${id}`)).toEqual([]);
    } finally {
      feed.stop();
    }
  });

  it('a subscriber that throws does not keep a row change from the other subscribers of the scope', async () => {
    const ns = await newNamespace();
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const broken = await subscribeClusterList({ context: 'sim-admin', namespace: ns }, (e) => {
      if (e.type === 'upsert' || e.type === 'delete') throw new Error('a broken stream');
    });
    const feed = await follow(ns);
    try {
      await h.sim.request('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, jobManagerDeployment({ clusterId: 'seen', namespace: ns }));
      await vi.waitFor(() => expect(feed.keys()).toEqual([`${ns}/seen`]), wait);
      await h.sim.request('DELETE', `/apis/apps/v1/namespaces/${ns}/deployments/seen`);
      await vi.waitFor(() => expect(feed.keys()).toEqual([]), wait);
      expect(logged).toHaveBeenCalledWith(expect.stringContaining('A subscriber of the cluster list failed'), expect.any(Error));
    } finally {
      feed.stop();
      broken();
      logged.mockRestore();
    }
  });

  it('drops the row of a Deployment deleted while its watch was down: the relist after 410 replaces the rows', async () => {
    const ns = await newNamespace();
    for (const id of ['stays', 'goes']) {
      await h.sim.request('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, jobManagerDeployment({ clusterId: id, namespace: ns }));
      await h.sim.request('POST', `/api/v1/namespaces/${ns}/configmaps`, flinkConfigMap(`${id}-cluster-config-map`, id));
    }
    const feed = await follow(ns);
    try {
      await vi.waitFor(() => expect(feed.keys()).toEqual([`${ns}/goes`, `${ns}/stays`]), wait);
      // The Deployments' list and watch are held: the delete below happens while nobody watches.
      const deployments = (req: { path: string }) => req.path.includes(`/namespaces/${ns}/deployments`);
      await vi.waitFor(() => expect(h.proxy.openWatches.some(deployments)).toBe(true), wait);
      h.proxy.holdWhen = deployments;
      try {
        expect(h.proxy.expireWatches()).toBeGreaterThan(0);
        await vi.waitFor(() => expect(h.proxy.held.some(deployments)).toBe(true), wait);
        await h.sim.request('DELETE', `/apis/apps/v1/namespaces/${ns}/deployments/goes`);
      } finally {
        h.proxy.holdWhen = undefined;
        h.proxy.releaseHeld();
      }
      // No DELETED ever reaches the informer for it: the relist's snapshot is what removes the row.
      await vi.waitFor(() => expect(feed.keys()).toEqual([`${ns}/stays`]), wait);
      expect(feed.state.events.some((e) => e.type === 'delete')).toBe(false);
    } finally {
      feed.stop();
    }
  });
});
