// Column definitions of kube-apiserver v1.28's table printers (pkg/printers/internalversion/printers.go).
// Descriptions are the Go SwaggerDoc strings: most are read from swagger.json (same comments); the few the
// printers take from older API versions (extensions/v1beta1, rbac/v1beta1) are spelled out here.
import { readSpecJson } from '../openapi/specs-dir';

export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

let definitions: Record<string, any> | undefined;
function doc(definition: string, field: string): string {
  definitions ??= readSpecJson('swagger.json').definitions as Record<string, any>;
  const d = definitions[definition]?.properties?.[field]?.description;
  if (typeof d !== 'string') throw new Error(`no description for ${definition}.${field}`);
  return d;
}

const core = (t: string, f: string) => () => doc(`io.k8s.api.core.v1.${t}`, f);
const meta = (f: string) => () => doc('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', f);
const text = (s: string) => () => s;

type Col = [name: string, type: string, description: () => string, priority?: number, format?: string];

const NAME: Col = ['Name', 'string', meta('name'), 0, 'name'];
const AGE: Col = ['Age', 'string', meta('creationTimestamp')];
const CONTAINERS: Col = ['Containers', 'string', text('Names of each container in the template.'), 1];
const IMAGES: Col = ['Images', 'string', text('Images referenced by each container in the template.'), 1];

// extensions/v1beta1 SwaggerDoc strings, which the v1.28 printers use for deployments and replicasets.
const EXT = {
  deploymentUpdated: 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
  deploymentAvailable: 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
  deploymentSelector: 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.',
  rsReplicas:
    'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller',
  rsStatusReplicas: 'Replicas is the most recently oberved number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller',
  rsReady: 'The number of ready replicas for this replica set.',
  rsSelector:
    'Selector is a label query over pods that should match the replica count. If the selector is empty, it is defaulted to the labels present on the pod template. Label keys and values that must match in order to be controlled by this replica set. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors',
};

// rbac/v1beta1 SwaggerDoc strings used for the bindings' Role column.
const RBAC_V1BETA1 = {
  roleBindingRoleRef: 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.',
  clusterRoleBindingRoleRef: 'RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.',
};

const bindingCols = (what: string, roleRefDoc: string): Col[] => [
  NAME,
  ['Role', 'string', text(roleRefDoc)],
  AGE,
  ['Users', 'string', text(`Users in the ${what}`), 1],
  ['Groups', 'string', text(`Groups in the ${what}`), 1],
  ['ServiceAccounts', 'string', text(`ServiceAccounts in the ${what}`), 1],
];

const EVENT_COLS: Col[] = [
  ['Last Seen', 'string', core('Event', 'lastTimestamp')],
  ['Type', 'string', core('Event', 'type')],
  ['Reason', 'string', core('Event', 'reason')],
  ['Object', 'string', core('Event', 'involvedObject')],
  ['Subobject', 'string', core('ObjectReference', 'fieldPath'), 1],
  ['Source', 'string', core('Event', 'source'), 1],
  ['Message', 'string', core('Event', 'message')],
  ['First Seen', 'string', core('Event', 'firstTimestamp'), 1],
  ['Count', 'string', core('Event', 'count'), 1],
  ['Name', 'string', meta('name'), 1, 'name'],
];

