import { LiveIndicator } from '@/components/live/live-indicator';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import { isAllNamespaces } from '@/lib/api/scope';
import { clusterStatuses, type ClusterStatus } from '@/lib/flink/cluster-list-status';
import type { ClusterSummary } from '@/lib/flink/cluster-summary';
import type { LiveStatus } from '@/lib/live/use-watch-stream';
import { ClusterEmptyState } from './cluster-empty-state';
import { applyListQuery, DEFAULT_QUERY, type ListQuery, type SortKey } from './cluster-list-query';
import type { ClusterHaHealth } from '@/lib/flink/ha/ha-health';
import { ClusterTable } from './cluster-table';

export type ClusterListViewProps = {
  namespace: string;
  result:
    | { status: 'pending' }
    | { status: 'error'; message: string }
    | { status: 'success'; clusters: ClusterSummary[] };
  live: LiveStatus;
  onRetry?: () => void;
  /** Filter and sort (from the URL). */
  query?: ListQuery;
  onQueryChange?: (query: ListQuery) => void;
  /** HA leader and standbys per cluster key (components/ha/use-cluster-ha-health). */
  haHealth?: ReadonlyMap<string, ClusterHaHealth>;
};

function ListToolbar({ query, onChange, shown, total }: { query: ListQuery; onChange: (q: ListQuery) => void; shown: number; total: number }) {
  return (
    <div className="flex flex-wrap items-center gap-3" role="search" aria-label="Filter clusters">
      <input
        type="search"
        aria-label="Filter clusters by text"
        placeholder="Filter by id, namespace, image, status…"
        value={query.q}
        onChange={(e) => onChange({ ...query, q: e.target.value })}
        className="w-72 max-w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-sm focus:border-brand-500 focus:ring-1 focus:ring-brand-500 focus:outline-none"
      />
      <label className="flex items-center gap-2 text-sm text-slate-600">
        Status
        <select
          value={query.status ?? ''}
          onChange={(e) => onChange({ ...query, status: (e.target.value || undefined) as ClusterStatus | undefined })}
          className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm shadow-sm"
        >
          <option value="">Any</option>
          {clusterStatuses.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      {shown !== total && (
        <span className="text-sm text-slate-500" role="status">
          {shown} of {total} shown
        </span>
      )}
    </div>
  );
}

/** Renders every state of the cluster list from props only. */
export function ClusterListView({ namespace, result, live, onRetry, query = DEFAULT_QUERY, onQueryChange = () => {}, haHealth }: ClusterListViewProps) {
  const rows = result.status === 'success' ? applyListQuery(result.clusters, query) : [];
  const onSort = (key: SortKey) =>
    onQueryChange({ ...query, sort: key, dir: query.sort === key && query.dir === 'asc' ? 'desc' : 'asc' });
  const where = isAllNamespaces(namespace) ? 'all namespaces' : `namespace ${namespace}`;
  return (
    <section aria-labelledby="clusters-heading" className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 id="clusters-heading" className="text-xl font-semibold text-slate-900">
            Flink clusters
          </h1>
          <p className="mt-1 text-sm text-slate-500">
            Session and application clusters in {where}
            {result.status === 'success' && ` · ${result.clusters.length} found`}
          </p>
        </div>
        {result.status === 'success' && <LiveIndicator status={live} />}
      </div>
      {result.status === 'success' && live.state === 'reconnecting' && live.message && (
        <Alert tone="warning" title="Connection to the cluster lost">
          {live.message} The list below may be out of date until the connection is back.
        </Alert>
      )}
      {result.status === 'pending' && (
        <div className="space-y-2 rounded-xl border border-slate-200 bg-white p-4" aria-busy="true" aria-label="Loading clusters">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} className="h-8 w-full" />
          ))}
        </div>
      )}
      {result.status === 'error' && (
        <Alert
          title="The clusters could not be listed"
          action={
            onRetry && (
              <Button onClick={onRetry} className="shrink-0">
                Try again
              </Button>
            )
          }
        >
          {result.message}
        </Alert>
      )}
      {result.status === 'success' &&
        (result.clusters.length === 0 ? (
          <ClusterEmptyState namespace={namespace} />
        ) : (
          <>
            <ListToolbar query={query} onChange={onQueryChange} shown={rows.length} total={result.clusters.length} />
            {rows.length === 0 ? (
              <p className="rounded-xl border border-slate-200 bg-white p-6 text-sm text-slate-600">
                No cluster matches the filter.{' '}
                <button type="button" className="font-medium text-brand-700 underline" onClick={() => onQueryChange({ ...query, q: '', status: undefined })}>
                  Clear the filter
                </button>
              </p>
            ) : (
              <ClusterTable clusters={rows} showNamespace={isAllNamespaces(namespace)} query={query} onSort={onSort} haHealth={haHealth} />
            )}
          </>
        ))}
    </section>
  );
}
