import { describe, expect, it } from 'vitest';
import {
  aggregateClusterRoles,
  authorize,
  bootstrapPolicy,
  checkEscalation,
  forbiddenStatus,
  rbacObjectsFrom,
  subjectAccessReviewStatus,
  selfSubjectAccessReviewStatus,
  type RequestAttributes,
  type UserInfo,
} from './index';
import { readSpecJson } from '../openapi/specs-dir';
import { validateAgainstOpenApi } from '../openapi/validate';

const alice: UserInfo = { username: 'alice', groups: ['system:authenticated'] };
const sa = (ns: string, name: string): UserInfo => ({
  username: `system:serviceaccount:${ns}:${name}`,
  groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'],
});

const clusterRole = (name: string, rules: any[], labels?: Record<string, string>) => ({ kind: 'ClusterRole', metadata: { name, labels }, rules });
const role = (ns: string, name: string, rules: any[]) => ({ kind: 'Role', metadata: { name, namespace: ns }, rules });
const crb = (name: string, roleName: string, subjects: any[]) => ({ kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName }, subjects });
const rb = (ns: string, name: string, kind: 'Role' | 'ClusterRole', roleName: string, subjects: any[]) => ({
  kind: 'RoleBinding',
  metadata: { name, namespace: ns },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name: roleName },
  subjects,
});

const res = (user: UserInfo, verb: string, apiGroup: string, resource: string, namespace = '', name = '', subresource = ''): RequestAttributes => ({
  user,
  verb,
  resourceRequest: true,
  apiGroup,
  resource,
  namespace,
  name,
  subresource,
});

