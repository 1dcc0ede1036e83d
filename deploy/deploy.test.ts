import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { startSim, stopProcess } from '@/e2e/support/processes';

// deploy/ (kustomize) against a simulated cluster this file starts: `kubectl apply --dry-run=server -k`
// passes (strict field validation, as kubectl asks by default), and the dashboard's ServiceAccount
// gets only what the README lists.
const dir = import.meta.dirname;
let dataDir: string;
let simProcess: ChildProcess;
let kubeconfig: string;

function kubectl(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile('kubectl', ['--kubeconfig', kubeconfig, ...args], { timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'flink-dash-deploy-'));
  const started = await startSim(path.join(dataDir, 'sim'));
  simProcess = started.child;
  kubeconfig = started.info.kubeconfig;
}, 180_000);

afterAll(async () => {
  await stopProcess(simProcess);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('deploy/', () => {
  it('renders the objects the README names: 2 replicas, probes, a locked-down pod', async () => {
    const { code, stdout, stderr } = await kubectl(['kustomize', dir]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const objects = parseAllDocuments(stdout).map((d) => d.toJS() as { kind: string; metadata: { name: string; namespace?: string }; spec?: Record<string, unknown> });
    expect(objects.map((o) => o.kind).sort()).toEqual(
      ['ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'Deployment', 'Namespace', 'Role', 'RoleBinding', 'Secret', 'Service', 'ServiceAccount'].sort(),
    );
    const deployment = objects.find((o) => o.kind === 'Deployment') as unknown as {
      spec: { replicas: number; template: { spec: { securityContext: Record<string, unknown>; containers: { securityContext: Record<string, unknown>; livenessProbe: { httpGet: { path: string } }; readinessProbe: { httpGet: { path: string } }; volumeMounts: { mountPath: string }[] }[] } } };
    };
    expect(deployment.spec.replicas).toBe(2);
    const pod = deployment.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    const [c] = pod.containers;
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(c.livenessProbe.httpGet.path).toBe('/healthz');
    expect(c.readinessProbe.httpGet.path).toBe('/readyz');
    expect(c.volumeMounts.map((m) => m.mountPath)).toEqual(['/tmp', '/app/.next/cache']);
  });

  it('kubectl apply --dry-run=server -k deploy/ passes once the namespace exists, and creates nothing', async () => {
    // As on a real API server, a dry run cannot create objects inside a namespace it only pretends to
    // create (NamespaceLifecycle answers NotFound): the Namespace is applied first.
    const first = await kubectl(['apply', '--dry-run=server', '-k', dir]);
    expect(first.code).not.toBe(0);
    expect(first.stderr).toContain('namespaces "flink-dashboard" not found');
    expect((await kubectl(['apply', '-f', path.join(dir, 'namespace.yaml')])).code).toBe(0);

    const { code, stdout, stderr } = await kubectl(['apply', '--dry-run=server', '-k', dir]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    for (const line of [
      'serviceaccount/flink-dashboard created (server dry run)',
      'clusterrole.rbac.authorization.k8s.io/flink-dashboard created (server dry run)',
      'clusterrolebinding.rbac.authorization.k8s.io/flink-dashboard created (server dry run)',
      'role.rbac.authorization.k8s.io/flink-dashboard-sign-in created (server dry run)',
      'configmap/flink-dashboard-settings created (server dry run)',
      'secret/flink-dashboard-session created (server dry run)',
      'service/flink-dashboard created (server dry run)',
      'deployment.apps/flink-dashboard created (server dry run)',
    ]) {
      expect(stdout).toContain(line);
    }
    const after = await kubectl(['-n', 'flink-dashboard', 'get', 'deployments,services,configmaps,serviceaccounts', '-o', 'name']);
    expect(after.stdout).not.toContain('flink-dashboard');
  });

  it('a misspelled field is refused by the dry run (strict field validation)', async () => {
    const rendered = (await kubectl(['kustomize', dir])).stdout.replace('readOnlyRootFilesystem', 'readOnlyRootFilesytem');
    const res = await kubectl(['apply', '--dry-run=server', '-f', '-'], rendered);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('unknown field "spec.template.spec.containers[0].securityContext.readOnlyRootFilesytem"');
  });

  it("the dashboard's ServiceAccount may impersonate and write Events, read its sign-in Secrets by name, and nothing else", async () => {
    // RBAC only (the Deployment would need the image): apply the RBAC objects for real.
    const rbac = readFileSync(path.join(dir, 'rbac.yaml'), 'utf8');
    expect((await kubectl(['apply', '-n', 'flink-dashboard', '-f', '-'], rbac)).code).toBe(0);
    const sa = 'system:serviceaccount:flink-dashboard:flink-dashboard';
    const can = async (...args: string[]) => (await kubectl(['auth', 'can-i', '--as', sa, ...args])).stdout.trim();
    expect(await can('impersonate', 'users')).toBe('yes');
    expect(await can('impersonate', 'groups')).toBe('yes');
    expect(await can('create', 'events', '-n', 'team-a')).toBe('yes');
    expect(await can('get', 'secrets/flink-dashboard-tokens', '-n', 'flink-dashboard')).toBe('yes');
    expect(await can('update', 'secrets/flink-dashboard-signed-out', '-n', 'flink-dashboard')).toBe('yes');
    expect(await can('get', 'secrets/other', '-n', 'flink-dashboard')).toBe('no');
    expect(await can('list', 'secrets', '-n', 'flink-dashboard')).toBe('no');
    expect(await can('list', 'pods', '-n', 'team-a')).toBe('no');
    expect(await can('create', 'deployments', '-n', 'team-a')).toBe('no');
    expect(await can('impersonate', 'serviceaccounts', '-n', 'team-a')).toBe('no');
  });
});
