import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { ClusterSpecInput } from '@/lib/flink/cluster-spec-schema';
import type { ServiceAccountCheck } from '@/lib/k8s/clusters/check-service-account';
import type { CreatedCluster, HaLeftoverChoice } from '@/lib/k8s/clusters/create-cluster';
import type { KeyNames } from '@/lib/k8s/clusters/list-key-names';
import type { NodeSummary } from '@/lib/k8s/clusters/list-nodes';
import type { PreflightReport } from '@/lib/k8s/clusters/preflight-cluster';
import type { Preset } from '@/lib/k8s/clusters/preset-schema';
import { clusterQueries } from './cluster-queries';
import { fetchJson } from './fetch-json';

// The create backend's HTTP contract for the browser. Types are imported from the server modules
// (type-only imports are erased, so nothing server-side reaches the bundle).
export type { CreatedCluster, HaLeftoverChoice, KeyNames, NodeSummary, PreflightReport, Preset, ServiceAccountCheck };

const search = (params: Record<string, string>) => new URLSearchParams(params).toString();
const post = (body: unknown, signal?: AbortSignal): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
  signal,
});

const namespaceName = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** While the user is still typing a namespace, a request for it could only be refused (422). */
const isNamespaceName = (namespace: string) => namespace.length <= 63 && namespaceName.test(namespace);

/** Keys go from general to specific and carry every input. */
export const createClusterQueries = {
  all: () => ['create-cluster'] as const,
  /** Debounce the spec before using this: each change is a request (one parallel round to the API server). */
  preflights: () => [...createClusterQueries.all(), 'preflight'] as const,
  preflight: (context: string, spec: ClusterSpecInput) =>
    queryOptions({
      queryKey: [...createClusterQueries.preflights(), context, spec] as const,
      queryFn: ({ signal }) => fetchJson<PreflightReport>(`/api/clusters/preflight?${search({ context })}`, post(spec, signal)),
      retry: false,
      staleTime: 5_000,
      placeholderData: (previous) => previous,
    }),
  nodes: (context: string) =>
    queryOptions({
      queryKey: [...createClusterQueries.all(), 'nodes', context] as const,
      queryFn: async () => (await fetchJson<{ items: NodeSummary[] }>(`/api/nodes?${search({ context })}`)).items,
      retry: false,
      staleTime: 60_000,
    }),
  secrets: (context: string, namespace: string) =>
    queryOptions({
      queryKey: [...createClusterQueries.all(), 'secrets', context, namespace] as const,
      queryFn: async () => (await fetchJson<{ items: KeyNames[] }>(`/api/secrets?${search({ context, namespace })}`)).items,
      enabled: isNamespaceName(namespace),
      retry: false,
      staleTime: 30_000,
    }),
  configMaps: (context: string, namespace: string) =>
    queryOptions({
      queryKey: [...createClusterQueries.all(), 'configmaps', context, namespace] as const,
      queryFn: async () => (await fetchJson<{ items: KeyNames[] }>(`/api/configmaps?${search({ context, namespace })}`)).items,
      enabled: isNamespaceName(namespace),
      retry: false,
      staleTime: 30_000,
    }),
  serviceAccount: (context: string, namespace: string, name: string, ha: boolean) =>
    queryOptions({
      queryKey: [...createClusterQueries.all(), 'service-account', context, namespace, name, ha] as const,
      queryFn: () =>
        fetchJson<ServiceAccountCheck>(`/api/service-accounts/check?${search({ context, namespace, name, ha: String(ha) })}`),
      enabled: isNamespaceName(namespace) && name.trim() !== '',
      retry: false,
      staleTime: 10_000,
    }),
  presetLists: () => [...createClusterQueries.all(), 'presets'] as const,
  presets: (context: string, namespace: string) =>
    queryOptions({
      queryKey: [...createClusterQueries.presetLists(), context, namespace] as const,
      queryFn: async () => (await fetchJson<{ items: Preset[] }>(`/api/presets?${search({ context, namespace })}`)).items,
      enabled: isNamespaceName(namespace),
      retry: false,
    }),
};

/**
 * Creates the cluster. A 409 with `error.details.haLeftovers` (ClientApiError.details) asks the
 * user to choose; call again with `haLeftovers: 'recover' | 'purge'`.
 */
export function useCreateCluster(context: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ClusterSpecInput & { haLeftovers?: HaLeftoverChoice }) =>
      fetchJson<CreatedCluster>(`/api/clusters?${search({ context })}`, post(body)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: clusterQueries.all() }),
    // A failed create may still have changed the namespace (the flink ServiceAccount provisioned,
    // HA leftovers purged): the preview must be read again rather than promise what is done.
    onError: () => queryClient.invalidateQueries({ queryKey: createClusterQueries.preflights() }),
  });
}

export function useSavePreset(context: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { namespace: string; name: string; spec: Omit<ClusterSpecInput, 'clusterId'> }) =>
      fetchJson<Preset>(`/api/presets?${search({ context })}`, post(body)),
    onSuccess: (_data, vars) => queryClient.invalidateQueries({ queryKey: createClusterQueries.presets(context, vars.namespace).queryKey }),
  });
}

export function useDeletePreset(context: string) {
  const queryClient = useQueryClient();
  return useMutation({
    // 204 without a body on success; errors come back in the one wire shape (ClientApiError).
    mutationFn: (vars: { namespace: string; name: string }) =>
      fetchJson<void>(`/api/presets/${encodeURIComponent(vars.namespace)}/${encodeURIComponent(vars.name)}?${search({ context })}`, {
        method: 'DELETE',
      }),
    onSuccess: (_data, vars) => queryClient.invalidateQueries({ queryKey: createClusterQueries.presets(context, vars.namespace).queryKey }),
  });
}