/** Columns per "<group>/<plural>" (core group: "/pods"). */
const COLUMNS: Record<string, Col[]> = {
  '/pods': [
    NAME,
    ['Ready', 'string', text('The aggregate readiness state of this pod for accepting traffic.')],
    ['Status', 'string', text('The aggregate status of the containers in this pod.')],
    ['Restarts', 'string', text('The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.')],
    AGE,
    ['IP', 'string', core('PodStatus', 'podIP'), 1],
    ['Node', 'string', core('PodSpec', 'nodeName'), 1],
    ['Nominated Node', 'string', core('PodStatus', 'nominatedNodeName'), 1],
    ['Readiness Gates', 'string', core('PodSpec', 'readinessGates'), 1],
  ],
  'apps/deployments': [
    NAME,
    ['Ready', 'string', text('Number of the pod with ready state')],
    ['Up-to-date', 'string', text(EXT.deploymentUpdated)],
    ['Available', 'string', text(EXT.deploymentAvailable)],
    AGE,
    CONTAINERS,
    IMAGES,
    ['Selector', 'string', text(EXT.deploymentSelector), 1],
  ],
  'apps/replicasets': [
    NAME,
    ['Desired', 'integer', text(EXT.rsReplicas)],
    ['Current', 'integer', text(EXT.rsStatusReplicas)],
    ['Ready', 'integer', text(EXT.rsReady)],
    AGE,
    CONTAINERS,
    IMAGES,
    ['Selector', 'string', text(EXT.rsSelector), 1],
  ],
  '/services': [
    NAME,
    ['Type', 'string', core('ServiceSpec', 'type')],
    ['Cluster-IP', 'string', core('ServiceSpec', 'clusterIP')],
    ['External-IP', 'string', core('ServiceSpec', 'externalIPs')],
    ['Port(s)', 'string', core('ServiceSpec', 'ports')],
    AGE,
    ['Selector', 'string', core('ServiceSpec', 'selector'), 1],
  ],
  '/endpoints': [NAME, ['Endpoints', 'string', core('Endpoints', 'subsets')], AGE],
  '/nodes': [
    NAME,
    ['Status', 'string', text('The status of the node')],
    ['Roles', 'string', text('The roles of the node')],
    AGE,
    ['Version', 'string', core('NodeSystemInfo', 'kubeletVersion')],
    ['Internal-IP', 'string', core('NodeStatus', 'addresses'), 1],
    ['External-IP', 'string', core('NodeStatus', 'addresses'), 1],
    ['OS-Image', 'string', core('NodeSystemInfo', 'osImage'), 1],
    ['Kernel-Version', 'string', core('NodeSystemInfo', 'kernelVersion'), 1],
    ['Container-Runtime', 'string', core('NodeSystemInfo', 'containerRuntimeVersion'), 1],
  ],
  '/events': EVENT_COLS,
  'events.k8s.io/events': EVENT_COLS,
  '/namespaces': [NAME, ['Status', 'string', text('The status of the namespace')], AGE],
  '/secrets': [NAME, ['Type', 'string', core('Secret', 'type')], ['Data', 'string', core('Secret', 'data')], AGE],
  '/serviceaccounts': [NAME, ['Secrets', 'string', core('ServiceAccount', 'secrets')], AGE],
  '/configmaps': [NAME, ['Data', 'string', core('ConfigMap', 'data')], AGE],
  'rbac.authorization.k8s.io/rolebindings': bindingCols('roleBinding', RBAC_V1BETA1.roleBindingRoleRef),
  'rbac.authorization.k8s.io/clusterrolebindings': bindingCols('clusterRoleBinding', RBAC_V1BETA1.clusterRoleBindingRoleRef),
  'coordination.k8s.io/leases': [NAME, ['Holder', 'string', () => doc('io.k8s.api.coordination.v1.LeaseSpec', 'holderIdentity')], AGE],
  'discovery.k8s.io/endpointslices': [
    NAME,
    ['AddressType', 'string', () => doc('io.k8s.api.discovery.v1.EndpointSlice', 'addressType')],
    ['Ports', 'string', () => doc('io.k8s.api.discovery.v1.EndpointSlice', 'ports')],
    ['Endpoints', 'string', () => doc('io.k8s.api.discovery.v1.EndpointSlice', 'endpoints')],
    AGE,
  ],
};

/** rest.defaultTableConvertor: every resource without a printer. */
const DEFAULT_COLS: Col[] = [NAME, ['Created At', 'date', meta('creationTimestamp')]];

const built = new Map<string, ColumnDefinition[]>();

export function hasPrinter(group: string, plural: string): boolean {
  return `${group}/${plural}` in COLUMNS;
}

export function columnsFor(group: string, plural: string): ColumnDefinition[] {
  const key = `${group}/${plural}`;
  let cols = built.get(key);
  if (!cols) {
    cols = (COLUMNS[key] ?? DEFAULT_COLS).map(([name, type, description, priority = 0, format = '']) => ({ name, type, format, description: description(), priority }));
    built.set(key, cols);
  }
  return cols;
}
