// The real kubectl against the sim, through <dataDir>/kubeconfig (https on the sim's port).
import { execFile, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, waitFor, type TestSim } from './helpers';

const run = promisify(execFile);

describe('kubectl against the sim', () => {
  let t: TestSim;
  let kubeconfig: string;
  let cacheDir: string;
  const ns = 'kc';

  const kubectl = async (args: string[], opts: { input?: string; allowFail?: boolean } = {}) => {
    const full = ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args];
    if (opts.input !== undefined) {
      return new Promise<{ stdout: string; stderr: string; code: number }>((resolve) => {
        const p = spawn('kubectl', full);
        let stdout = '';
        let stderr = '';
        p.stdout.on('data', (d) => (stdout += d));
        p.stderr.on('data', (d) => (stderr += d));
        p.on('close', (code) => resolve({ stdout, stderr, code: code ?? 1 }));
        p.stdin.end(opts.input);
      }).then((r) => {
        if (r.code !== 0 && !opts.allowFail) throw new Error(`kubectl ${args.join(' ')} failed: ${r.stderr}`);
        return r;
      });
    }
    try {
      const r = await run('kubectl', full, { maxBuffer: 32 * 1024 * 1024 });
      return { stdout: r.stdout, stderr: r.stderr, code: 0 };
    } catch (e: any) {
      if (!opts.allowFail) throw new Error(`kubectl ${args.join(' ')} failed: ${e.stderr ?? e.message}`);
      return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
    }
  };

  beforeAll(async () => {
    t = await startTestSim();
    kubeconfig = t.sim.kubeconfigPath;
    cacheDir = path.join(t.dataDir, 'kube-cache');
    await kubectl(['create', 'namespace', ns]);
  });
  afterAll(async () => {
    await t?.stop();
  });

  const deployment = (replicas: number, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${ns}
  labels: {app: web}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: ${image}
        ports:
        - {name: http, containerPort: 80}
        env:
        - {name: A, value: "1"}
        - {name: B, value: "2"}
`;

  it('api-resources lists the served resources', async () => {
    const { stdout } = await kubectl(['api-resources']);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND$/);
    expect(stdout).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
    expect(stdout).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    expect(stdout).toMatch(/^leases\s+coordination\.k8s\.io\/v1\s+true\s+Lease$/m);
  });

  it('apply -f twice: created, then configured with a strategic merge of the change', async () => {
    const file = path.join(t.dataDir, 'web.yaml');
    writeFileSync(file, deployment(1, 'nginx:1.25'));
    const first = await kubectl(['apply', '-f', file]);
    expect(first.stdout.trim()).toBe('deployment.apps/web created');
    const again = await kubectl(['apply', '-f', file]);
    expect(again.stdout.trim()).toBe('deployment.apps/web unchanged');
    writeFileSync(file, deployment(2, 'nginx:1.26').replace('        - {name: B, value: "2"}\n', ''));
    const second = await kubectl(['apply', '-f', file]);
    expect(second.stdout.trim()).toBe('deployment.apps/web configured');
    const d = await t.client.get(`/apis/apps/v1/namespaces/${ns}/deployments/web`);
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.spec.containers[0].image).toBe('nginx:1.26');
    expect(d.spec.template.spec.containers[0].env).toEqual([{ name: 'A', value: '1' }]);
    expect(d.metadata.generation).toBe(2);
    const last = JSON.parse(d.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
    expect(last.spec.replicas).toBe(2);
  });

  it('get prints the server-side Table columns; -o yaml the object', async () => {
    const { stdout } = await kubectl(['get', 'deployments', '-n', ns]);
    expect(stdout.split('\n')[0]).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/);
    expect(stdout).toMatch(/^web\s+\d\/2\s+\d\s+\d\s+\S+$/m);
    const wide = await kubectl(['get', 'deployments', '-n', ns, '-o', 'wide']);
    expect(wide.stdout.split('\n')[0]).toMatch(/CONTAINERS\s+IMAGES\s+SELECTOR$/);
    const yaml = await kubectl(['get', 'deployment', 'web', '-n', ns, '-o', 'yaml']);
    expect(yaml.stdout).toMatch(/^kind: Deployment$/m);
    expect(yaml.stdout).toMatch(/^  name: web$/m);
    const json = JSON.parse((await kubectl(['get', 'deployment', 'web', '-n', ns, '-o', 'json'])).stdout);
    expect(json.spec.template.spec.containers[0].image).toBe('nginx:1.26');
  });

  it('rollout status waits for the deployment; pods run; logs are served', async () => {
    const r = await kubectl(['rollout', 'status', 'deployment/web', '-n', ns, '--timeout=60s']);
    expect(r.stdout).toMatch(/successfully rolled out/);
    const pods = await kubectl(['get', 'pods', '-n', ns, '-l', 'app=web', '-o', 'name']);
    const names = pods.stdout.trim().split('\n');
    expect(names.length).toBeGreaterThanOrEqual(2);
    const logs = await kubectl(['logs', '-n', ns, names[0]], { allowFail: true });
    expect(logs.code).toBe(0);
  });

  it('describe shows the object and its events', async () => {
    const { stdout } = await kubectl(['describe', 'deployment', 'web', '-n', ns]);
    expect(stdout).toMatch(/^Name:\s+web$/m);
    expect(stdout).toMatch(/^Namespace:\s+kc$/m);
    expect(stdout).toMatch(/^Replicas:\s+2 desired/m);
    expect(stdout).toMatch(/ScalingReplicaSet/);
  });

  it('label, annotate and patch (merge, json, strategic)', async () => {
    await kubectl(['create', 'configmap', 'cfg', '-n', ns, '--from-literal=a=1']);
    expect((await kubectl(['label', 'configmap', 'cfg', '-n', ns, 'tier=x'])).stdout.trim()).toBe('configmap/cfg labeled');
    expect((await kubectl(['patch', 'configmap', 'cfg', '-n', ns, '--type', 'merge', '-p', '{"data":{"b":"2"}}'])).stdout.trim()).toBe('configmap/cfg patched');
    expect(
      (await kubectl(['patch', 'configmap', 'cfg', '-n', ns, '--type', 'json', '-p', '[{"op":"remove","path":"/data/a"}]'])).stdout.trim(),
    ).toBe('configmap/cfg patched');
    const cm = await t.client.get(`/api/v1/namespaces/${ns}/configmaps/cfg`);
    expect(cm.data).toEqual({ b: '2' });
    expect(cm.metadata.labels).toEqual({ tier: 'x' });
    await kubectl([
      'patch',
      'deployment',
      'web',
      '-n',
      ns,
      '--type',
      'strategic',
      '-p',
      '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","env":[{"name":"C","value":"3"}]}]}}}}',
    ]);
    const d = await t.client.get(`/apis/apps/v1/namespaces/${ns}/deployments/web`);
    expect(d.spec.template.spec.containers).toHaveLength(1);
    expect(d.spec.template.spec.containers[0].env).toEqual([
      { name: 'C', value: '3' },
      { name: 'A', value: '1' },
    ]);
    const noop = await kubectl(['patch', 'configmap', 'cfg', '-n', ns, '--type', 'merge', '-p', '{"data":{"b":"2"}}']);
    expect(noop.stdout.trim()).toBe('configmap/cfg patched (no change)');
  });

  it('scale', async () => {
    expect((await kubectl(['scale', 'deployment', 'web', '-n', ns, '--replicas=3'])).stdout.trim()).toBe('deployment.apps/web scaled');
    const scale = await t.client.get(`/apis/apps/v1/namespaces/${ns}/deployments/web/scale`);
    expect(scale).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 3 } });
    expect(scale.status.selector).toBe('app=web');
  });

  it('get -w sees a change', async () => {
    const p = spawn('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, 'get', 'configmaps', '-n', ns, '-w', '--output-watch-events']);
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    try {
      await waitFor(() => /cfg/.test(out), 20_000);
      await t.client.create(`/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: 'watched' } });
      await waitFor(() => /ADDED\s+watched/.test(out), 20_000);
      await t.client.patch(`/api/v1/namespaces/${ns}/configmaps/watched`, { data: { x: 'y' } }, 'merge');
      await waitFor(() => /MODIFIED\s+watched/.test(out), 20_000);
    } finally {
      p.kill();
    }
  });

  it('auth can-i, also as a ServiceAccount', async () => {
    expect((await kubectl(['auth', 'can-i', 'delete', 'deployments', '-n', ns])).stdout.trim()).toBe('yes');
    await kubectl(['create', 'serviceaccount', 'robot', '-n', ns]);
    const no = await kubectl(['auth', 'can-i', 'create', 'pods', '-n', ns, `--as=system:serviceaccount:${ns}:robot`], { allowFail: true });
    expect(no.stdout.trim()).toBe('no');
    await kubectl(['create', 'role', 'pod-maker', '-n', ns, '--verb=create', '--resource=pods']);
    await kubectl(['create', 'rolebinding', 'robot-pods', '-n', ns, '--role=pod-maker', `--serviceaccount=${ns}:robot`]);
    const yes = await kubectl(['auth', 'can-i', 'create', 'pods', '-n', ns, `--as=system:serviceaccount:${ns}:robot`]);
    expect(yes.stdout.trim()).toBe('yes');
  });

  it('create token issues a token that authenticates as the ServiceAccount', async () => {
    const { stdout } = await kubectl(['create', 'token', 'robot', '-n', ns]);
    const token = stdout.trim();
    expect(token.split('.')).toHaveLength(3);
    const review = await t.raw('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      token,
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { namespace: ns, verb: 'create', resource: 'pods' } } },
    });
    expect(review.status).toBe(201);
    expect(review.body.status.allowed).toBe(true);
    const denied = await t.raw('GET', `/api/v1/namespaces/${ns}/secrets`, { token });
    expect(denied.status).toBe(403);
    expect(denied.body.message).toBe(`secrets is forbidden: User "system:serviceaccount:${ns}:robot" cannot list resource "secrets" in API group "" in the namespace "${ns}"`);
  });

  it('the sim-viewer context can read but not write', async () => {
    const get = await kubectl(['--context', 'sim-viewer', 'get', 'configmaps', '-n', ns]);
    expect(get.stdout).toMatch(/^cfg\s/m);
    const create = await kubectl(['--context', 'sim-viewer', 'create', 'configmap', 'nope', '-n', ns], { allowFail: true });
    expect(create.code).not.toBe(0);
    expect(create.stderr).toContain('configmaps is forbidden: User "sim-viewer" cannot create resource "configmaps" in API group "" in the namespace "kc"');
  });

  it('delete --cascade=foreground removes the deployment after its dependents', async () => {
    const r = await kubectl(['delete', 'deployment', 'web', '-n', ns, '--cascade=foreground', '--timeout=60s']);
    expect(r.stdout.trim()).toBe('deployment.apps "web" deleted');
    await waitFor(async () => (await t.client.getOrUndefined(`/apis/apps/v1/namespaces/${ns}/deployments/web`)) === undefined, 30_000);
    await waitFor(async () => (await t.client.list(`/apis/apps/v1/namespaces/${ns}/replicasets`)).items.length === 0, 30_000);
  });

  it('delete namespace', async () => {
    const r = await kubectl(['delete', 'namespace', ns, '--timeout=60s']);
    expect(r.stdout.trim()).toBe(`namespace "${ns}" deleted`);
    const gone = await kubectl(['get', 'namespace', ns], { allowFail: true });
    expect(gone.code).not.toBe(0);
    expect(gone.stderr.trim()).toBe(`Error from server (NotFound): namespaces "${ns}" not found`);
  });
});