describe('authorize', () => {
  const objs = rbacObjectsFrom([
    ...bootstrapPolicy(),
    role('team', 'pod-reader', [{ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list'] }]),
    role('team', 'named-cm', [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['cfg'], verbs: ['get', 'update'] }]),
    role('team', 'any-status', [{ apiGroups: ['*'], resources: ['*/status'], verbs: ['patch'] }]),
    role('team', 'all-apps', [{ apiGroups: ['apps'], resources: ['*'], verbs: ['*'] }]),
    rb('team', 'alice-pods', 'Role', 'pod-reader', [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' }]),
    rb('team', 'alice-cm', 'Role', 'named-cm', [{ kind: 'User', name: 'alice' }]),
    rb('team', 'devs-status', 'Role', 'any-status', [{ kind: 'Group', name: 'devs' }]),
    rb('team', 'sa-apps', 'Role', 'all-apps', [{ kind: 'ServiceAccount', name: 'deployer' }]),
    rb('team', 'sa-other-ns', 'Role', 'pod-reader', [{ kind: 'ServiceAccount', name: 'robot', namespace: 'other' }]),
    rb('team', 'view-in-team', 'ClusterRole', 'view', [{ kind: 'User', name: 'viewer' }]),
    clusterRole('metrics', [{ nonResourceURLs: ['/metrics', '/logs/*'], verbs: ['get'] }]),
    crb('metrics', 'metrics', [{ kind: 'User', name: 'scraper' }]),
    rb('team', 'dangling', 'Role', 'missing', [{ kind: 'User', name: 'ghost' }]),
  ]);
  const cases: [string, RequestAttributes, boolean][] = [
    ['role grants get pods', res(alice, 'get', '', 'pods', 'team', 'p1'), true],
    ['not in another namespace', res(alice, 'get', '', 'pods', 'prod', 'p1'), false],
    ['verb not granted', res(alice, 'delete', '', 'pods', 'team', 'p1'), false],
    ['subresource listed', res(alice, 'get', '', 'pods', 'team', 'p1', 'log'), true],
    ['subresource not listed', res(alice, 'get', '', 'pods', 'team', 'p1', 'exec'), false],
    ['resourceNames match', res(alice, 'update', '', 'configmaps', 'team', 'cfg'), true],
    ['resourceNames mismatch', res(alice, 'update', '', 'configmaps', 'team', 'other'), false],
    ['resourceNames rule never matches a list', res(alice, 'get', '', 'configmaps', 'team', ''), false],
    ['*/status for any group', res({ username: 'd', groups: ['devs'] }, 'patch', 'apps', 'deployments', 'team', 'x', 'status'), true],
    ['*/status does not grant the resource', res({ username: 'd', groups: ['devs'] }, 'patch', 'apps', 'deployments', 'team', 'x'), false],
    ['SA subject defaults to binding namespace', res(sa('team', 'deployer'), 'delete', 'apps', 'deployments', 'team', 'x'), true],
    ['wildcard resources do not cross groups', res(sa('team', 'deployer'), 'delete', '', 'pods', 'team', 'x'), false],
    ['SA of another namespace', res(sa('team', 'robot'), 'get', '', 'pods', 'team'), false],
    ['SA subject with explicit namespace', res(sa('other', 'robot'), 'list', '', 'pods', 'team'), true],
    ['RoleBinding to ClusterRole view', res({ username: 'viewer', groups: [] }, 'list', 'apps', 'deployments', 'team'), true],
    ['view has no secrets', res({ username: 'viewer', groups: [] }, 'get', '', 'secrets', 'team', 's'), false],
    ['RoleBinding does not grant cluster scope', res({ username: 'viewer', groups: [] }, 'list', 'apps', 'deployments'), false],
    ['system:masters everything', res({ username: 'root', groups: ['system:masters'] }, 'delete', '', 'nodes', '', 'n1'), true],
    ['non-resource exact', { user: { username: 'scraper', groups: [] }, verb: 'get', resourceRequest: false, path: '/metrics' }, true],
    ['non-resource prefix', { user: { username: 'scraper', groups: [] }, verb: 'get', resourceRequest: false, path: '/logs/kube.log' }, true],
    ['non-resource no prefix', { user: { username: 'scraper', groups: [] }, verb: 'get', resourceRequest: false, path: '/metricsx' }, false],
    ['discovery for authenticated', { user: alice, verb: 'get', resourceRequest: false, path: '/apis/apps/v1' }, true],
    ['public info for unauthenticated', { user: { username: 'system:anonymous', groups: ['system:unauthenticated'] }, verb: 'get', resourceRequest: false, path: '/version' }, true],
    ['no discovery for unauthenticated', { user: { username: 'system:anonymous', groups: ['system:unauthenticated'] }, verb: 'get', resourceRequest: false, path: '/api' }, false],
  ];
  for (const [name, attrs, allowed] of cases) {
    it(name, () => expect(authorize(objs, attrs).allowed).toBe(allowed));
  }

  it('gives the reason of the first matching binding', () => {
    expect(authorize(objs, res(alice, 'get', '', 'pods', 'team', 'p1')).reason).toBe('RBAC: allowed by RoleBinding "alice-pods/team" of Role "pod-reader" to User "alice"');
    expect(authorize(objs, res(sa('team', 'deployer'), 'get', 'apps', 'deployments', 'team')).reason).toBe(
      'RBAC: allowed by RoleBinding "sa-apps/team" of Role "all-apps" to ServiceAccount "deployer/team"',
    );
    expect(authorize(objs, res({ username: 'root', groups: ['system:masters'] }, 'get', '', 'pods')).reason).toBe('');
  });

  it('reports missing roles as the no-opinion reason', () => {
    expect(authorize(objs, res({ username: 'ghost', groups: [] }, 'get', '', 'pods', 'team'))).toEqual({
      allowed: false,
      reason: 'RBAC: role.rbac.authorization.k8s.io "missing" not found',
    });
  });
});

describe('forbiddenStatus', () => {
  const bob: UserInfo = { username: 'bob', groups: ['system:authenticated'] };
  it('matches the captured impersonated delete', () => {
    const cap = readSpecJson('captured/error-forbidden-impersonated.json').body;
    expect(forbiddenStatus(res(bob, 'delete', 'apps', 'deployments', 'cap', 'web'))).toEqual(cap);
  });
  it('words cluster scope, subresources, non-resource paths, service accounts and impersonation', () => {
    expect(forbiddenStatus(res(bob, 'list', '', 'nodes')).message).toBe('nodes is forbidden: User "bob" cannot list resource "nodes" in API group "" at the cluster scope');
    const proxy = forbiddenStatus(res(bob, 'create', '', 'pods', 'ns', 'p', 'proxy'));
    expect(proxy.message).toBe('pods "p" is forbidden: User "bob" cannot create resource "pods/proxy" in API group "" in the namespace "ns"');
    expect(proxy.details).toEqual({ name: 'p', kind: 'pods' });
    const path = forbiddenStatus({ user: bob, verb: 'get', resourceRequest: false, path: '/foo' });
    expect(path.message).toBe('forbidden: User "bob" cannot get path "/foo"');
    expect(path.details).toEqual({});
    expect(forbiddenStatus(res(sa('ns', 'default'), 'list', '', 'secrets', 'ns')).message).toBe(
      'secrets is forbidden: User "system:serviceaccount:ns:default" cannot list resource "secrets" in API group "" in the namespace "ns"',
    );
    expect(forbiddenStatus(res({ username: 'x', groups: [] }, 'impersonate', '', 'users', '', 'bob')).message).toBe(
      'users "bob" is forbidden: User "x" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
    expect(forbiddenStatus(res(bob, 'get', '', 'pods', 'ns', 'p'), 'RBAC: role.rbac.authorization.k8s.io "r" not found').message).toBe(
      'pods "p" is forbidden: User "bob" cannot get resource "pods" in API group "" in the namespace "ns": RBAC: role.rbac.authorization.k8s.io "r" not found',
    );
  });
});

describe('checkEscalation', () => {
  const base = [
    ...bootstrapPolicy(),
    role('ns', 'pod-admin', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'create'] }]),
    rb('ns', 'alice-pods', 'Role', 'pod-admin', [{ kind: 'User', name: 'alice' }]),
    clusterRole('rbac-writer', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: ['create', 'update'] }]),
    rb('ns', 'alice-rbac', 'ClusterRole', 'rbac-writer', [{ kind: 'User', name: 'alice' }]),
  ];
  const newRole = (rules: any[]) => ({ kind: 'Role', metadata: { name: 'r', namespace: 'ns' }, rules });

  it('allows roles within the held rules', () => {
    expect(checkEscalation(rbacObjectsFrom(base), alice, 'Role', newRole([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'create'] }]), 'ns')).toBeUndefined();
  });

  it('denies rules not held, with the real wording', () => {
    const s = checkEscalation(
      rbacObjectsFrom(base),
      alice,
      'Role',
      newRole([
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'delete'] },
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['create', 'list'] },
      ]),
      'ns',
    );
    expect(s?.code).toBe(403);
    expect(s?.reason).toBe('Forbidden');
    expect(s?.details).toEqual({ name: 'r', group: 'rbac.authorization.k8s.io', kind: 'roles' });
    expect(s?.message).toBe(
      'roles.rbac.authorization.k8s.io "r" is forbidden: user "alice" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n' +
        '{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}\n' +
        '{APIGroups:["apps"], Resources:["deployments"], Verbs:["create" "list"]}',
    );
  });

  it('allows with escalate', () => {
    const objs = rbacObjectsFrom([
      ...base,
      clusterRole('escalator', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['escalate'] }]),
      rb('ns', 'alice-esc', 'ClusterRole', 'escalator', [{ kind: 'User', name: 'alice' }]),
    ]);
    expect(checkEscalation(objs, alice, 'Role', newRole([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]), 'ns')).toBeUndefined();
  });

  it('escalate limited by resourceNames applies to updates of that role only', () => {
    const objs = rbacObjectsFrom([
      ...base,
      clusterRole('escalate-r', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], resourceNames: ['r'], verbs: ['escalate'] }]),
      rb('ns', 'alice-esc-r', 'ClusterRole', 'escalate-r', [{ kind: 'User', name: 'alice' }]),
    ]);
    const wide = newRole([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]);
    expect(checkEscalation(objs, alice, 'Role', wide, 'ns')?.code).toBe(403);
    expect(checkEscalation(objs, alice, 'Role', { ...wide, metadata: { ...wide.metadata, resourceVersion: '7' } }, 'ns')).toBeUndefined();
  });

  it('needs full authority for an aggregationRule', () => {
    const s = checkEscalation(rbacObjectsFrom(base), alice, 'ClusterRole', { kind: 'ClusterRole', metadata: { name: 'agg' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'b' } }] }, rules: [] });
    expect(s?.message).toBe('clusterroles.rbac.authorization.k8s.io "agg" is forbidden: must have cluster-admin privileges to use the aggregationRule');
  });

  it('denies binding a role with more rights, allows with bind', () => {
    const binding = rb('ns', 'give-edit', 'ClusterRole', 'edit', [{ kind: 'User', name: 'carol' }]);
    const s = checkEscalation(rbacObjectsFrom(base), alice, 'RoleBinding', binding, 'ns');
    expect(s?.code).toBe(403);
    expect(s?.message).toContain('rolebindings.rbac.authorization.k8s.io "give-edit" is forbidden: user "alice" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["bindings"], Verbs:["get" "list" "watch"]}\n');
    expect(s?.message).toContain('\n{APIGroups:[""], Resources:["configmaps"], Verbs:["create" "delete" "deletecollection" "patch" "update" "get" "list" "watch"]}\n');
    const withBind = rbacObjectsFrom([
      ...base,
      clusterRole('binder', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], resourceNames: ['edit'], verbs: ['bind'] }]),
      rb('ns', 'alice-bind', 'ClusterRole', 'binder', [{ kind: 'User', name: 'alice' }]),
    ]);
    expect(checkEscalation(withBind, alice, 'RoleBinding', binding, 'ns')).toBeUndefined();
    // bind on edit does not extend to admin
    expect(checkEscalation(withBind, alice, 'RoleBinding', rb('ns', 'give-admin', 'ClusterRole', 'admin', []), 'ns')?.code).toBe(403);
  });

  it('allows binding a role whose rules are held; 404 for a missing role', () => {
    expect(checkEscalation(rbacObjectsFrom(base), alice, 'RoleBinding', rb('ns', 'b', 'Role', 'pod-admin', [{ kind: 'User', name: 'dave' }]), 'ns')).toBeUndefined();
    const s = checkEscalation(rbacObjectsFrom(base), alice, 'RoleBinding', rb('ns', 'b', 'Role', 'nope', []), 'ns');
    expect(s).toMatchObject({ code: 404, reason: 'NotFound', message: 'roles.rbac.authorization.k8s.io "nope" not found', details: { name: 'nope', group: 'rbac.authorization.k8s.io', kind: 'roles' } });
  });

  it('lets system:masters do anything', () => {
    expect(checkEscalation(rbacObjectsFrom([]), { username: 'admin', groups: ['system:masters'] }, 'ClusterRole', clusterRole('x', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]))).toBeUndefined();
  });
});

