// Fabric8FlinkKubeClient.setOwnerReference: exactly one ownerReference to the JobManager
// Deployment, replacing any the object had, so deleting the Deployment garbage-collects it.
import type { V1ObjectMeta, V1OwnerReference } from '@kubernetes/client-node';

export function buildDeploymentOwnerReference(clusterId: string, deploymentUid: string): V1OwnerReference {
  return { apiVersion: 'apps/v1', kind: 'Deployment', name: clusterId, uid: deploymentUid, controller: true, blockOwnerDeletion: true };
}

export function withOwnerReference<T extends { metadata?: V1ObjectMeta }>(
  object: T,
  deploymentUid: string,
  clusterId: string = (object.metadata?.labels?.app as string | undefined) ?? '',
): T {
  return {
    ...object,
    metadata: { ...(object.metadata ?? {}), ownerReferences: [buildDeploymentOwnerReference(clusterId, deploymentUid)] },
  };
}
