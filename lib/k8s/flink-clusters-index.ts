// PURE: the cluster list's join of JobManager Deployments, Flink pods and Flink ConfigMaps (all
// slim, see informer-transforms.ts) into one row per cluster. A change to a pod or ConfigMap
// recomputes only its cluster's row.
import { countTaskManagers, deriveClusterStatus, leaderHost } from '@/lib/flink/cluster-list-status';
import { toClusterSummary, type ClusterSummary } from '@/lib/flink/cluster-summary';
import type { SlimListConfigMap, SlimListPod } from './informer-transforms';

type Meta = { name?: string; namespace?: string; labels?: Record<string, string> };
const metaOf = (o: unknown): Meta => ((o as { metadata?: Meta }).metadata ?? {});

/** namespace/cluster-id of a pod or ConfigMap (its `app` label), of a Deployment (its name). */
function clusterKeyOfLabelled(o: unknown): string | undefined {
  const m = metaOf(o);
  const app = m.labels?.app;
  return app ? `${m.namespace ?? ''}/${app}` : undefined;
}
function deploymentKey(o: unknown): string {
  const m = metaOf(o);
  return `${m.namespace ?? ''}/${m.name ?? ''}`;
}

/** FNV-1a: a short, deterministic fingerprint of the derived fields (part of the row's version). */
function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

export type RowChange = { type: 'upsert'; row: ClusterSummary } | { type: 'delete'; key: string };

export class ClusterListIndex {
  private readonly deployments = new Map<string, unknown>();
  private readonly pods = new Map<string, Map<string, SlimListPod>>();
  private readonly configMaps = new Map<string, Map<string, SlimListConfigMap>>();
  private readonly rows = new Map<string, ClusterSummary>();

  list(): ClusterSummary[] {
    return [...this.rows.values()];
  }

  /** All three at once: one rebuild of every row (a join built from lingering informers' caches). */
  resetAll(deployments: readonly unknown[], pods: readonly SlimListPod[], configMaps: readonly SlimListConfigMap[]): void {
    this.deployments.clear();
    for (const d of deployments) this.deployments.set(deploymentKey(d), d);
    this.pods.clear();
    for (const p of pods) this.addTo(this.pods, p);
    this.configMaps.clear();
    for (const c of configMaps) this.addTo(this.configMaps, c);
    this.rebuild();
  }

  resetDeployments(items: readonly unknown[]): void {
    this.deployments.clear();
    for (const d of items) this.deployments.set(deploymentKey(d), d);
    this.rebuild();
  }
  resetPods(items: readonly SlimListPod[]): void {
    this.pods.clear();
    for (const p of items) this.addTo(this.pods, p);
    this.rebuild();
  }
  resetConfigMaps(items: readonly SlimListConfigMap[]): void {
    this.configMaps.clear();
    for (const c of items) this.addTo(this.configMaps, c);
    this.rebuild();
  }

  upsertDeployment(d: unknown): RowChange[] {
    const key = deploymentKey(d);
    this.deployments.set(key, d);
    return this.recompute(key);
  }
  deleteDeployment(d: unknown): RowChange[] {
    const key = deploymentKey(d);
    this.deployments.delete(key);
    return this.recompute(key);
  }
  upsertPod(p: SlimListPod): RowChange[] {
    const key = this.addTo(this.pods, p);
    return key ? this.recompute(key) : [];
  }
  deletePod(p: SlimListPod): RowChange[] {
    const key = this.removeFrom(this.pods, p);
    return key ? this.recompute(key) : [];
  }
  upsertConfigMap(c: SlimListConfigMap): RowChange[] {
    const key = this.addTo(this.configMaps, c);
    return key ? this.recompute(key) : [];
  }
  deleteConfigMap(c: SlimListConfigMap): RowChange[] {
    const key = this.removeFrom(this.configMaps, c);
    return key ? this.recompute(key) : [];
  }

  private addTo<T>(map: Map<string, Map<string, T>>, o: T): string | undefined {
    const key = clusterKeyOfLabelled(o);
    if (!key) return undefined;
    let byName = map.get(key);
    if (!byName) map.set(key, (byName = new Map()));
    byName.set(metaOf(o).name ?? '', o);
    return key;
  }
  private removeFrom<T>(map: Map<string, Map<string, T>>, o: T): string | undefined {
    const key = clusterKeyOfLabelled(o);
    if (!key) return undefined;
    const byName = map.get(key);
    byName?.delete(metaOf(o).name ?? '');
    if (byName?.size === 0) map.delete(key);
    return key;
  }

  private rebuild(): void {
    this.rows.clear();
    for (const key of this.deployments.keys()) {
      const row = this.toRow(key);
      if (row) this.rows.set(key, row);
    }
  }

  private recompute(key: string): RowChange[] {
    const row = this.toRow(key);
    const before = this.rows.get(key);
    if (!row) {
      if (!before) return [];
      this.rows.delete(key);
      return [{ type: 'delete', key }];
    }
    if (before?.resourceVersion === row.resourceVersion) return [];
    this.rows.set(key, row);
    return [{ type: 'upsert', row }];
  }

  /** The row of one cluster, or undefined when its Deployment is not (or no longer) there. */
  toRow(key: string): ClusterSummary | undefined {
    const d = this.deployments.get(key);
    if (!d) return undefined;
    const base = toClusterSummary(d);
    const pods = [...(this.pods.get(key)?.values() ?? [])];
    const derived = deriveClusterStatus(
      { deletionTimestamp: base.deletionTimestamp, desiredReplicas: base.desiredReplicas, readyReplicas: base.readyReplicas },
      pods,
    );
    const cms = [...(this.configMaps.get(key)?.values() ?? [])];
    const config = cms.find((c) => c.haEnabled !== undefined);
    const leaderEntry = cms.find((c) => c.restLeader !== undefined)?.restLeader;
    const host = leaderHost(leaderEntry);
    const leaderPod = host
      ? pods.find((p) => p.metadata.labels?.component === 'jobmanager' && p.status?.podIP === host && !p.metadata.deletionTimestamp)
      : undefined;
    const extra = {
      status: derived.status,
      ...(derived.reason ? { statusReason: derived.reason } : {}),
      taskManagers: countTaskManagers(pods),
      ha: config ? (config.haEnabled ? 'on' : 'off') : 'unknown',
      ...(leaderPod ? { haLeader: leaderPod.metadata.name } : {}),
    } as const;
    return { ...base, ...extra, resourceVersion: `${base.resourceVersion}.${fingerprint(JSON.stringify(extra))}` };
  }
}
