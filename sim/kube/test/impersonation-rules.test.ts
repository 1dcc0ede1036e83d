// Impersonation checked by RBAC (the `impersonate` verb on users and groups), access reviews as the
// impersonated user, and SelfSubjectRulesReview (kubectl auth can-i --list), against the 1.28 OpenAPI.
import { execFile } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateAgainstOpenApi } from '../openapi/validate';
import { startTestSim, type TestSim } from './helpers';

const run = promisify(execFile);

/** One request with repeated header lines (fetch would join them): [name, value] pairs. */
function rawRequest(url: string, method: string, headers: [string, string][], body?: unknown): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const flat = [['Host', new URL(url).host] as [string, string], ...headers].flatMap(([k, v]) => [k, v]);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (payload) flat.push('Content-Type', 'application/json');
    const req = httpRequest(url, { method, headers: flat }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const rulesReview = (namespace: string) => ({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace } });

describe('impersonation and SelfSubjectRulesReview', () => {
  let t: TestSim;
  let dashboardToken: string;
  let plainSaToken: string;

  beforeAll(async () => {
    t = await startTestSim();
    for (const ns of ['a', 'b', 'dash']) await t.client.create('/api/v1/namespaces', { metadata: { name: ns } });
    // alice (group team-a) may read pods and deployments in a, and delete deployments there.
    await t.client.create('/apis/rbac.authorization.k8s.io/v1/namespaces/a/roles', {
      metadata: { name: 'flink-viewer' },
      rules: [
        { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch', 'delete'] },
        { apiGroups: [''], resources: ['configmaps'], resourceNames: ['flink-config-x'], verbs: ['get'] },
      ],
    });
    await t.client.create('/apis/rbac.authorization.k8s.io/v1/namespaces/a/rolebindings', {
      metadata: { name: 'team-a' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'flink-viewer' },
      subjects: [{ kind: 'Group', name: 'team-a', apiGroup: 'rbac.authorization.k8s.io' }],
    });
    // The dashboard's ServiceAccount may impersonate users and groups, and nothing else.
    await t.client.create('/apis/rbac.authorization.k8s.io/v1/clusterroles', {
      metadata: { name: 'dash-impersonator' },
      rules: [{ apiGroups: [''], resources: ['users', 'groups'], verbs: ['impersonate'] }],
    });
    await t.client.create('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
      metadata: { name: 'dash-impersonator' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'dash-impersonator' },
      subjects: [{ kind: 'ServiceAccount', name: 'dashboard', namespace: 'dash' }],
    });
    const token = async (name: string) => {
      await t.client.create('/api/v1/namespaces/dash/serviceaccounts', { metadata: { name } });
      const r = await t.raw('POST', `/api/v1/namespaces/dash/serviceaccounts/${name}/token`, {
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } },
      });
      return r.body.status.token as string;
    };
    dashboardToken = await token('dashboard');
    plainSaToken = await token('plain');
  });
  afterAll(async () => {
    await t?.stop();
  });

  const asAlice = (token: string): [string, string][] => [
    ['Authorization', `Bearer ${token}`],
    ['Impersonate-User', 'alice'],
    ['Impersonate-Group', 'team-a'],
    ['Impersonate-Group', 'developers'],
  ];

  it('a ServiceAccount with impersonate on users and groups acts as alice with both groups', async () => {
    const r = await rawRequest(`${t.sim.url}/apis/authorization.k8s.io/v1/selfsubjectaccessreviews`, 'POST', asAlice(dashboardToken), {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { namespace: 'a', verb: 'delete', group: 'apps', resource: 'deployments' } },
    });
    expect(r.status).toBe(201);
    expect(r.body.status.allowed).toBe(true);
    const pods = await rawRequest(`${t.sim.url}/api/v1/namespaces/a/pods`, 'GET', asAlice(dashboardToken));
    expect(pods.status).toBe(200);
    const other = await rawRequest(`${t.sim.url}/api/v1/namespaces/b/pods`, 'GET', asAlice(dashboardToken));
    expect(other.status).toBe(403);
    expect(other.body.message).toBe('pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "b"');
  });

  it('without the impersonate verb: users and then each group are refused in Kubernetes\' words', async () => {
    const user = await rawRequest(`${t.sim.url}/api/v1/namespaces/a/pods`, 'GET', asAlice(plainSaToken));
    expect(user.status).toBe(403);
    expect(user.body.message).toBe(
      'users "alice" is forbidden: User "system:serviceaccount:dash:plain" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
    // May impersonate users only: the group is refused.
    await t.client.create('/apis/rbac.authorization.k8s.io/v1/clusterroles', {
      metadata: { name: 'users-only' },
      rules: [{ apiGroups: [''], resources: ['users'], verbs: ['impersonate'] }],
    });
    await t.client.create('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
      metadata: { name: 'users-only' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'users-only' },
      subjects: [{ kind: 'ServiceAccount', name: 'plain', namespace: 'dash' }],
    });
    const group = await rawRequest(`${t.sim.url}/api/v1/namespaces/a/pods`, 'GET', asAlice(plainSaToken));
    expect(group.status).toBe(403);
    expect(group.body.message).toBe(
      'groups "team-a" is forbidden: User "system:serviceaccount:dash:plain" cannot impersonate resource "groups" in API group "" at the cluster scope',
    );
  });

  it('SelfSubjectRulesReview lists the impersonated user\'s rules in a namespace, valid against the 1.28 OpenAPI', async () => {
    const r = await rawRequest(`${t.sim.url}/apis/authorization.k8s.io/v1/selfsubjectrulesreviews`, 'POST', asAlice(dashboardToken), rulesReview('a'));
    expect(r.status).toBe(201);
    expect(validateAgainstOpenApi(r.body)).toEqual([]);
    expect(r.body).toMatchObject({ kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null }, spec: {} });
    const rules = r.body.status.resourceRules;
    // system:basic-user (to system:authenticated) comes first (a ClusterRoleBinding), then the RoleBinding's rules.
    expect(rules[0]).toEqual({ verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] });
    expect(rules).toContainEqual({ verbs: ['get', 'list', 'watch', 'delete'], apiGroups: ['apps'], resources: ['deployments'] });
    expect(rules).toContainEqual({ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['flink-config-x'] });
    expect(r.body.status.nonResourceRules.length).toBeGreaterThan(0);
    expect(r.body.status.incomplete).toBe(false);
    expect(r.body.status.evaluationError).toBeUndefined();
    // In namespace b alice has no RoleBinding: the cluster-wide rules only.
    const b = await rawRequest(`${t.sim.url}/apis/authorization.k8s.io/v1/selfsubjectrulesreviews`, 'POST', asAlice(dashboardToken), rulesReview('b'));
    expect(b.body.status.resourceRules).not.toContainEqual(expect.objectContaining({ resources: ['deployments'] }));
  });

  it('SelfSubjectRulesReview without a namespace is a 400, and a missing role is an evaluationError', async () => {
    const r = await t.raw('POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', { body: rulesReview('') });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ kind: 'Status', status: 'Failure', message: 'no namespace on request', reason: 'BadRequest', code: 400 });
    await t.client.create('/apis/rbac.authorization.k8s.io/v1/namespaces/b/rolebindings', {
      metadata: { name: 'dangling' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'gone' },
      subjects: [{ kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' }],
    });
    const b = await rawRequest(`${t.sim.url}/apis/authorization.k8s.io/v1/selfsubjectrulesreviews`, 'POST', asAlice(dashboardToken), rulesReview('b'));
    expect(b.status).toBe(201);
    expect(b.body.status).toMatchObject({ incomplete: false, evaluationError: 'role.rbac.authorization.k8s.io "gone" not found' });
    expect(validateAgainstOpenApi(b.body)).toEqual([]);
  });

  it('kubectl auth can-i --list and can-i --as work against the sim', async () => {
    const kubectl = (args: string[]) =>
      run('kubectl', ['--kubeconfig', t.sim.kubeconfigPath, '--cache-dir', path.join(t.dataDir, 'kube-cache'), ...args]).then(
        (r) => r.stdout,
        (e: { stdout?: string; code?: number }) => ({ failed: e.code, stdout: e.stdout ?? '' }),
      );
    const list = await kubectl(['auth', 'can-i', '--list', '-n', 'a', '--as', 'alice', '--as-group', 'team-a']);
    expect(typeof list).toBe('string');
    const lines = (list as string).split('\n');
    expect(lines[0]).toMatch(/^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs/);
    expect(lines.some((l) => /^deployments\.apps\s+\[\]\s+\[\]\s+\[get list watch delete\]/.test(l))).toBe(true);
    expect(lines.some((l) => /^configmaps\s+\[\]\s+\[flink-config-x\]\s+\[get\]/.test(l))).toBe(true);
    expect(await kubectl(['auth', 'can-i', 'delete', 'deployments', '-n', 'a', '--as', 'alice', '--as-group', 'team-a'])).toBe('yes\n');
    expect(await kubectl(['auth', 'can-i', 'delete', 'deployments', '-n', 'dash', '--as', 'alice', '--as-group', 'team-a'])).toEqual({ failed: 1, stdout: 'no\n' });
  });
});
