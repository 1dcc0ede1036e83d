import 'server-only';
import { FLINK_NATIVE_TYPE, jobManagerSelector, type ClusterSummary } from '@/lib/flink/cluster-summary';
import type { Scope } from '@/lib/api/scope';
import { ClusterListIndex, type RowChange } from './flink-clusters-index';
import type { InformerEvent, InformerSpec, InformerState } from './informer';
import { acquireInformer, type InformerLease } from './informer-registry';
import { createFeedResponse, type FeedEvent } from './watch-response';
import {
  listConfigMapTransform,
  listDeploymentTransform,
  listPodTransform,
  type SlimListConfigMap,
  type SlimListPod,
} from './informer-transforms';
import { currentIdentityKey, getConnection } from './kubeconfig';
import { configMapsKind, deploymentsKind, podsKind } from './resource-kinds';

/**
 * The informers of the cluster list in a scope: every JobManager Deployment, every Flink pod and
 * every Flink ConfigMap (flink-config-<id> says whether HA is on; the HA ConfigMap names the REST
 * leader). Each keeps slim objects only (its transform), so 50,000 pods fit in little memory.
 */
export function toClusterListSpecs(scope: Scope): { deployments: InformerSpec; pods: InformerSpec; configMaps: InformerSpec } {
  const conn = getConnection(scope.context);
  const namespace = scope.namespace;
  return {
    deployments: { conn, kind: deploymentsKind, namespace, labelSelector: jobManagerSelector, transform: listDeploymentTransform },
    pods: { conn, kind: podsKind, namespace, labelSelector: `type=${FLINK_NATIVE_TYPE}`, transform: listPodTransform },
    configMaps: { conn, kind: configMapsKind, namespace, labelSelector: `type=${FLINK_NATIVE_TYPE}`, transform: listConfigMapTransform },
  };
}

type ListEvent =
  | { type: 'snapshot'; items: ClusterSummary[] }
  | { type: 'change'; changes: RowChange[] }
  | { type: 'status'; state: InformerState; message?: string };

/** One join per scope, shared by every tab and request, over the three shared informers. */
class ClusterListJoin {
  readonly index = new ClusterListIndex();
  private readonly leases: InformerLease[];
  private readonly unsubscribes: (() => void)[] = [];
  private readonly listeners = new Set<(e: ListEvent) => void>();
  private readonly states: { state: InformerState; message?: string }[];
  private ready?: Promise<void>;
  refs = 0;

  constructor(scope: Scope) {
    const specs = toClusterListSpecs(scope);
    this.leases = [acquireInformer(specs.deployments), acquireInformer(specs.pods), acquireInformer(specs.configMaps)];
    this.states = this.leases.map((l) => ({ state: l.informer.state }));
  }

  /** Every informer has listed and is watching (its cache is complete and current): the join answers at once. */
  get synced(): boolean {
    return this.leases.every((l) => l.informer.isSynced && l.informer.state === 'live');
  }

  /** Resolves once every informer listed; the index is built then and followed afterwards. */
  whenReady(): Promise<void> {
    // Every first list settles, then the first failure in the order deployments, pods, ConfigMaps is the one told.
    this.ready ??= Promise.allSettled(this.leases.map((l) => l.informer.whenSynced())).then((results) => {
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
      this.follow();
    });
    // A failed first list is retried by the next caller.
    this.ready.catch(() => (this.ready = undefined));
    return this.ready;
  }

  private follow(): void {
    if (this.unsubscribes.length) return;
    const [deployments, pods, configMaps] = this.leases.map((l) => l.informer);
    // Every informer has listed by now: their state then, not the one they had when the join began.
    this.leases.forEach((l, i) => (this.states[i] = { state: l.informer.state }));
    this.index.resetAll(deployments.list(), pods.list() as SlimListPod[], configMaps.list() as SlimListConfigMap[]);
    const on = (i: number, handle: (e: Exclude<InformerEvent, { type: 'status' }>) => RowChange[] | 'snapshot') => (e: InformerEvent) => {
      if (e.type === 'status') {
        this.states[i] = { state: e.state, message: e.message };
        const down = this.states.find((s) => s.state === 'reconnecting');
        this.emit(down ? { type: 'status', state: 'reconnecting', message: down.message } : { type: 'status', state: 'live' });
        return;
      }
      const result = handle(e);
      if (result === 'snapshot') this.emit({ type: 'snapshot', items: this.index.list() });
      else if (result.length) this.emit({ type: 'change', changes: result });
    };
    // subscribe() replays the current snapshot at once: the index was just built from it.
    let replaying = true;
    const skip = (e: InformerEvent) => replaying && e.type === 'snapshot';
    const onDeployments = on(0, (ev) => {
      if (ev.type === 'snapshot') return (this.index.resetDeployments(ev.items), 'snapshot');
      return ev.type === 'upsert' ? this.index.upsertDeployment(ev.object) : this.index.deleteDeployment(ev.object);
    });
    const onPods = on(1, (ev) => {
      if (ev.type === 'snapshot') return (this.index.resetPods(ev.items as SlimListPod[]), 'snapshot');
      const p = ev.object as SlimListPod;
      return ev.type === 'upsert' ? this.index.upsertPod(p) : this.index.deletePod(p);
    });
    const onConfigMaps = on(2, (ev) => {
      if (ev.type === 'snapshot') return (this.index.resetConfigMaps(ev.items as SlimListConfigMap[]), 'snapshot');
      const c = ev.object as SlimListConfigMap;
      return ev.type === 'upsert' ? this.index.upsertConfigMap(c) : this.index.deleteConfigMap(c);
    });
    this.unsubscribes.push(
      deployments.subscribe((e) => skip(e) || onDeployments(e)),
      pods.subscribe((e) => skip(e) || onPods(e)),
      configMaps.subscribe((e) => skip(e) || onConfigMaps(e)),
    );
    replaying = false;
  }

