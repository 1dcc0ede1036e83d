import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { call, startHarness, type Harness } from './testing/route-harness';

vi.mock('server-only', () => ({}));

// The routes the create form reads (nodes, secrets, configmaps, ServiceAccount check, presets,
// preflight warnings) over real handlers, against a sim this file starts.
const nodesRoute = await import('@/app/api/nodes/route');
const secretsRoute = await import('@/app/api/secrets/route');
const configMapsRoute = await import('@/app/api/configmaps/route');
const checkRoute = await import('@/app/api/service-accounts/check/route');
const presetsRoute = await import('@/app/api/presets/route');
const presetRoute = await import('@/app/api/presets/[namespace]/[name]/route');
const preflightRoute = await import('@/app/api/clusters/preflight/route');
const clustersRoute = await import('@/app/api/clusters/route');

let h: Harness;
const ns = `form-${Date.now().toString(36)}`;
const SECRET_VALUE = 'hunter2-do-not-leak';
const b64 = (s: string) => Buffer.from(s).toString('base64');

beforeAll(async () => {
  h = await startHarness();
  await h.sim.createNamespace(ns);
});

afterAll(async () => {
  await h?.stop();
});

describe('GET /api/nodes', () => {
  it('lists node names, labels and taints', async () => {
    await h.sim.request('POST', '/_sim/nodes', { name: 'tainted-node', labels: { pool: 'flink' }, taints: [{ key: 'dedicated', value: 'flink', effect: 'NoSchedule' }] });
    const res = await call(nodesRoute.GET, 'GET', '/api/nodes');
    expect(res.status).toBe(200);
    const node = res.body.items.find((n: { name: string }) => n.name === 'tainted-node');
    expect(node.labels).toMatchObject({ pool: 'flink' });
    expect(node.taints).toEqual([{ key: 'dedicated', value: 'flink', effect: 'NoSchedule' }]);
  });

  it('says clearly when the user may not list nodes', async () => {
    const res = await call(nodesRoute.GET, 'GET', '/api/nodes?context=sim-viewer');
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe('You may not list nodes (a cluster-wide right), so node labels and taints cannot be offered: type them instead.');
  });
});

