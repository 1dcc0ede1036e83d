import { describe, expect, it } from 'vitest';
import { clusterSpecSchema } from './cluster-spec-schema';
import { validateK8sObject } from './fixtures/validate-k8s-object';
import { buildFlinkServiceAccountObjects, requiredFlinkPermissions } from './rbac';

describe('buildFlinkServiceAccountObjects', () => {
  const [sa, role, binding] = buildFlinkServiceAccountObjects('team-a');
  it('creates ServiceAccount, Role and RoleBinding named flink in the namespace', () => {
    expect([sa, role, binding].map((o) => `${o.kind}/${o.metadata?.namespace}/${o.metadata?.name}`)).toEqual([
      'ServiceAccount/team-a/flink',
      'Role/team-a/flink',
      'RoleBinding/team-a/flink',
    ]);
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'flink', namespace: 'team-a' }]);
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'flink' });
  });
  it('grants pods, configmaps and deployments without wildcards', () => {
    const rules = role.rules ?? [];
    expect(rules.flatMap((r) => r.resources)).toEqual(['pods', 'configmaps', 'deployments']);
    expect(rules.flatMap((r) => r.verbs)).not.toContain('*');
    expect(rules.find((r) => r.resources?.includes('pods'))?.verbs).toEqual(expect.arrayContaining(['create', 'delete', 'watch']));
  });
  it('builds objects valid against the Kubernetes OpenAPI', () => {
    for (const o of [sa, role, binding]) expect(validateK8sObject(o)).toEqual([]);
  });
});

describe('requiredFlinkPermissions', () => {
  it('needs configmaps only with HA', () => {
    const plain = requiredFlinkPermissions(clusterSpecSchema.parse({ clusterId: 'a' }));
    expect(plain.some((p) => p.resource === 'configmaps')).toBe(false);
    expect(plain).toContainEqual({ verb: 'create', group: '', resource: 'pods' });
    expect(plain).toContainEqual({ verb: 'get', group: 'apps', resource: 'deployments' });
    const ha = requiredFlinkPermissions(clusterSpecSchema.parse({ clusterId: 'a', ha: { enabled: true, storageDir: 's3://b/ha' } }));
    expect(ha).toContainEqual({ verb: 'update', group: '', resource: 'configmaps' });
  });
});

describe('requiredFlinkPermissions with host networking', () => {
  it('adds services get/update', () => {
    const spec = clusterSpecSchema.parse({ clusterId: 'h', flinkConfig: [{ key: 'kubernetes.hostnetwork.enabled', value: 'true' }] });
    expect(requiredFlinkPermissions(spec)).toContainEqual({ verb: 'update', group: '', resource: 'services' });
  });
});
