// PURE: the cluster list's filter and sort, read from and written to the URL's search params
// (?q=&status=&sort=&dir=), so a link shares them.
import { clusterStatuses, type ClusterStatus } from '@/lib/flink/cluster-list-status';
import type { ClusterSummary } from '@/lib/flink/cluster-summary';

export const sortKeys = ['cluster', 'namespace', 'flink', 'mode', 'status', 'jobmanager', 'taskmanagers', 'ha', 'leader', 'age'] as const;
export type SortKey = (typeof sortKeys)[number];
export type SortDir = 'asc' | 'desc';

export type ListQuery = { q: string; status?: ClusterStatus; sort: SortKey; dir: SortDir };

export const DEFAULT_QUERY: ListQuery = { q: '', sort: 'cluster', dir: 'asc' };

type Params = { get(name: string): string | null };

/** Reads the choices from the URL; a value it does not know falls back to the default (and is dropped on the next write). */
export function readListQuery(params: Params): ListQuery {
  const status = params.get('status');
  const sort = params.get('sort');
  const dir = params.get('dir');
  return {
    q: (params.get('q') ?? '').slice(0, 200),
    ...(status && (clusterStatuses as readonly string[]).includes(status) ? { status: status as ClusterStatus } : {}),
    sort: sort && (sortKeys as readonly string[]).includes(sort) ? (sort as SortKey) : DEFAULT_QUERY.sort,
    dir: dir === 'desc' ? 'desc' : 'asc',
  };
}

/** The search params with the choices written in (defaults left out); other params (context, namespace) are kept. */
export function writeListQuery(current: URLSearchParams, query: ListQuery): URLSearchParams {
  const next = new URLSearchParams(current);
  const set = (k: string, v: string | undefined) => (v ? next.set(k, v) : next.delete(k));
  set('q', query.q.trim() ? query.q : undefined);
  set('status', query.status);
  set('sort', query.sort === DEFAULT_QUERY.sort ? undefined : query.sort);
  set('dir', query.dir === 'asc' ? undefined : query.dir);
  return next;
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
const statusRank: Record<ClusterStatus, number> = { Failing: 0, Degraded: 1, Starting: 2, Deleting: 3, Running: 4, Stopped: 5 };

function compareBy(key: SortKey): (a: ClusterSummary, b: ClusterSummary) => number {
  const text = (f: (c: ClusterSummary) => string) => (a: ClusterSummary, b: ClusterSummary) => collator.compare(f(a), f(b));
  const num = (f: (c: ClusterSummary) => number) => (a: ClusterSummary, b: ClusterSummary) => f(a) - f(b);
  switch (key) {
    case 'cluster':
      return text((c) => c.clusterId);
    case 'namespace':
      return text((c) => c.namespace);
    case 'flink':
      return text((c) => c.flinkVersion);
    case 'mode':
      return text((c) => c.mode);
    case 'status':
      return num((c) => statusRank[c.status ?? 'Starting']);
    case 'jobmanager':
      return num((c) => (c.desiredReplicas ? c.readyReplicas / c.desiredReplicas : -1));
    case 'taskmanagers':
      return num((c) => c.taskManagers ?? 0);
    case 'ha':
      return text((c) => c.ha ?? 'unknown');
    case 'leader':
      return text((c) => c.haLeader ?? '');
    case 'age':
      // Ascending age: the youngest first.
      return (a, b) => b.createdAt.localeCompare(a.createdAt);
  }
}

function matches(c: ClusterSummary, needle: string): boolean {
  return (
    c.clusterId.toLowerCase().includes(needle) ||
    c.namespace.toLowerCase().includes(needle) ||
    c.image.toLowerCase().includes(needle) ||
    c.mode.includes(needle) ||
    (c.status ?? '').toLowerCase().includes(needle) ||
    (c.statusReason ?? '').toLowerCase().includes(needle) ||
    (c.haLeader ?? '').toLowerCase().includes(needle)
  );
}

/** The rows to show: filtered by text (cluster id, namespace, image, mode, status and its reason, leader) and status, then sorted (ties by namespace/id). */
export function applyListQuery(clusters: readonly ClusterSummary[], query: ListQuery): ClusterSummary[] {
  const needle = query.q.trim().toLowerCase();
  const rows = clusters.filter((c) => (!query.status || c.status === query.status) && (!needle || matches(c, needle)));
  const primary = compareBy(query.sort);
  const sign = query.dir === 'desc' ? -1 : 1;
  return rows.sort((a, b) => sign * primary(a, b) || collator.compare(a.namespace, b.namespace) || collator.compare(a.clusterId, b.clusterId));
}
