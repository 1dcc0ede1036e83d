'use client';

import { useQuery } from '@tanstack/react-query';
import { useClusterHaHealth } from '@/components/ha/use-cluster-ha-health';
import type { Scope } from '@/lib/api/scope';
import type { ClusterSummary } from '@/lib/flink/cluster-summary';
import { useWatchStream } from '@/lib/live/use-watch-stream';
import { clusterQueries } from '@/lib/queries/cluster-queries';
import { ClusterListView } from './cluster-list-view';

/** The live cluster list: one list request, then the watch stream keeps the cache current. */
export function ClusterList({ scope }: { scope: Scope }) {
  const options = clusterQueries.list(scope);
  const query = useQuery(options);
  const live = useWatchStream<ClusterSummary>(clusterQueries.watchUrl(scope), options.queryKey, query.isSuccess);
  const haHealth = useClusterHaHealth(scope);
  const result =
    query.status === 'success'
      ? ({ status: 'success', clusters: query.data } as const)
      : query.status === 'error'
        ? ({ status: 'error', message: query.error.message } as const)
        : ({ status: 'pending' } as const);
  return <ClusterListView namespace={scope.namespace} result={result} live={live} onRetry={() => void query.refetch()} haHealth={haHealth} />;
}
