import { describe, expect, it } from 'vitest';
import { buildClusterObjects } from './build-cluster-objects';
import { clusterSpecSchema } from './cluster-spec-schema';
import { validateK8sObject } from './fixtures/validate-k8s-object';
import { withOwnerReference } from './with-owner-reference';

describe('withOwnerReference', () => {
  it('sets exactly the ownerReference Fabric8FlinkKubeClient sets, replacing others', () => {
    const { dependents } = buildClusterObjects(clusterSpecSchema.parse({ clusterId: 'own' }));
    const configMap = { ...dependents[2]!, metadata: { ...dependents[2]!.metadata, ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'x' }] } };
    const owned = withOwnerReference(configMap, 'uid-123');
    expect(owned.metadata!.ownerReferences).toEqual([
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'own', uid: 'uid-123', controller: true, blockOwnerDeletion: true },
    ]);
    expect(configMap.metadata.ownerReferences).toHaveLength(1);
    expect(configMap.metadata.ownerReferences[0]!.kind).toBe('X');
    for (const d of dependents) expect(validateK8sObject(withOwnerReference(d, 'uid-123'))).toEqual([]);
  });
});

describe('withOwnerReference with the created Deployment', () => {
  it('takes the name and uid from the Deployment the API server returned', () => {
    const { deployment, dependents } = buildClusterObjects(clusterSpecSchema.parse({ clusterId: 'own' }));
    const created = { ...deployment, metadata: { ...deployment.metadata, uid: '7d0c-uid' } };
    expect(withOwnerReference(dependents[0]!, created).metadata!.ownerReferences).toEqual([
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'own', uid: '7d0c-uid', controller: true, blockOwnerDeletion: true },
    ]);
  });
});
