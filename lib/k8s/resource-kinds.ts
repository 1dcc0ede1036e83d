import { isAllNamespaces } from '@/lib/api/scope';

/** A namespaced Kubernetes resource the dashboard lists and watches. */
export type ResourceKind = { group: string; version: string; plural: string };

export const deploymentsKind: ResourceKind = { group: 'apps', version: 'v1', plural: 'deployments' };
export const podsKind: ResourceKind = { group: '', version: 'v1', plural: 'pods' };
export const configMapsKind: ResourceKind = { group: '', version: 'v1', plural: 'configmaps' };
export const servicesKind: ResourceKind = { group: '', version: 'v1', plural: 'services' };
export const eventsKind: ResourceKind = { group: '', version: 'v1', plural: 'events' };

/** `/apis/apps/v1/namespaces/ns/deployments`, or the cluster-wide path for ALL_NAMESPACES. */
export function toCollectionPath(kind: ResourceKind, namespace: string): string {
  const base = kind.group === '' ? `/api/${kind.version}` : `/apis/${kind.group}/${kind.version}`;
  return isAllNamespaces(namespace)
    ? `${base}/${kind.plural}`
    : `${base}/namespaces/${encodeURIComponent(namespace)}/${kind.plural}`;
}