describe('bootstrap policy and aggregation', () => {
  const policy = bootstrapPolicy();
  const get = (n: string) => policy.find((o) => o.kind === 'ClusterRole' && o.metadata.name === n);
  const objs = rbacObjectsFrom(policy);
  const can = (roleName: string, verb: string, group: string, resource: string, sub = '') =>
    authorize(rbacObjectsFrom([get(roleName), crb('t', roleName, [{ kind: 'User', name: 'u' }])]), res({ username: 'u', groups: [] }, verb, group, resource, 'ns', '', sub)).allowed;

  it('objects are valid v1.28 objects', () => {
    expect(policy.filter((o) => o.kind === 'ClusterRole')).toHaveLength(31);
    for (const o of policy) expect(validateAgainstOpenApi(o)).toEqual([]);
  });

  it('labels and annotations', () => {
    for (const o of policy) {
      expect(o.metadata.labels['kubernetes.io/bootstrapping']).toBe('rbac-defaults');
      expect(o.metadata.annotations['rbac.authorization.kubernetes.io/autoupdate']).toBe('true');
    }
    expect(get('edit').metadata.labels['rbac.authorization.k8s.io/aggregate-to-admin']).toBe('true');
    expect(get('view').metadata.labels['rbac.authorization.k8s.io/aggregate-to-edit']).toBe('true');
    expect(get('admin').aggregationRule.clusterRoleSelectors[0].matchLabels).toEqual({ 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' });
  });

  it('admin, edit and view get their aggregated rules', () => {
    expect(can('view', 'list', '', 'pods')).toBe(true);
    expect(can('view', 'get', '', 'secrets')).toBe(false);
    expect(can('view', 'get', '', 'pods', 'log')).toBe(true);
    expect(can('edit', 'create', 'apps', 'deployments')).toBe(true);
    expect(can('edit', 'get', '', 'secrets')).toBe(true);
    expect(can('edit', 'list', '', 'pods')).toBe(true);
    expect(can('edit', 'create', 'rbac.authorization.k8s.io', 'roles')).toBe(false);
    expect(can('admin', 'create', 'rbac.authorization.k8s.io', 'rolebindings')).toBe(true);
    expect(can('admin', 'patch', 'coordination.k8s.io', 'leases')).toBe(true);
  });

  it('bindings', () => {
    const b = (n: string) => policy.find((o) => o.kind === 'ClusterRoleBinding' && o.metadata.name === n);
    expect(b('cluster-admin').subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' }]);
    expect(b('system:public-info-viewer').subjects.map((s: any) => s.name)).toEqual(['system:authenticated', 'system:unauthenticated']);
    expect(b('system:basic-user').roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:basic-user' });
    expect(authorize(objs, res(alice, 'create', 'authorization.k8s.io', 'selfsubjectaccessreviews')).allowed).toBe(true);
  });

  it('re-aggregates when a labelled role appears and returns only changed roles', () => {
    const extra = clusterRole('flink-view', [{ apiGroups: ['flink.apache.org'], resources: ['flinkdeployments'], verbs: ['get'] }], { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' });
    const changed = aggregateClusterRoles([...policy.filter((o) => o.kind === 'ClusterRole'), extra]);
    expect(changed.map((r) => r.metadata.name).sort()).toEqual(['admin', 'edit', 'view']);
    for (const r of changed) expect(r.rules).toContainEqual(extra.rules[0]);
    expect(aggregateClusterRoles(policy.filter((o) => o.kind === 'ClusterRole'))).toEqual([]);
  });

  it('supports matchExpressions selectors', () => {
    const agg = { kind: 'ClusterRole', metadata: { name: 'agg' }, aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['a'] }] }] }, rules: [] };
    const changed = aggregateClusterRoles([agg, clusterRole('a1', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }], { tier: 'a' }), clusterRole('b1', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }], { tier: 'b' })]);
    expect(changed).toHaveLength(1);
    expect(changed[0].rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]);
  });
});

