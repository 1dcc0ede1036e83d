// Golden replays: each recorded request of a real v1.28 kube-apiserver (sim/kube/specs/kubernetes-1.28/
// captured) is sent to the sim after setting up the same state; status, reason, message, details and
// body shape must match (ids, times, versions and allocated IPs/ports aside).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as discovery from '../discovery';
import { capture, normalize, startTestSim, waitFor, type TestSim } from './helpers';

async function replay(t: TestSim, name: string) {
  const c = capture(name);
  const r = c.request;
  const res = await t.raw(r.method, r.path, { body: r.body, contentType: r.contentType, headers: r.headers, accept: r.accept });
  return { c, res };
}

/** The sim does not track field ownership (server-side apply is out of scope). */
function withoutManagedFields(o: any): any {
  const c = structuredClone(o);
  delete c.metadata?.managedFields;
  return c;
}

/** Replays a capture whose answer is an error Status: the Status must be identical. */
async function expectSameStatus(t: TestSim, name: string) {
  const { c, res } = await replay(t, name);
  expect(res.status).toBe(c.httpStatus);
  expect(res.body).toEqual(c.body);
}

describe('golden replays against captured kube-apiserver answers', () => {
  let t: TestSim;
  beforeAll(async () => {
    t = await startTestSim();
    await t.client.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'cap' } });
    // pods need ServiceAccount "default": wait for the ServiceAccount controller to make it
    await waitFor(() => t.client.getOrUndefined('/api/v1/namespaces/cap/serviceaccounts/default'));
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('created-configmap', async () => {
    const { c, res } = await replay(t, 'created-configmap.json');
    expect(res.status).toBe(201);
    expect(normalize(res.body)).toEqual(normalize(c.body));
    expect(res.body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(res.body.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('error-already-exists', () => expectSameStatus(t, 'error-already-exists.json'));
  it('error-conflict', () => expectSameStatus(t, 'error-conflict.json'));
  it('error-bad-patch', () => expectSameStatus(t, 'error-bad-patch.json'));
  it('error-unsupported-patch', () => expectSameStatus(t, 'error-unsupported-patch.json'));

  // Not a capture: a real server decodes protobuf bodies (kubectl 1.32 sends them); the sim answers with the
  // decoder's own 415 (apiserver's negotiation.NewUnsupportedMediaTypeError), naming the types it does read.
  it('a protobuf body gets the decoder wording, naming the accepted types', async () => {
    const res = await t.raw('POST', '/api/v1/namespaces', { body: 'k8s\u0000', contentType: 'application/vnd.kubernetes.protobuf' });
    expect(res.status).toBe(415);
    expect(res.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml',
      reason: 'UnsupportedMediaType',
      code: 415,
    });
  });
  it('error-not-found', () => expectSameStatus(t, 'error-not-found.json'));
  it('error-namespace-not-found', () => expectSameStatus(t, 'error-namespace-not-found.json'));
  it('error-unknown-resource', () => expectSameStatus(t, 'error-unknown-resource.json'));
  it('error-invalid-name', () => expectSameStatus(t, 'error-invalid-name.json'));
  it('error-strict-unknown-field', () => expectSameStatus(t, 'error-strict-unknown-field.json'));
  it('error-invalid-quantity', () => expectSameStatus(t, 'error-invalid-quantity.json'));
  it('error-missing-required', () => expectSameStatus(t, 'error-missing-required.json'));
  it('error-missing-serviceaccount', () => expectSameStatus(t, 'error-missing-serviceaccount.json'));

  it('dry-run-create: answered as created, not stored', async () => {
    const { c, res } = await replay(t, 'dry-run-create.json');
    expect(res.status).toBe(201);
    expect(normalize(res.body)).toEqual(normalize(c.body));
    expect(res.body.metadata.resourceVersion).toBeUndefined();
    expect(res.body.metadata.uid).toBeTruthy();
    const get = await t.raw('GET', '/api/v1/namespaces/cap/configmaps/dry');
    expect(get.status).toBe(404);
  });

  it('created-deployment', async () => {
    const { c, res } = await replay(t, 'created-deployment.json');
    expect(res.status).toBe(201);
    expect(normalize(res.body)).toEqual(normalize(c.body));
  });

  it('error-selector-mismatch', () => expectSameStatus(t, 'error-selector-mismatch.json'));
  it('error-immutable-selector', () => expectSameStatus(t, 'error-immutable-selector.json'));

  it('created-service', async () => {
    const { c, res } = await replay(t, 'created-service.json');
    expect(res.status).toBe(201);
    expect(normalize(res.body)).toEqual(normalize(c.body));
    expect(res.body.spec.clusterIP).toMatch(/^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
    expect(res.body.spec.clusterIPs).toEqual([res.body.spec.clusterIP]);
  });

  it('created-nodeport-service', async () => {
    const { c, res } = await replay(t, 'created-nodeport-service.json');
    expect(res.status).toBe(201);
    expect(normalize(res.body)).toEqual(normalize(c.body));
    const np = res.body.spec.ports[0].nodePort;
    expect(np).toBeGreaterThanOrEqual(30000);
    expect(np).toBeLessThanOrEqual(32767);
  });

  it('created-headless-service', async () => {
    const { c, res } = await replay(t, 'created-headless-service.json');
    expect(res.status).toBe(201);
    expect(normalize(res.body)).toEqual(normalize(c.body));
    expect(res.body.spec.clusterIP).toBe('None');
    expect(res.body.spec.clusterIPs).toEqual(['None']);
  });

  it('error-immutable-clusterip', () => expectSameStatus(t, 'error-immutable-clusterip.json'));

  it('error-proxy-no-endpoints', async () => {
    // the endpoints controller writes an Endpoints object without subsets (no ready pod): wait for it
    const eps = await waitFor(() => t.client.getOrUndefined<{ subsets?: unknown[] }>('/api/v1/namespaces/cap/endpoints/web-rest'));
    expect(eps.subsets ?? []).toEqual([]);
    await expectSameStatus(t, 'error-proxy-no-endpoints.json');
  });

  it('error-forbidden-impersonated', () => expectSameStatus(t, 'error-forbidden-impersonated.json'));

  it('selfsubjectaccessreview-allowed', async () => {
    const { c, res } = await replay(t, 'selfsubjectaccessreview-allowed.json');
    expect(res.status).toBe(201);
    expect(res.body).toEqual(withoutManagedFields(c.body));
  });

  it('subjectaccessreview-serviceaccount-denied', async () => {
    const { c, res } = await replay(t, 'subjectaccessreview-serviceaccount-denied.json');
    expect(res.status).toBe(201);
    expect(res.body).toEqual(withoutManagedFields(c.body));
  });

  it('table-deployments', async () => {
    const { c, res } = await replay(t, 'table-deployments.json');
    expect(res.status).toBe(200);
    expect(res.body.kind).toBe('Table');
    expect(res.body.apiVersion).toBe('meta.k8s.io/v1');
    expect(res.body.columnDefinitions).toEqual(c.body.columnDefinitions);
    expect(res.body.rows).toHaveLength(1);
    const row = res.body.rows[0];
    expect(row.cells).toHaveLength(c.body.rows[0].cells.length);
    expect(row.cells[0]).toBe('web');
    expect(row.cells.slice(5)).toEqual(c.body.rows[0].cells.slice(5));
    expect(row.object.kind).toBe('PartialObjectMetadata');
    expect(row.object.metadata.name).toBe('web');
  });

  it('table-pods', async () => {
    const pod = await waitFor(async () => (await t.client.list('/api/v1/namespaces/cap/pods')).items[0], 10_000);
    const { c, res } = await replay(t, 'table-pods.json');
    expect(res.status).toBe(200);
    expect(res.body.kind).toBe('Table');
    expect(res.body.columnDefinitions).toEqual(c.body.columnDefinitions);
    expect(res.body.rows.length).toBeGreaterThanOrEqual(1);
    const row = res.body.rows.find((r: any) => r.cells[0] === pod.metadata.name);
    expect(row.cells).toHaveLength(c.body.rows[0].cells.length);
    expect(row.cells[0]).toMatch(/^web-[a-z0-9]+-[a-z0-9]{5}$/);
    expect(row.object).toMatchObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1' });
  });

  it('delete-foreground', async () => {
    const { c, res } = await replay(t, 'delete-foreground.json');
    expect(res.status).toBe(200);
    const want = c.body;
    expect(res.body.kind).toBe(want.kind);
    expect(res.body.metadata.finalizers).toEqual(want.metadata.finalizers);
    expect(res.body.metadata.deletionGracePeriodSeconds).toBe(want.metadata.deletionGracePeriodSeconds);
    expect(res.body.metadata.deletionTimestamp).toMatch(/Z$/);
    expect(res.body.metadata.generation).toBe(want.metadata.generation);
    expect(res.body.metadata.labels).toEqual(want.metadata.labels);
    expect(normalize(res.body.spec)).toEqual(normalize(want.spec));
  });

  it('delete-namespace', async () => {
    const { c, res } = await replay(t, 'delete-namespace.json');
    expect(res.status).toBe(200);
    expect(normalize(res.body)).toEqual(normalize(c.body));
    expect(res.body.metadata.deletionTimestamp).toMatch(/Z$/);
  });

  it('list-with-continue', async () => {
    for (const n of ['a-one', 'b-two']) await t.client.create('/api/v1/namespaces/kube-system/configmaps', { metadata: { name: n } }).catch(() => undefined);
    const { c, res } = await replay(t, 'list-with-continue.json');
    expect(res.status).toBe(200);
    expect(res.body.kind).toBe(c.body.kind);
    expect(Object.keys(res.body.metadata).sort()).toEqual(Object.keys(c.body.metadata).sort());
    expect(res.body.items).toHaveLength(1);
    const all = await t.client.list('/api/v1/namespaces/kube-system/configmaps');
    expect(res.body.metadata.remainingItemCount).toBe(all.items.length - 1);
    const tok = JSON.parse(Buffer.from(res.body.metadata.continue, 'base64url').toString());
    expect(tok).toEqual({ v: 'meta.k8s.io/v1', rv: Number(res.body.metadata.resourceVersion), start: `${res.body.items[0].metadata.name}\u0000` });
    // the next page continues after the first item
    const next = await t.raw('GET', `/api/v1/namespaces/kube-system/configmaps?limit=100&continue=${res.body.metadata.continue}`);
    expect(next.status).toBe(200);
    expect(next.body.items.map((i: any) => i.metadata.name)).toEqual(all.items.slice(1).map((i: any) => i.metadata.name));
    expect(next.body.metadata.continue).toBeUndefined();
  });

  it('discovery documents as served', async () => {
    const api = await t.raw('GET', '/api', { accept: 'application/json' });
    expect(api.status).toBe(200);
    expect(api.body.kind).toBe(capture('discovery_api.json').kind);
    expect(api.body.versions).toEqual(capture('discovery_api.json').versions);
    const apis = await t.raw('GET', '/apis', { accept: 'application/json' });
    expect(apis.body).toEqual(discovery.apiGroupList());
    const capturedGroups = new Map(capture('discovery_apis.json').groups.map((g: any) => [g.name, g]));
    for (const g of apis.body.groups) expect(g).toEqual(capturedGroups.get(g.name));
    for (const [file, p, gv] of [
      ['discovery_api_v1.json', '/api/v1', 'v1'],
      ['discovery_apis_apps_v1.json', '/apis/apps/v1', 'apps/v1'],
      ['discovery_apis_rbac.authorization.k8s.io_v1.json', '/apis/rbac.authorization.k8s.io/v1', 'rbac.authorization.k8s.io/v1'],
      ['discovery_apis_coordination.k8s.io_v1.json', '/apis/coordination.k8s.io/v1', 'coordination.k8s.io/v1'],
      ['discovery_apis_authorization.k8s.io_v1.json', '/apis/authorization.k8s.io/v1', 'authorization.k8s.io/v1'],
      ['discovery_apis_events.k8s.io_v1.json', '/apis/events.k8s.io/v1', 'events.k8s.io/v1'],
      ['discovery_apis_discovery.k8s.io_v1.json', '/apis/discovery.k8s.io/v1', 'discovery.k8s.io/v1'],
    ] as const) {
      const r = await t.raw('GET', p, { accept: 'application/json' });
      expect(r.status, p).toBe(200);
      expect(r.body.groupVersion).toBe(gv);
      const captured = new Map(capture(file).resources.map((x: any) => [x.name, x]));
      for (const res of r.body.resources) expect(res, `${gv} ${res.name}`).toEqual(captured.get(res.name));
    }
    const version = await t.raw('GET', '/version', { token: '' });
    expect(version.status).toBe(200);
    expect(Object.keys(version.body)).toEqual(expect.arrayContaining(Object.keys(capture('discovery_version.json'))));
    expect(version.body.major).toBe('1');
    expect(version.body.minor).toBe('28');
  });
});

describe('golden replay: stale continue token', () => {
  let t: TestSim;
  beforeAll(async () => {
    // a small watch window: the history a continue token relies on is gone quickly, as after an etcd compaction
    t = await startTestSim({ timing: { watchWindow: 5 } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('error-stale-continue-token', async () => {
    for (let i = 0; i < 10; i++) await t.client.create('/api/v1/namespaces/kube-system/configmaps', { metadata: { name: `filler-${i}` } });
    await expectSameStatus(t, 'error-stale-continue-token.json');
  });
});
