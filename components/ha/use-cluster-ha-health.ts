'use client';

import { queryOptions, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { toScopeSearch, type Scope } from '@/lib/api/scope';
import { deriveHaHealth, type ClusterHaHealth, type HaHealthItem } from '@/lib/flink/ha/ha-health';
import { useWatchStream } from '@/lib/live/use-watch-stream';
import { fetchJson } from '@/lib/queries/fetch-json';
import { useTickingNow } from './use-ticking-now';

export const haHealthQueries = {
  list: (scope: Scope) =>
    queryOptions({
      queryKey: ['clusters', 'ha-health', scope.context, scope.namespace] as const,
      queryFn: async () => (await fetchJson<{ items: HaHealthItem[] }>(`/api/ha-health?${toScopeSearch(scope)}`)).items,
      staleTime: Infinity,
      retry: false,
    }),
  watchUrl: (scope: Scope) => `/api/ha-health/watch?${toScopeSearch(scope)}`,
};

/** HA health per cluster row key (namespace/id), live; undefined until first read (or when it failed). */
export function useClusterHaHealth(scope: Scope): ReadonlyMap<string, ClusterHaHealth> | undefined {
  const options = haHealthQueries.list(scope);
  const query = useQuery(options);
  useWatchStream<HaHealthItem>(haHealthQueries.watchUrl(scope), options.queryKey, query.isSuccess);
  // Staleness of a lease moves with time, not only with events.
  const now = useTickingNow(5_000);
  return useMemo(() => (query.data ? deriveHaHealth(query.data, now) : undefined), [query.data, now]);
}