  get state(): { state: InformerState; message?: string } {
    return this.states.find((s) => s.state === 'reconnecting') ?? { state: 'live' };
  }

  subscribe(listener: (e: ListEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Each listener on its own: one feed that throws must not keep the change from the others. */
  private emit(e: ListEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        console.error(`A subscriber of the cluster list failed on a ${e.type} event:`, err);
      }
    }
  }

  stop(): void {
    for (const u of this.unsubscribes) u();
    for (const l of this.leases) l.release();
    this.listeners.clear();
  }
}

const g = globalThis as unknown as { __flinkDashClusterLists?: Map<string, ClusterListJoin> };
const joins = (g.__flinkDashClusterLists ??= new Map<string, ClusterListJoin>());

/**
 * The scope's join, reference-counted. It stops as soon as nobody uses it: its informers linger
 * (30 s, for a reload), and a join rebuilt from their caches is cheap.
 */
function acquireJoin(scope: Scope): { join: ClusterListJoin; release: () => void } {
  // Per identity scope too: the join's rows come from informers that list with one user's rights.
  const key = `${scope.context}|${scope.namespace}|${currentIdentityKey()}`;
  let join = joins.get(key);
  if (!join) joins.set(key, (join = new ClusterListJoin(scope)));
  const current = join;
  current.refs++;
  let released = false;
  return {
    join: current,
    release: () => {
      if (released) return;
      released = true;
      if (--current.refs > 0) return;
      if (joins.get(key) === current) joins.delete(key);
      current.stop();
    },
  };
}

function compareClusters(a: ClusterSummary, b: ClusterSummary): number {
  return a.namespace.localeCompare(b.namespace) || a.clusterId.localeCompare(b.clusterId);
}

/** The cluster list, from the shared join of the shared informers (one list+watch each, however many callers). */
export async function listClusterSummaries(scope: Scope): Promise<ClusterSummary[]> {
  const { join, release } = acquireJoin(scope);
  try {
    await join.whenReady();
    return join.index.list().sort(compareClusters);
  } finally {
    release();
  }
}

/**
 * The cluster list when the scope's informers have already listed (a running dashboard: another
 * tab, or a visit in the last 30 s), without waiting; undefined otherwise. The page renders these
 * rows on the server, so the browser shows them without a request of its own after loading. When
 * the informers have not listed, this starts them (the browser's request then finds them listing).
 */
export async function peekClusterSummaries(scope: Scope): Promise<ClusterSummary[] | undefined> {
  const { join, release } = acquireJoin(scope);
  try {
    if (!join.synced) return undefined;
    await join.whenReady();
    return join.index.list().sort(compareClusters);
  } finally {
    release();
  }
}

/**
 * The scope's rows as a feed (what the one-connection-per-browser multiplexer carries, lib/live):
 * a snapshot, then an upsert or delete per changed row, and the combined status. Throws before
 * emitting if a first list fails. Answers the function that stops it.
 */
export async function subscribeClusterList(scope: Scope, emit: (event: FeedEvent<ClusterSummary>) => void): Promise<() => void> {
  const { join, release } = acquireJoin(scope);
  try {
    await join.whenReady();
  } catch (err) {
    release();
    throw err;
  }
  let stopped = false;
  const unsubscribe = join.subscribe((e) => {
    if (stopped) return;
    if (e.type === 'snapshot') emit({ type: 'snapshot', items: e.items });
    else if (e.type === 'status') emit({ type: 'status', state: e.state, ...(e.message ? { message: e.message } : {}) });
    else
      for (const c of e.changes) {
        if (c.type === 'upsert') emit({ type: 'upsert', item: c.row });
        else emit({ type: 'delete', item: { key: c.key } });
      }
  });
  emit({ type: 'snapshot', items: join.index.list() });
  emit({ type: 'status', ...join.state });
  return () => {
    if (stopped) return;
    stopped = true;
    unsubscribe();
    release();
  };
}

/**
 * GET /api/watch/clusters: an SSE stream of rows (same wire format as createWatchResponse): one
 * snapshot, then an upsert or delete per changed row. Throws before streaming if a first list fails.
 */
export function createClusterListResponse(request: Request, scope: Scope): Promise<Response> {
  return createFeedResponse(request, (emit: (event: FeedEvent<ClusterSummary>) => void) => subscribeClusterList(scope, emit));
}
