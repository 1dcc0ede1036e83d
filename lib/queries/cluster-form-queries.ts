import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { ClusterSpec, ClusterSpecInput } from '@/lib/flink/cluster-spec-schema';
import { clusterQueries } from './cluster-queries';
import { fetchJson } from './fetch-json';

// Wire shapes of the create backend (app/api/clusters, nodes, secrets, configmaps, presets).
export type PreflightWarning = { code: string; message: string; field?: string };
export type PreflightReport = {
  spec: ClusterSpec;
  yaml: string;
  cli: string;
  warnings: PreflightWarning[];
  haLeftovers: string[];
  serviceAccount: { name: string; exists: boolean; willProvision: boolean; missing: { verb: string; group: string; resource: string }[] };
};
export type NodeSummary = { name: string; labels: Record<string, string>; taints: { key: string; value?: string; effect: string }[] };
export type KeyNames = { name: string; type?: string; keys: string[] };
export type Preset = { name: string; spec: Omit<ClusterSpec, 'clusterId'>; createdAt: string };
export type CreatedCluster = { namespace: string; clusterId: string; uid: string };
export type HaLeftoverChoice = 'recover' | 'purge';

const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export const clusterFormQueries = {
  all: () => ['cluster-form'] as const,
  preflight: (context: string, spec: ClusterSpecInput) =>
    queryOptions({
      queryKey: [...clusterFormQueries.all(), 'preflight', context, spec] as const,
      queryFn: ({ signal }) => fetchJson<PreflightReport>(`/api/clusters/preflight?${q({ context })}`, { ...json(spec), signal }),
      retry: false,
      staleTime: 5_000,
      placeholderData: (previous) => previous,
    }),
  nodes: (context: string) =>
    queryOptions({
      queryKey: [...clusterFormQueries.all(), 'nodes', context] as const,
      queryFn: async () => (await fetchJson<{ items: NodeSummary[] }>(`/api/nodes?${q({ context })}`)).items,
      retry: false,
      staleTime: 60_000,
    }),
  secrets: (context: string, namespace: string) =>
    queryOptions({
      queryKey: [...clusterFormQueries.all(), 'secrets', context, namespace] as const,
      queryFn: async () => (await fetchJson<{ items: KeyNames[] }>(`/api/secrets?${q({ context, namespace })}`)).items,
      retry: false,
      staleTime: 30_000,
    }),
  configMaps: (context: string, namespace: string) =>
    queryOptions({
      queryKey: [...clusterFormQueries.all(), 'configmaps', context, namespace] as const,
      queryFn: async () => (await fetchJson<{ items: KeyNames[] }>(`/api/configmaps?${q({ context, namespace })}`)).items,
      retry: false,
      staleTime: 30_000,
    }),
  presets: (context: string, namespace: string) =>
    queryOptions({
      queryKey: [...clusterFormQueries.all(), 'presets', context, namespace] as const,
      queryFn: async () => (await fetchJson<{ items: Preset[] }>(`/api/presets?${q({ context, namespace })}`)).items,
      retry: false,
    }),
};

/** Creates the cluster; the cluster lists are invalidated (their watches would catch up anyway). */
export function useCreateCluster(context: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ClusterSpecInput & { haLeftovers?: HaLeftoverChoice }) =>
      fetchJson<CreatedCluster>(`/api/clusters?${q({ context })}`, json(body)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: clusterQueries.all() }),
  });
}

export function useSavePreset(context: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { namespace: string; name: string; spec: Omit<ClusterSpecInput, 'clusterId'> }) =>
      fetchJson<Preset>(`/api/presets?${q({ context })}`, json(body)),
    onSuccess: (_data, vars) => queryClient.invalidateQueries({ queryKey: clusterFormQueries.presets(context, vars.namespace).queryKey }),
  });
}
