// The v1.28 bootstrap ClusterRoles and ClusterRoleBindings, transcribed from
// plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata/cluster-roles.yaml and cluster-role-bindings.yaml
// (the system:controller:* roles and the subject-less system:node binding are left out: the simulator's
// controllers and kubelets act with admin credentials).

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

const RW = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const READ = ['get', 'list', 'watch'];
const ALL = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const res = (apiGroups: string[], resources: string[], verbs: string[], resourceNames?: string[]): PolicyRule =>
  resourceNames ? { apiGroups, resourceNames, resources, verbs } : { apiGroups, resources, verbs };
const urls = (nonResourceURLs: string[], verbs: string[]): PolicyRule => ({ nonResourceURLs, verbs });

const meta = (name: string, extraLabels: Record<string, string> = {}) => ({
  annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
  labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults', ...extraLabels },
  name,
});

const role = (name: string, rules: PolicyRule[], extraLabels?: Record<string, string>) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: meta(name, extraLabels),
  rules,
});

const aggregated = (name: string, selectorLabel: string, extraLabels?: Record<string, string>) => ({
  aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [selectorLabel]: 'true' } }] },
  ...role(name, [], extraLabels),
});

const TO_ADMIN = { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' };
const TO_EDIT = { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' };
const TO_VIEW = { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' };
const EVENTS_WRITE = res(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']);

export function bootstrapClusterRoles(): any[] {
  return [
    aggregated('admin', 'rbac.authorization.k8s.io/aggregate-to-admin'),
    role('cluster-admin', [res(['*'], ['*'], ['*']), urls(['*'], ['*'])]),
    aggregated('edit', 'rbac.authorization.k8s.io/aggregate-to-edit', TO_ADMIN),
    role(
      'system:aggregate-to-admin',
      [res(['authorization.k8s.io'], ['localsubjectaccessreviews'], ['create']), res(['rbac.authorization.k8s.io'], ['rolebindings', 'roles'], ALL)],
      TO_ADMIN,
    ),
    role(
      'system:aggregate-to-edit',
      [
        res([''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'], READ),
        res([''], ['serviceaccounts'], ['impersonate']),
        res([''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], RW),
        res([''], ['pods/eviction'], ['create']),
        res([''], ['configmaps', 'events', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'services', 'services/proxy'], RW),
        res([''], ['serviceaccounts/token'], ['create']),
        res(['apps'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale'], RW),
        res(['autoscaling'], ['horizontalpodautoscalers'], RW),
        res(['batch'], ['cronjobs', 'jobs'], RW),
        res(['extensions'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'ingresses', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicationcontrollers/scale'], RW),
        res(['policy'], ['poddisruptionbudgets'], RW),
        res(['networking.k8s.io'], ['ingresses', 'networkpolicies'], RW),
        res(['coordination.k8s.io'], ['leases'], ALL),
      ],
      TO_EDIT,
    ),
    role(
      'system:aggregate-to-view',
      [
        res([''], ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status'], READ),
        res([''], ['bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status', 'replicationcontrollers/status', 'resourcequotas', 'resourcequotas/status'], READ),
        res([''], ['namespaces'], READ),
        res(['discovery.k8s.io'], ['endpointslices'], READ),
        res(['apps'], ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status'], READ),
        res(['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'], READ),
        res(['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'], READ),
        res(['extensions'], ['daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'ingresses', 'ingresses/status', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicasets/status', 'replicationcontrollers/scale'], READ),
        res(['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status'], READ),
        res(['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies'], READ),
      ],
      TO_VIEW,
    ),
    role('system:auth-delegator', [res(['authentication.k8s.io'], ['tokenreviews'], ['create']), res(['authorization.k8s.io'], ['subjectaccessreviews'], ['create'])]),
    role('system:basic-user', [
      res(['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], ['create']),
      res(['authentication.k8s.io'], ['selfsubjectreviews'], ['create']),
    ]),
    role('system:discovery', [urls(['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'], ['get'])]),
    ...['nodeclient', 'selfnodeclient'].map((n) =>
      role(`system:certificates.k8s.io:certificatesigningrequests:${n}`, [res(['certificates.k8s.io'], [`certificatesigningrequests/${n}`], ['create'])]),
    ),
    ...[
      ['kube-apiserver-client-approver', 'kubernetes.io/kube-apiserver-client'],
      ['kube-apiserver-client-kubelet-approver', 'kubernetes.io/kube-apiserver-client-kubelet'],
      ['kubelet-serving-approver', 'kubernetes.io/kubelet-serving'],
      ['legacy-unknown-approver', 'kubernetes.io/legacy-unknown'],
    ].map(([n, signer]) => role(`system:certificates.k8s.io:${n}`, [res(['certificates.k8s.io'], ['signers'], ['approve'], [signer])])),
    role('system:heapster', [res([''], ['events', 'namespaces', 'nodes', 'pods'], READ), res(['extensions'], ['deployments'], READ)]),
    role('system:kube-aggregator', [res([''], ['endpoints', 'services'], READ)]),
    role('system:kube-controller-manager', [
      EVENTS_WRITE,
      res(['coordination.k8s.io'], ['leases'], ['create']),
      res(['coordination.k8s.io'], ['leases'], ['get', 'update'], ['kube-controller-manager']),
      res([''], ['secrets', 'serviceaccounts'], ['create']),
      res([''], ['secrets'], ['delete']),
      res([''], ['configmaps', 'namespaces', 'secrets', 'serviceaccounts'], ['get']),
      res([''], ['secrets', 'serviceaccounts'], ['update']),
      res(['authentication.k8s.io'], ['tokenreviews'], ['create']),
      res(['authorization.k8s.io'], ['subjectaccessreviews'], ['create']),
      res(['*'], ['*'], ['list', 'watch']),
      res([''], ['serviceaccounts/token'], ['create']),
    ]),
    role('system:kube-dns', [res([''], ['endpoints', 'services'], ['list', 'watch'])]),
    role('system:kube-scheduler', [
      EVENTS_WRITE,
      res(['coordination.k8s.io'], ['leases'], ['create']),
      res(['coordination.k8s.io'], ['leases'], ['get', 'update'], ['kube-scheduler']),
      res([''], ['nodes'], READ),
      res([''], ['pods'], ['delete', 'get', 'list', 'watch']),
      res([''], ['bindings', 'pods/binding'], ['create']),
      res([''], ['pods/status'], ['patch', 'update']),
      res([''], ['replicationcontrollers', 'services'], READ),
      res(['apps', 'extensions'], ['replicasets'], READ),
      res(['apps'], ['statefulsets'], READ),
      res(['policy'], ['poddisruptionbudgets'], READ),
      res([''], ['persistentvolumeclaims', 'persistentvolumes'], READ),
      res(['authentication.k8s.io'], ['tokenreviews'], ['create']),
      res(['authorization.k8s.io'], ['subjectaccessreviews'], ['create']),
      res(['storage.k8s.io'], ['csinodes'], READ),
      res([''], ['namespaces'], READ),
      res(['storage.k8s.io'], ['csidrivers'], READ),
      res(['storage.k8s.io'], ['csistoragecapacities'], READ),
    ]),
    role('system:kubelet-api-admin', [res([''], ['nodes'], READ), res([''], ['nodes'], ['proxy']), res([''], ['nodes/log', 'nodes/metrics', 'nodes/proxy', 'nodes/stats'], ['*'])]),
    role('system:monitoring', [urls(['/healthz', '/healthz/*', '/livez', '/livez/*', '/metrics', '/metrics/slis', '/readyz', '/readyz/*'], ['get'])]),
    role('system:node', [
      res(['authentication.k8s.io'], ['tokenreviews'], ['create']),
      res(['authorization.k8s.io'], ['localsubjectaccessreviews', 'subjectaccessreviews'], ['create']),
      res([''], ['services'], READ),
      res([''], ['nodes'], ['create', 'get', 'list', 'watch']),
      res([''], ['nodes/status'], ['patch', 'update']),
      res([''], ['nodes'], ['patch', 'update']),
      res([''], ['events'], ['create', 'patch', 'update']),
      res([''], ['pods'], READ),
      res([''], ['pods'], ['create', 'delete']),
      res([''], ['pods/status'], ['patch', 'update']),
      res([''], ['pods/eviction'], ['create']),
      res([''], ['configmaps', 'secrets'], READ),
      res([''], ['persistentvolumeclaims', 'persistentvolumes'], ['get']),
      res([''], ['endpoints'], ['get']),
      res(['certificates.k8s.io'], ['certificatesigningrequests'], ['create', 'get', 'list', 'watch']),
      res(['coordination.k8s.io'], ['leases'], ['create', 'delete', 'get', 'patch', 'update']),
      res(['storage.k8s.io'], ['volumeattachments'], ['get']),
      res([''], ['serviceaccounts/token'], ['create']),
      res([''], ['persistentvolumeclaims/status'], ['get', 'patch', 'update']),
      res(['storage.k8s.io'], ['csidrivers'], READ),
      res(['storage.k8s.io'], ['csinodes'], ['create', 'delete', 'get', 'patch', 'update']),
      res(['node.k8s.io'], ['runtimeclasses'], READ),
    ]),
    role('system:node-bootstrapper', [res(['certificates.k8s.io'], ['certificatesigningrequests'], ['create', 'get', 'list', 'watch'])]),
    role('system:node-problem-detector', [res([''], ['nodes'], ['get']), res([''], ['nodes/status'], ['patch']), EVENTS_WRITE]),
    role('system:node-proxier', [
      res([''], ['endpoints', 'services'], ['list', 'watch']),
      res([''], ['nodes'], READ),
      EVENTS_WRITE,
      res(['discovery.k8s.io'], ['endpointslices'], ['list', 'watch']),
    ]),
    role('system:persistent-volume-provisioner', [
      res([''], ['persistentvolumes'], ['create', 'delete', 'get', 'list', 'watch']),
      res([''], ['persistentvolumeclaims'], ['get', 'list', 'update', 'watch']),
      res(['storage.k8s.io'], ['storageclasses'], READ),
      res([''], ['events'], ['watch']),
      EVENTS_WRITE,
    ]),
    role('system:public-info-viewer', [urls(['/healthz', '/livez', '/readyz', '/version', '/version/'], ['get'])]),
    role('system:service-account-issuer-discovery', [urls(['/.well-known/openid-configuration', '/openid/v1/jwks'], ['get'])]),
    role('system:volume-scheduler', [
      res([''], ['persistentvolumes'], ['get', 'list', 'patch', 'update', 'watch']),
      res(['storage.k8s.io'], ['storageclasses'], READ),
      res([''], ['persistentvolumeclaims'], ['get', 'list', 'patch', 'update', 'watch']),
    ]),
    aggregated('view', 'rbac.authorization.k8s.io/aggregate-to-view', TO_EDIT),
  ];
}

type BootstrapSubject = { kind: 'Group' | 'User'; name: string } | { kind: 'ServiceAccount'; name: string; namespace: string };

const binding = (name: string, roleName: string, subjects: BootstrapSubject[]) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: meta(name),
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
  subjects: subjects.map((s) => (s.kind === 'ServiceAccount' ? { kind: s.kind, name: s.name, namespace: s.namespace } : { apiGroup: 'rbac.authorization.k8s.io', kind: s.kind, name: s.name })),
});

export function bootstrapClusterRoleBindings(): any[] {
  return [
    binding('cluster-admin', 'cluster-admin', [{ kind: 'Group', name: 'system:masters' }]),
    binding('system:basic-user', 'system:basic-user', [{ kind: 'Group', name: 'system:authenticated' }]),
    binding('system:discovery', 'system:discovery', [{ kind: 'Group', name: 'system:authenticated' }]),
    binding('system:kube-controller-manager', 'system:kube-controller-manager', [{ kind: 'User', name: 'system:kube-controller-manager' }]),
    binding('system:kube-dns', 'system:kube-dns', [{ kind: 'ServiceAccount', name: 'kube-dns', namespace: 'kube-system' }]),
    binding('system:kube-scheduler', 'system:kube-scheduler', [{ kind: 'User', name: 'system:kube-scheduler' }]),
    binding('system:monitoring', 'system:monitoring', [{ kind: 'Group', name: 'system:monitoring' }]),
    binding('system:node-proxier', 'system:node-proxier', [{ kind: 'User', name: 'system:kube-proxy' }]),
    binding('system:public-info-viewer', 'system:public-info-viewer', [
      { kind: 'Group', name: 'system:authenticated' },
      { kind: 'Group', name: 'system:unauthenticated' },
    ]),
    binding('system:service-account-issuer-discovery', 'system:service-account-issuer-discovery', [{ kind: 'Group', name: 'system:serviceaccounts' }]),
    binding('system:volume-scheduler', 'system:volume-scheduler', [{ kind: 'User', name: 'system:kube-scheduler' }]),
  ];
}
