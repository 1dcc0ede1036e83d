import { LiveIndicator } from '@/components/live/live-indicator';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import { isAllNamespaces } from '@/lib/api/scope';
import type { ClusterSummary } from '@/lib/flink/cluster-summary';
import type { LiveStatus } from '@/lib/live/use-watch-stream';
import { ClusterEmptyState } from './cluster-empty-state';
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
  /** HA health per row key (components/ha); undefined until read. */
  haHealth?: ReadonlyMap<string, ClusterHaHealth>;
};

/** Renders every state of the cluster list from props only. */
export function ClusterListView({ namespace, result, live, onRetry, haHealth }: ClusterListViewProps) {
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
          <ClusterTable clusters={result.clusters} showNamespace={isAllNamespaces(namespace)} haHealth={haHealth} />
        ))}
    </section>
  );
}
