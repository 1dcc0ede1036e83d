// The resource types the simulator implements. Discovery documents take the rest of their fields
// (verbs, shortNames, categories, storageVersionHash) from the captured discovery of a real server.

export interface ResourceType {
  group: string; // '' for core
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  /** Implemented subresources, e.g. ['status', 'log', 'proxy', 'binding']. */
  subresources: string[];
}

const r = (group: string, version: string, plural: string, kind: string, namespaced: boolean, subresources: string[] = []): ResourceType => ({
  group,
  version,
  plural,
  singular: kind.toLowerCase(),
  kind,
  namespaced,
  subresources,
});

export const RESOURCES: ResourceType[] = [
  r('', 'v1', 'namespaces', 'Namespace', false, ['status', 'finalize']),
  r('', 'v1', 'nodes', 'Node', false, ['status', 'proxy']),
  r('', 'v1', 'pods', 'Pod', true, ['status', 'log', 'proxy', 'binding', 'eviction']),
  r('', 'v1', 'services', 'Service', true, ['status', 'proxy']),
  r('', 'v1', 'endpoints', 'Endpoints', true),
  r('', 'v1', 'configmaps', 'ConfigMap', true),
  r('', 'v1', 'secrets', 'Secret', true),
  r('', 'v1', 'serviceaccounts', 'ServiceAccount', true, ['token']),
  r('', 'v1', 'events', 'Event', true),
  r('events.k8s.io', 'v1', 'events', 'Event', true),
  r('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice', true),
  r('apps', 'v1', 'deployments', 'Deployment', true, ['status', 'scale']),
  r('apps', 'v1', 'replicasets', 'ReplicaSet', true, ['status', 'scale']),
  r('coordination.k8s.io', 'v1', 'leases', 'Lease', true),
  r('rbac.authorization.k8s.io', 'v1', 'roles', 'Role', true),
  r('rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding', true),
  r('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false),
  r('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', false),
  r('authorization.k8s.io', 'v1', 'selfsubjectaccessreviews', 'SelfSubjectAccessReview', false),
  r('authorization.k8s.io', 'v1', 'selfsubjectrulesreviews', 'SelfSubjectRulesReview', false),
  r('authorization.k8s.io', 'v1', 'subjectaccessreviews', 'SubjectAccessReview', false),
];

export function groupVersion(rt: Pick<ResourceType, 'group' | 'version'>): string {
  return rt.group ? `${rt.group}/${rt.version}` : rt.version;
}

/** "deployments.apps", "pods": the qualified resource name used in Status messages. */
export function qualifiedResource(rt: Pick<ResourceType, 'group' | 'plural'>): string {
  return rt.group ? `${rt.plural}.${rt.group}` : rt.plural;
}

export function findResource(group: string, version: string, plural: string): ResourceType | undefined {
  return RESOURCES.find((x) => x.group === group && x.version === version && x.plural === plural);
}
