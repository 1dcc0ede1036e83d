// Least-privilege RBAC for the JobManager service account (the TaskManagers share it).
// From what the JobManager calls (reference §5.5 / Fabric8FlinkKubeClient,
// KubernetesResourceManagerDriver, Kubernetes HA services) and the flink-kubernetes-operator
// Helm "job role" (pods + configmaps get/list/watch/create/update/patch/delete; apps deployments),
// narrowed to what the JobManager calls.
import type { V1Role, V1RoleBinding, V1ServiceAccount } from '@kubernetes/client-node';
import type { ClusterSpec } from './cluster-spec-schema';
import { buildFlinkConfig } from './flink-config';

export const FLINK_SERVICE_ACCOUNT = 'flink';

export interface RequiredPermission {
  verb: string;
  group: string;
  resource: string;
}

const POD_VERBS = ['get', 'list', 'watch', 'create', 'delete'];
// deletecollection: 1.x HA cleanup deletes ConfigMaps by label selector (≤ 1.18; kept for safety).
const CONFIGMAP_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
const DEPLOYMENT_VERBS = ['get', 'delete'];

export function buildFlinkServiceAccountObjects(namespace: string): [V1ServiceAccount, V1Role, V1RoleBinding] {
  const labels = { 'app.kubernetes.io/managed-by': 'flink-native-dashboard' };
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: FLINK_SERVICE_ACCOUNT, namespace, labels } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: FLINK_SERVICE_ACCOUNT, namespace, labels },
      rules: [
        { apiGroups: [''], resources: ['pods'], verbs: POD_VERBS },
        { apiGroups: [''], resources: ['configmaps'], verbs: CONFIGMAP_VERBS },
        { apiGroups: ['apps'], resources: ['deployments'], verbs: DEPLOYMENT_VERBS },
        // No deployments/finalizers: only the OwnerReferencesPermissionEnforcement admission plugin
        // (OpenShift enables it; kube-apiserver does not by default) asks for it when the JobManager sets
        // blockOwnerDeletion on TaskManager pods. Granting it would keep a namespace `admin` (which
        // lacks it) from provisioning this Role, since Kubernetes refuses RBAC escalation.
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: FLINK_SERVICE_ACCOUNT, namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: FLINK_SERVICE_ACCOUNT },
      subjects: [{ kind: 'ServiceAccount', name: FLINK_SERVICE_ACCOUNT, namespace }],
    },
  ];
}

/**
 * What the JobManager's service account must be allowed, for SubjectAccessReviews against a
 * user-named account: TaskManager pods always; the Deployment (uid for TaskManager owner
 * references, delete on application finish); ConfigMaps only with Kubernetes HA; Services
 * only with host networking.
 */
export function requiredFlinkPermissions(spec: ClusterSpec): RequiredPermission[] {
  const permissions: RequiredPermission[] = [];
  for (const verb of POD_VERBS) permissions.push({ verb, group: '', resource: 'pods' });
  for (const verb of DEPLOYMENT_VERBS) permissions.push({ verb, group: 'apps', resource: 'deployments' });
  const config = buildFlinkConfig(spec);
  const ha = (config['high-availability.type'] ?? config['high-availability'] ?? 'NONE').toUpperCase() !== 'NONE';
  if (ha) {
    for (const verb of ['get', 'list', 'watch', 'create', 'update', 'delete']) {
      permissions.push({ verb, group: '', resource: 'configmaps' });
    }
  }
  // With host networking the JobManager patches the Services' target ports
  // (Fabric8FlinkKubeClient.updateServiceTargetPort).
  if ((config['kubernetes.hostnetwork.enabled'] ?? 'false').toLowerCase() === 'true') {
    for (const verb of ['get', 'update']) permissions.push({ verb, group: '', resource: 'services' });
  }
  return permissions;
}