describe('access reviews', () => {
  it('SubjectAccessReview for a ServiceAccount without rights matches the capture', () => {
    const cap = readSpecJson('captured/subjectaccessreview-serviceaccount-denied.json');
    expect(subjectAccessReviewStatus(rbacObjectsFrom(bootstrapPolicy()), cap.request.body.spec)).toEqual(cap.body.status);
  });
  it('SelfSubjectAccessReview of an admin matches the capture', () => {
    const cap = readSpecJson('captured/selfsubjectaccessreview-allowed.json');
    expect(selfSubjectAccessReviewStatus(rbacObjectsFrom(bootstrapPolicy()), { username: 'admin', groups: ['system:masters', 'system:authenticated'] }, cap.request.body.spec)).toEqual(cap.body.status);
  });
  it('allowed by RBAC carries the reason', () => {
    const objs = rbacObjectsFrom([...bootstrapPolicy(), rb('cap', 'sa-edit', 'ClusterRole', 'edit', [{ kind: 'ServiceAccount', name: 'default', namespace: 'cap' }])]);
    expect(
      subjectAccessReviewStatus(objs, { user: 'system:serviceaccount:cap:default', groups: ['system:serviceaccounts'], resourceAttributes: { namespace: 'cap', verb: 'create', resource: 'pods' } }),
    ).toEqual({ allowed: true, reason: 'RBAC: allowed by RoleBinding "sa-edit/cap" of ClusterRole "edit" to ServiceAccount "default/cap"' });
    expect(subjectAccessReviewStatus(objs, { user: 'x', groups: ['system:authenticated'], nonResourceAttributes: { path: '/healthz', verb: 'get' } })).toMatchObject({ allowed: true });
  });
});
