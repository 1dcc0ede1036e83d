// Fabric8FlinkKubeClient.setOwnerReference: exactly one ownerReference to the JobManager
// Deployment, replacing any the object had, so deleting the Deployment garbage-collects it.
import type { V1Deployment, V1ObjectMeta, V1OwnerReference } from '@kubernetes/client-node';

export function buildDeploymentOwnerReference(clusterId: string, deploymentUid: string): V1OwnerReference {
  return { apiVersion: 'apps/v1', kind: 'Deployment', name: clusterId, uid: deploymentUid, controller: true, blockOwnerDeletion: true };
}

/**
 * Returns a copy of `object` owned by the JobManager Deployment. Pass the created Deployment (its
 * name and uid are used) or just its uid; the name then comes from the object's `app` label,
 * which every dependent carries (KubernetesUtils.getCommonLabels).
 */
export function withOwnerReference<T extends { metadata?: V1ObjectMeta }>(object: T, deployment: string | V1Deployment): T {
  const uid = typeof deployment === 'string' ? deployment : (deployment.metadata?.uid ?? '');
  const name =
    typeof deployment === 'string' ? ((object.metadata?.labels?.app as string | undefined) ?? '') : (deployment.metadata?.name ?? '');
  return {
    ...object,
    metadata: { ...(object.metadata ?? {}), ownerReferences: [buildDeploymentOwnerReference(name, uid)] },
  };
}
