import { queryOptions } from '@tanstack/react-query';
import type { DeletePlan, DeleteResult, HaLeftover } from '@/lib/k8s/clusters/delete-plan-types';
import { fetchJson } from '@/lib/queries/fetch-json';

export type DeleteTarget = { context?: string; namespace: string; clusterId: string };

function contextQuery(context: string | undefined): string {
  return context ? `?${new URLSearchParams({ context })}` : '';
}
function clusterPath(t: DeleteTarget): string {
  return `/api/clusters/${encodeURIComponent(t.namespace)}/${encodeURIComponent(t.clusterId)}`;
}

export const deleteQueries = {
  /** What a delete removes and keeps, read fresh each time the dialog opens. */
  plan: (t: DeleteTarget) =>
    queryOptions({
      queryKey: ['delete-plan', t.context ?? '', t.namespace, t.clusterId] as const,
      queryFn: () => fetchJson<DeletePlan>(`${clusterPath(t)}/delete-plan${contextQuery(t.context)}`),
      staleTime: 0,
      gcTime: 0,
      retry: false,
    }),
  leftovers: (scope: { context?: string; namespace: string }) =>
    queryOptions({
      queryKey: ['ha-leftovers', scope.context ?? '', scope.namespace] as const,
      queryFn: async () =>
        (await fetchJson<{ items: HaLeftover[] }>(`/api/ha-leftovers?${new URLSearchParams({ ...(scope.context ? { context: scope.context } : {}), namespace: scope.namespace })}`)).items,
      retry: false,
    }),
};

export function deleteCluster(t: DeleteTarget, purgeHaData: boolean): Promise<DeleteResult> {
  return fetchJson<DeleteResult>(`${clusterPath(t)}${contextQuery(t.context)}`, {
    method: 'DELETE',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ purgeHaData }),
  });
}

export function purgeLeftover(t: DeleteTarget): Promise<{ purged: string[] }> {
  return fetchJson<{ purged: string[] }>(`/api/ha-leftovers/${encodeURIComponent(t.namespace)}/${encodeURIComponent(t.clusterId)}${contextQuery(t.context)}`, {
    method: 'DELETE',
  });
}
