import { queryOptions } from '@tanstack/react-query';
import type { ClusterSummary } from '@/lib/flink/cluster-summary';
import { toScopeSearch, type Scope } from '@/lib/api/scope';
import { fetchJson } from './fetch-json';

/** Query keys go from general to specific and carry every input. */
export const clusterQueries = {
  all: () => ['clusters'] as const,
  lists: () => [...clusterQueries.all(), 'list'] as const,
  list: (scope: Scope) =>
    queryOptions({
      queryKey: [...clusterQueries.lists(), scope.context, scope.namespace] as const,
      queryFn: async () => (await fetchJson<{ items: ClusterSummary[] }>(`/api/clusters?${toScopeSearch(scope)}`)).items,
      // The watch stream keeps this fresh: never refetch on focus or timers.
      staleTime: Infinity,
      retry: false,
    }),
  /** URL of the SSE stream that keeps `list(scope)` current. */
  watchUrl: (scope: Scope) => `/api/watch/clusters?${toScopeSearch(scope)}`,
};
