'use client';

import { useQuery } from '@tanstack/react-query';
import { useClusterHaHealth } from '@/components/ha/use-cluster-ha-health';
import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import type { Scope } from '@/lib/api/scope';
import type { ClusterSummary } from '@/lib/flink/cluster-summary';
import { useWatchStream } from '@/lib/live/use-watch-stream';
import { clusterQueries } from '@/lib/queries/cluster-queries';
import { readListQuery, writeListQuery, type ListQuery } from './cluster-list-query';
import { ClusterListView } from './cluster-list-view';

/**
 * The live cluster list: one list request, then the watch stream keeps the cache current. With
 * `initialClusters` (the server's rows, when its informers had listed) there is no list request:
 * the rows show as soon as the page is there, and the stream's snapshot follows.
 */
export function ClusterList({ scope, initialClusters }: { scope: Scope; initialClusters?: ClusterSummary[] }) {
  const options = clusterQueries.list(scope);
  const query = useQuery(initialClusters ? { ...options, initialData: initialClusters } : options);
  const live = useWatchStream<ClusterSummary>(clusterQueries.watchUrl(scope), options.queryKey, query.isSuccess);
  const haHealth = useClusterHaHealth(scope);
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const listQuery = useMemo(() => readListQuery(searchParams), [searchParams]);
  // The choices live in the URL; replaceState updates useSearchParams without a server round trip.
  const onQueryChange = useCallback(
    (next: ListQuery) => {
      const params = writeListQuery(new URLSearchParams(window.location.search), next).toString();
      window.history.replaceState(null, '', params ? `${pathname}?${params}` : pathname);
    },
    [pathname],
  );
  const result =
    query.status === 'success'
      ? ({ status: 'success', clusters: query.data } as const)
      : query.status === 'error'
        ? ({ status: 'error', message: query.error.message } as const)
        : ({ status: 'pending' } as const);
  return (
    <ClusterListView
      namespace={scope.namespace}
      result={result}
      live={live}
      onRetry={() => void query.refetch()}
      query={listQuery}
      onQueryChange={onQueryChange}
      haHealth={haHealth}
    />
  );
}