describe('GET /api/secrets and /api/configmaps', () => {
  it('answers names, types and keys of Secrets, never a value', async () => {
    await h.sim.request('POST', `/api/v1/namespaces/${ns}/secrets`, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's3-creds' },
      type: 'Opaque',
      data: { 'secret-key': b64(SECRET_VALUE), 'access-key': b64('AKIA-also-secret') },
    });
    await h.sim.request('POST', `/api/v1/namespaces/${ns}/secrets`, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'registry' },
      type: 'kubernetes.io/dockerconfigjson',
      stringData: { '.dockerconfigjson': JSON.stringify({ auths: { r: { auth: b64(`u:${SECRET_VALUE}`) } } }) },
    });
    const res = await call(secretsRoute.GET, 'GET', `/api/secrets?namespace=${ns}`);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      { name: 'registry', type: 'kubernetes.io/dockerconfigjson', keys: ['.dockerconfigjson'] },
      { name: 's3-creds', type: 'Opaque', keys: ['access-key', 'secret-key'] },
    ]);
    for (const leak of [SECRET_VALUE, b64(SECRET_VALUE), 'AKIA', b64('AKIA-also-secret'), 'auths']) expect(res.text).not.toContain(leak);
  });

  it('answers names and keys of ConfigMaps', async () => {
    await h.sim.request('POST', `/api/v1/namespaces/${ns}/configmaps`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'hadoop-conf' },
      data: { 'core-site.xml': '<configuration/>' },
      binaryData: { 'keytab.bin': b64('bytes') },
    });
    const res = await call(configMapsRoute.GET, 'GET', `/api/configmaps?namespace=${ns}`);
    expect(res.body.items).toContainEqual({ name: 'hadoop-conf', keys: ['core-site.xml', 'keytab.bin'] });
    expect(res.text).not.toContain('<configuration/>');
  });

  it('offers only ConfigMaps that could be a Hadoop configuration, those with core-site.xml or hdfs-site.xml first', async () => {
    const space = `${ns}-hadoop`;
    await h.sim.createNamespace(space);
    const make = (name: string, data: Record<string, string>, labels?: Record<string, string>) =>
      h.sim.request('POST', `/api/v1/namespaces/${space}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(labels ? { labels } : {}) }, data });
    await make('app-settings', { 'settings.properties': 'a=1' });
    await make('z-hdfs', { 'hdfs-site.xml': '<configuration/>' });
    await make('flink-config-demo', { 'config.yaml': '' }, { app: 'demo', type: 'flink-native-kubernetes' });
    await make('pod-template-demo', { 'taskmanager-pod-template.yaml': '' }, { app: 'demo', type: 'flink-native-kubernetes' });
    await make('demo-cluster-config-map', {}, { app: 'demo', type: 'flink-native-kubernetes', 'configmap-type': 'high-availability' });
    await make('flink-dashboard-preset-small', { 'spec.json': '{}' }, { 'app.kubernetes.io/managed-by': 'flink-native-dashboard', 'flink-native-dashboard/preset': 'true' });
    // kube-root-ca.crt is published into every namespace by the sim's root-CA publisher, as by Kubernetes.
    await expect.poll(async () => ((await h.sim.request('GET', `/api/v1/namespaces/${space}/configmaps`)) as { items: { metadata: { name: string } }[] }).items.map((i) => i.metadata.name)).toContain('kube-root-ca.crt');
    const res = await call(configMapsRoute.GET, 'GET', `/api/configmaps?namespace=${space}`);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      { name: 'z-hdfs', keys: ['hdfs-site.xml'] },
      { name: 'app-settings', keys: ['settings.properties'] },
    ]);
  });

  it('refuses a missing or all-namespaces scope with 422, and a viewer listing secrets with 403', async () => {
    expect((await call(secretsRoute.GET, 'GET', '/api/secrets')).status).toBe(422);
    expect((await call(secretsRoute.GET, 'GET', '/api/secrets?namespace=_all')).status).toBe(422);
    const res = await call(secretsRoute.GET, 'GET', `/api/secrets?context=sim-viewer&namespace=${ns}`);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(`You may not list secrets in namespace ${ns}.`);
  });
});

describe('GET /api/service-accounts/check', () => {
  it('names every right the account lacks, and none once a Role grants them', async () => {
    await h.sim.request('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'jm' } });
    const before = await call(checkRoute.GET, 'GET', `/api/service-accounts/check?namespace=${ns}&name=jm`);
    expect(before.status).toBe(200);
    expect(before.body).toEqual({
      name: 'jm',
      exists: true,
      missing: [
        { verb: 'get', group: '', resource: 'pods' },
        { verb: 'list', group: '', resource: 'pods' },
        { verb: 'watch', group: '', resource: 'pods' },
        { verb: 'create', group: '', resource: 'pods' },
        { verb: 'delete', group: '', resource: 'pods' },
        { verb: 'get', group: 'apps', resource: 'deployments' },
        { verb: 'delete', group: 'apps', resource: 'deployments' },
      ],
    });
    await h.sim.request('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'jm-pods' },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['*'] }],
    });
    await h.sim.request('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'jm-pods' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'jm-pods' },
      subjects: [{ kind: 'ServiceAccount', name: 'jm', namespace: ns }],
    });
    const after = await call(checkRoute.GET, 'GET', `/api/service-accounts/check?namespace=${ns}&name=jm`);
    expect(after.body.missing).toEqual([
      { verb: 'get', group: 'apps', resource: 'deployments' },
      { verb: 'delete', group: 'apps', resource: 'deployments' },
    ]);
    const ha = await call(checkRoute.GET, 'GET', `/api/service-accounts/check?namespace=${ns}&name=jm&ha=true`);
    expect(ha.body.missing).toContainEqual({ verb: 'update', group: '', resource: 'configmaps' });
  });

  it('says when the account does not exist, and when the user may not review access', async () => {
    const ghost = await call(checkRoute.GET, 'GET', `/api/service-accounts/check?namespace=${ns}&name=ghost`);
    expect(ghost.body).toMatchObject({ name: 'ghost', exists: false });
    const viewer = await call(checkRoute.GET, 'GET', `/api/service-accounts/check?context=sim-viewer&namespace=${ns}&name=jm`);
    expect(viewer.status).toBe(403);
    expect(viewer.body.error.message).toMatch(/^You may not create subjectaccessreviews \(authorization.k8s.io\), so the dashboard cannot check what ServiceAccount jm may do/);
  });
});

describe('POST /api/clusters/preflight', () => {
  it('answers the parsed spec, objects in creation order, YAML, CLI and warnings', async () => {
    const res = await call(preflightRoute.POST, 'POST', '/api/clusters/preflight', {
      clusterId: 'pre',
      namespace: ns,
      imagePullSecrets: ['registry', 'no-such-registry'],
      secretsAsFiles: [{ secretName: 'missing-creds', mountPath: '/opt/creds' }],
      secretsAsEnv: [{ envName: 'KEY', secretName: 's3-creds', key: 'secret-key' }],
      flinkConfig: [{ key: 'kubernetes.hadoop.conf.config-map.name', value: 'no-such-hadoop' }],
      ha: { enabled: true, storageDir: 'file:///flink/ha' },
    });
    expect(res.status).toBe(200);
    const body = res.body;
    expect(body.spec).toMatchObject({ clusterId: 'pre', mode: 'session', flinkVersion: '1.20', serviceAccount: 'flink' });
    expect(body.objects.map((o: { kind: string; metadata: { name: string } }) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/flink',
      'Role/flink',
      'RoleBinding/flink',
      'Deployment/pre',
      'Service/pre-rest',
      'ConfigMap/flink-config-pre',
    ]);
    expect(body.yaml).toContain('kind: Deployment');
    expect(body.cli).toMatch(/^\.\/bin\/kubernetes-session\.sh/);
    expect(body.haLeftovers).toEqual([]);
    expect(body.serviceAccount).toEqual({ name: 'flink', exists: false, willProvision: true, missing: [] });
    expect(body.warnings).toEqual([
      expect.objectContaining({ code: 'missing_secret', field: 'imagePullSecrets.1' }),
      expect.objectContaining({ code: 'missing_secret', field: 'secretsAsFiles.0.secretName' }),
      expect.objectContaining({ code: 'missing_config_map', field: 'flinkConfig.0.value' }),
      expect.objectContaining({ code: 'ha_storage_local', field: 'ha.storageDir' }),
    ]);
    // preflight creates nothing
    expect(((await h.sim.request('GET', `/apis/apps/v1/namespaces/${ns}/deployments`)) as { items: unknown[] }).items).toEqual([]);
  });

  it('reads everything in one parallel round: every request is in flight before any is answered', async () => {
    const body = { clusterId: 'round', namespace: ns };
    // What one preflight asks of the API server (it creates nothing, so a second one asks the same).
    h.proxy.reset();
    expect((await call(preflightRoute.POST, 'POST', '/api/clusters/preflight', body)).status).toBe(200);
    const asked = h.proxy.requests.map((r) => `${r.method} ${r.path}${r.query}`).sort();
    expect(asked.length).toBeGreaterThan(5);

    // Held at the proxy, none is answered: a request that waited for another's answer would never be sent.
    h.proxy.holdWhen = () => true;
    try {
      const answer = call(preflightRoute.POST, 'POST', '/api/clusters/preflight', body);
      await expect.poll(() => h.proxy.held.length, { timeout: 10_000 }).toBe(asked.length);
      expect(h.proxy.held.map((r) => `${r.method} ${r.path}${r.query}`).sort()).toEqual(asked);
      h.proxy.holdWhen = undefined;
      h.proxy.releaseHeld();
      expect((await answer).status).toBe(200);
    } finally {
      h.proxy.holdWhen = undefined;
      h.proxy.releaseHeld();
    }
  });

  it('warns on a user-named account that lacks rights', async () => {
    const res = await call(preflightRoute.POST, 'POST', '/api/clusters/preflight', { clusterId: 'named', namespace: ns, serviceAccount: 'jm' });
    expect(res.body.serviceAccount).toEqual({
      name: 'jm',
      exists: true,
      willProvision: false,
      missing: [
        { verb: 'get', group: 'apps', resource: 'deployments' },
        { verb: 'delete', group: 'apps', resource: 'deployments' },
      ],
    });
    expect(res.body.warnings).toContainEqual({
      code: 'service_account_missing_rights',
      field: 'serviceAccount',
      message: `ServiceAccount jm may not get apps/deployments, delete apps/deployments in namespace ${ns}; the JobManager needs these rights.`,
    });
  });
});

describe('presets', () => {
  it('round-trips a preset through a labelled ConfigMap', async () => {
    const spec = { clusterId: 'ignored', taskManager: { slots: 4, memory: '4Gi' }, flinkVersion: '2.0' };
    const saved = await call(presetsRoute.POST, 'POST', '/api/presets', { namespace: ns, name: 'big-tm', spec });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ name: 'big-tm', createdAt: expect.any(String), spec: { flinkVersion: '2.0', taskManager: { slots: 4, memory: '4Gi' } } });
    expect(saved.body.spec).not.toHaveProperty('clusterId');

    const cm = (await h.sim.request('GET', `/api/v1/namespaces/${ns}/configmaps/flink-dashboard-preset-big-tm`)) as { metadata: { labels: Record<string, string> } };
    expect(cm.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'flink-native-dashboard', 'flink-native-dashboard/preset': 'true' });

    const dup = await call(presetsRoute.POST, 'POST', '/api/presets', { namespace: ns, name: 'big-tm', spec });
    expect(dup.status).toBe(409);

    const bad = await call(presetsRoute.POST, 'POST', '/api/presets', { namespace: ns, name: 'bad', spec: { jobManager: { memory: 'lots' } } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.issues.map((i: { path: string }) => i.path)).toContain('spec.jobManager.memory');

    // a hand-edited preset that no longer validates is left out
    await h.sim.request('POST', `/api/v1/namespaces/${ns}/configmaps`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'flink-dashboard-preset-broken', labels: cm.metadata.labels, annotations: { 'flink-native-dashboard/preset-name': 'broken' } },
      data: { 'spec.json': JSON.stringify({ taskManager: { slots: 0 } }) },
    });
    const listed = await call(presetsRoute.GET, 'GET', `/api/presets?namespace=${ns}`);
    expect(listed.body.items.map((p: { name: string }) => p.name)).toEqual(['big-tm']);
    expect(listed.body.items[0].spec).toEqual(saved.body.spec);

    const deleted = await call(presetRoute.DELETE, 'DELETE', `/api/presets/${ns}/big-tm`, undefined, { namespace: ns, name: 'big-tm' });
    expect(deleted.status).toBe(204);
    expect((await call(presetsRoute.GET, 'GET', `/api/presets?namespace=${ns}`)).body.items).toEqual([]);
    const again = await call(presetRoute.DELETE, 'DELETE', `/api/presets/${ns}/big-tm`, undefined, { namespace: ns, name: 'big-tm' });
    expect(again.status).toBe(404);
  });
});

describe('refusals and malformed bodies', () => {
  it('tells a user without rights which list of which namespace they may not read', async () => {
    h.addUsers([{ name: 'nobody', token: await h.sim.tokenWithoutRights(ns, 'nobody') }]);
    for (const [route, url] of [
      [configMapsRoute.GET, `/api/configmaps?context=nobody&namespace=${ns}`],
      [presetsRoute.GET, `/api/presets?context=nobody&namespace=${ns}`],
    ] as const) {
      const res = await call(route, 'GET', url);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ error: { code: 'forbidden', message: `You may not list configmaps in namespace ${ns}.` } });
    }
  });

  it('tells a viewer they may not save or delete presets', async () => {
    const saved = await call(presetsRoute.POST, 'POST', '/api/presets?context=sim-viewer', { namespace: ns, name: 'viewed', spec: {} });
    expect(saved.status).toBe(403);
    expect(saved.body).toEqual({ error: { code: 'forbidden', message: `You may not create configmaps in namespace ${ns}.` } });
    const deleted = await call(presetRoute.DELETE, 'DELETE', `/api/presets/${ns}/viewed?context=sim-viewer`, undefined, { namespace: ns, name: 'viewed' });
    expect(deleted.status).toBe(403);
    expect(deleted.body).toEqual({ error: { code: 'forbidden', message: `You may not delete configmaps in namespace ${ns}.` } });
  });

  it.each([
    ['POST /api/clusters', clustersRoute.POST, '/api/clusters'],
    ['POST /api/clusters/preflight', preflightRoute.POST, '/api/clusters/preflight'],
    ['POST /api/presets', presetsRoute.POST, '/api/presets'],
  ] as const)('%s answers malformed JSON with 400 in the one error shape, asking the API server nothing', async (_name, route, url) => {
    for (const body of ['{"clusterId": "x", "namespace":', 'clusterId=x', '']) {
      h.proxy.reset();
      const req = new Request(`http://dashboard.test${url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const res = await route(req, {} as never);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/json');
      expect(await res.json()).toEqual({ error: { code: 'bad_request', message: 'The request body is not valid JSON.' } });
      expect(h.proxy.requests).toEqual([]);
    }
  });
});
