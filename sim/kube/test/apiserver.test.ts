// API server behaviour beyond the captures: auth, impersonation, subresources, deletion semantics,
// strategic merge directives, proxy and logs to live pods, the control API, persistence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, waitFor, type TestSim } from './helpers';

const NS = 'api';

describe('API server', () => {
  let t: TestSim;
  beforeAll(async () => {
    t = await startTestSim();
    await t.client.create('/api/v1/namespaces', { metadata: { name: NS } });
    await waitFor(async () => t.client.getOrUndefined(`/api/v1/namespaces/${NS}/serviceaccounts/default`));
  });
  afterAll(async () => {
    await t?.stop();
  });

  describe('authentication and impersonation', () => {
    it('answers 401 to a missing or unknown token, but serves /healthz and /version anonymously', async () => {
      const none = await t.raw('GET', '/api/v1/namespaces', { token: '' });
      expect(none.status).toBe(401);
      expect(none.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
      expect((await t.raw('GET', '/api/v1/namespaces', { token: 'bogus' })).status).toBe(401);
      const hz = await t.raw('GET', '/healthz', { token: '' });
      expect(hz.status).toBe(200);
      expect(hz.text).toBe('ok');
      expect((await t.raw('GET', '/readyz')).text).toBe('ok');
      expect((await t.raw('GET', '/livez')).text).toBe('ok');
    });

    it('impersonation by a user without the impersonate verb is forbidden with the real wording', async () => {
      const viewer = (t.sim as any).viewerToken as string;
      const r = await t.raw('GET', `/api/v1/namespaces/${NS}/configmaps`, { token: viewer, headers: { 'Impersonate-User': 'alice' } });
      expect(r.status).toBe(403);
      expect(r.body.message).toBe('users "alice" is forbidden: User "sim-viewer" cannot impersonate resource "users" in API group "" at the cluster scope');
      expect(r.body.details).toEqual({ name: 'alice', kind: 'users' });
    });

    it('the admin can impersonate a ServiceAccount, which gets its groups', async () => {
      const r = await t.raw('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
        headers: { 'Impersonate-User': `system:serviceaccount:${NS}:default` },
        body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { namespace: NS, verb: 'list', resource: 'pods' } } },
      });
      expect(r.status).toBe(201);
      expect(r.body.status.allowed).toBe(false);
    });

    it('the control API is for the admin only', async () => {
      const viewer = (t.sim as any).viewerToken as string;
      const r = await t.raw('GET', '/_sim/info', { token: viewer });
      expect(r.status).toBe(403);
      const ok = await t.raw('GET', '/_sim/info');
      expect(ok.status).toBe(200);
      expect(ok.body.dataDir).toBe(t.sim.dataDir);
      expect(Array.isArray(ok.body.nodes)).toBe(true);
    });
  });

  describe('errors', () => {
    it('MethodNotAllowed, NotAcceptable and an unsupported fieldValidation', async () => {
      const m = await t.raw('PUT', `/api/v1/namespaces/${NS}/configmaps`, { body: {} });
      expect(m.status).toBe(405);
      expect(m.body).toMatchObject({ reason: 'MethodNotAllowed', message: 'the server does not allow this method on the requested resource', code: 405 });
      const n = await t.raw('GET', `/api/v1/namespaces/${NS}/configmaps`, { accept: 'application/vnd.kubernetes.protobuf' });
      expect(n.status).toBe(406);
      expect(n.body).toMatchObject({ reason: 'NotAcceptable', message: 'the server was unable to respond with a content type that the client supports', code: 406 });
      const f = await t.raw('POST', `/api/v1/namespaces/${NS}/configmaps?fieldValidation=Bogus`, { body: { metadata: { name: 'x' } } });
      expect(f.status).toBe(400);
    });

    it('fieldValidation=Warn stores the object without the unknown field and warns', async () => {
      const r = await t.raw('POST', `/api/v1/namespaces/${NS}/configmaps?fieldValidation=Warn`, { body: { metadata: { name: 'warned' }, dta: { a: 'b' } } });
      expect(r.status).toBe(201);
      expect(r.headers.get('warning')).toBe('299 - "unknown field \\"dta\\""');
      expect(r.body.dta).toBeUndefined();
    });

    it('creating in a terminating namespace is forbidden', async () => {
      await t.client.create('/api/v1/namespaces', { metadata: { name: 'doomed' } });
      await t.client.create('/api/v1/namespaces/doomed/configmaps', { metadata: { name: 'keep', finalizers: ['example.com/hold'] } });
      await t.client.delete('/api/v1/namespaces/doomed');
      const r = await t.raw('POST', '/api/v1/namespaces/doomed/configmaps', { body: { metadata: { name: 'late' } } });
      expect(r.status).toBe(403);
      expect(r.body.message).toBe('configmaps "late" is forbidden: unable to create new content in namespace doomed because it is being terminated');
      expect(r.body.details.causes).toEqual([{ reason: 'NamespaceTerminating', message: 'namespace doomed is being terminated', field: 'metadata.namespace' }]);
    });
  });

  describe('create', () => {
    it('generateName adds five random characters', async () => {
      const r = await t.client.create(`/api/v1/namespaces/${NS}/configmaps`, { metadata: { generateName: 'gen-' } });
      expect(r.metadata.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(r.metadata.generateName).toBe('gen-');
    });

    it('metadata comes back in the server order', async () => {
      const r = await t.raw('POST', `/api/v1/namespaces/${NS}/configmaps`, { body: { data: { a: 'b' }, metadata: { labels: { x: 'y' }, name: 'ordered' }, kind: 'ConfigMap', apiVersion: 'v1' } });
      expect(Object.keys(r.body)).toEqual(['kind', 'apiVersion', 'metadata', 'data']);
      expect(Object.keys(r.body.metadata)).toEqual(['name', 'namespace', 'uid', 'resourceVersion', 'creationTimestamp', 'labels']);
    });
  });

  describe('label-selected lists (served from the label index)', () => {
    // "li" sorts before "li-b" as a namespace, but "li/x" after "li-b/x" as a string: the
    // all-namespaces order must be (namespace, name), as the unindexed list gives it.
    const names = (r: { body: any }) => r.body.items.map((o: any) => `${o.metadata.namespace}/${o.metadata.name}`);
    beforeAll(async () => {
      for (const ns of ['li', 'li-b']) {
        await t.client.create('/api/v1/namespaces', { metadata: { name: ns } });
        for (const [name, tier] of [['c', 'web'], ['a', 'db'], ['b', 'web'], ['d', undefined]] as const) {
          await t.client.create(`/api/v1/namespaces/${ns}/configmaps`, { metadata: { name, labels: tier ? { tier, set: 'li' } : { set: 'li' } } });
        }
      }
    });

    it('equality and set-based selectors give what the unindexed selector gives, in (namespace, name) order', async () => {
      const eq = await t.raw('GET', '/api/v1/configmaps?labelSelector=tier%3Dweb');
      expect(names(eq)).toEqual(['li/b', 'li/c', 'li-b/b', 'li-b/c']);
      // "tier,tier!=db" has no equality requirement, so it walks every object
      const walked = await t.raw('GET', '/api/v1/configmaps?labelSelector=' + encodeURIComponent('set=li,tier,tier!=db'));
      expect(names(walked)).toEqual(names(eq));
      const inSet = await t.raw('GET', '/api/v1/configmaps?labelSelector=' + encodeURIComponent('tier in (web,db,web)'));
      expect(names(inSet)).toEqual(['li/a', 'li/b', 'li/c', 'li-b/a', 'li-b/b', 'li-b/c']);
      const ns = await t.raw('GET', '/api/v1/namespaces/li-b/configmaps?labelSelector=' + encodeURIComponent('tier=web,set=li'));
      expect(names(ns)).toEqual(['li-b/b', 'li-b/c']);
      expect((await t.raw('GET', '/api/v1/configmaps?labelSelector=tier%3Dnone')).body.items).toEqual([]);
    });

    it('a list of more than 100 objects (written in pieces as the socket drains) is one whole JSON document', async () => {
      await t.client.create('/api/v1/namespaces', { metadata: { name: 'big' } });
      const payload = 'x'.repeat(4000);
      await Promise.all(Array.from({ length: 150 }, (_, i) => t.client.create('/api/v1/namespaces/big/configmaps', { metadata: { name: `cm-${String(i).padStart(3, '0')}`, labels: { set: 'big' } }, data: { payload } })));
      // selected: the namespace also gets its kube-root-ca.crt ConfigMap at some point
      const r = await t.raw('GET', '/api/v1/namespaces/big/configmaps?labelSelector=set%3Dbig');
      expect(r.status).toBe(200);
      expect(Number(r.headers.get('content-length'))).toBe(Buffer.byteLength(r.text));
      expect(r.body.kind).toBe('ConfigMapList');
      expect(r.body.items.map((c: any) => c.metadata.name)).toEqual(Array.from({ length: 150 }, (_, i) => `cm-${String(i).padStart(3, '0')}`));
      expect(r.body.items.every((c: any) => c.data.payload === payload)).toBe(true);
    });

    it('follows label changes and deletes, and pages with limit/continue', async () => {
      await t.client.patch('/api/v1/namespaces/li/configmaps/a', { metadata: { labels: { tier: 'web' } } }, 'merge');
      await t.client.patch('/api/v1/namespaces/li-b/configmaps/c', { metadata: { labels: { tier: null } } }, 'merge');
      await t.client.delete('/api/v1/namespaces/li-b/configmaps/b');
      const page1 = await t.raw('GET', '/api/v1/configmaps?labelSelector=tier%3Dweb&limit=2');
      expect(names(page1)).toEqual(['li/a', 'li/b']);
      const page2 = await t.raw('GET', `/api/v1/configmaps?labelSelector=tier%3Dweb&limit=2&continue=${encodeURIComponent(page1.body.metadata.continue)}`);
      expect(names(page2)).toEqual(['li/c']);
      expect(page2.body.metadata.continue).toBeUndefined();
      const gone = await t.raw('GET', '/api/v1/configmaps?labelSelector=' + encodeURIComponent('tier in (web,db)'));
      expect(names(gone)).toEqual(['li/a', 'li/b', 'li/c', 'li-b/a']);
    });
  });

  describe('update and patch', () => {
    const cm = `/api/v1/namespaces/${NS}/configmaps/p1`;
    beforeAll(async () => {
      await t.client.create(`/api/v1/namespaces/${NS}/configmaps`, { metadata: { name: 'p1', finalizers: ['a/b'] }, data: { a: '1', b: '2' } });
    });

    it('PUT without resourceVersion is unconditional; an unchanged object keeps its resourceVersion', async () => {
      const cur = await t.client.get(cm);
      const same = await t.client.update(cm, { ...cur, metadata: { ...cur.metadata, resourceVersion: undefined } });
      expect(same.metadata.resourceVersion).toBe(cur.metadata.resourceVersion);
      const changed = await t.client.update(cm, { ...cur, data: { a: '9' } });
      expect(Number(changed.metadata.resourceVersion)).toBeGreaterThan(Number(cur.metadata.resourceVersion));
    });

    it('json patch test failure is 422 with the evanphx message', async () => {
      const r = await t.raw('PATCH', cm, { contentType: 'application/json-patch+json', body: [{ op: 'test', path: '/data/a', value: 'nope' }] });
      expect(r.status).toBe(422);
      expect(r.body).toMatchObject({ reason: 'Invalid', message: 'the server rejected our request due to an error in our request' });
    });

    it('strategic merge directives: $deleteFromPrimitiveList, $patch delete/replace, $retainKeys, $setElementOrder', async () => {
      await t.client.patch(cm, { metadata: { finalizers: ['c/d'] } }, 'strategic');
      expect((await t.client.get(cm)).metadata.finalizers).toEqual(['a/b', 'c/d']);
      await t.client.patch(cm, { metadata: { $deleteFromPrimitiveList: undefined, '$deleteFromPrimitiveList/finalizers': ['a/b'] } }, 'strategic');
      expect((await t.client.get(cm)).metadata.finalizers).toEqual(['c/d']);
      await t.client.patch(cm, { data: { $patch: 'replace', only: 'x' } }, 'strategic');
      expect((await t.client.get(cm)).data).toEqual({ only: 'x' });

      await t.client.create(`/apis/apps/v1/namespaces/${NS}/deployments`, {
        metadata: { name: 'smp' },
        spec: {
          replicas: 0,
          selector: { matchLabels: { app: 'smp' } },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
          template: {
            metadata: { labels: { app: 'smp' } },
            spec: { containers: [{ name: 'a', image: 'nginx' }, { name: 'b', image: 'nginx' }] },
          },
        },
      });
      const d = `/apis/apps/v1/namespaces/${NS}/deployments/smp`;
      await t.client.patch(d, { spec: { template: { spec: { containers: [{ name: 'a', $patch: 'delete' }] } } } }, 'strategic');
      expect((await t.client.get(d)).spec.template.spec.containers.map((c: any) => c.name)).toEqual(['b']);
      await t.client.patch(
        d,
        { spec: { template: { spec: { $setElementOrder: undefined, '$setElementOrder/containers': [{ name: 'c' }, { name: 'b' }], containers: [{ name: 'c', image: 'nginx' }] } } } },
        'strategic',
      );
      expect((await t.client.get(d)).spec.template.spec.containers.map((c: any) => c.name)).toEqual(['c', 'b']);
      await t.client.patch(d, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } } }, 'strategic');
      expect((await t.client.get(d)).spec.strategy).toEqual({ type: 'Recreate' });
    });

    it('a status write changes status only; a main write ignores status', async () => {
      await t.client.create(`/api/v1/namespaces/${NS}/services`, { metadata: { name: 'st' }, spec: { ports: [{ port: 80 }] } });
      const svc = `/api/v1/namespaces/${NS}/services/st`;
      const before = await t.client.get(svc);
      expect(before.status).toEqual({ loadBalancer: {} });
      const lb = { loadBalancer: { ingress: [{ ip: '192.0.2.10' }] } };
      await t.client.patch(`${svc}/status`, { spec: { sessionAffinity: 'ClientIP' }, status: lb }, 'merge');
      const after = await t.client.get(svc);
      expect(after.spec.sessionAffinity).toBe('None');
      expect(after.status).toEqual(lb);
      await t.client.patch(svc, { status: { loadBalancer: {} } }, 'merge');
      expect((await t.client.get(svc)).status).toEqual(lb);
    });

    it('the scale subresource', async () => {
      const d = `/apis/apps/v1/namespaces/${NS}/deployments/smp`;
      const s = await t.client.get(`${d}/scale`);
      expect(s).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'smp', namespace: NS }, spec: { replicas: 0 }, status: { selector: 'app=smp' } });
      const up = await t.client.patch(`${d}/scale`, { spec: { replicas: 0 } }, 'merge');
      expect(up.spec.replicas).toBe(0);
      const stale = await t.raw('PUT', `${d}/scale`, { body: { ...s, metadata: { ...s.metadata, resourceVersion: '1' } } });
      expect(stale.status).toBe(409);
    });
  });

  describe('delete', () => {
    it('refuses new finalizers on an object being deleted, worded once as the real server does', async () => {
      const path = `/api/v1/namespaces/${NS}/configmaps`;
      await t.client.create(path, { metadata: { name: 'held', finalizers: ['x.io/a'] } });
      await t.client.delete(`${path}/held`);
      const r = await t.raw('PATCH', `${path}/held`, {
        body: { metadata: { finalizers: ['x.io/a', 'x.io/b'] } },
        contentType: 'application/merge-patch+json',
      });
      expect(r.status).toBe(422);
      expect(r.body.message).toBe(
        'ConfigMap "held" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"x.io/b"}',
      );
      await t.client.patch(`${path}/held`, { metadata: { finalizers: null } });
      await waitFor(async () => (await t.client.getOrUndefined(`${path}/held`)) === undefined);
    });

    it('finalizers keep the object with a deletionTimestamp until they are removed', async () => {
      const p = `/api/v1/namespaces/${NS}/configmaps/fin`;
      await t.client.create(`/api/v1/namespaces/${NS}/configmaps`, { metadata: { name: 'fin', finalizers: ['x/y'] } });
      const d = await t.client.delete(p);
      expect(d.metadata.deletionTimestamp).toBeTruthy();
      expect(d.metadata.deletionGracePeriodSeconds).toBe(0);
      const add = await t.raw('PATCH', p, { contentType: 'application/merge-patch+json', body: { metadata: { finalizers: ['x/y', 'z/w'] } } });
      expect(add.status).toBe(422);
      expect(add.body.message).toContain('no new finalizers can be added if the object is being deleted');
      const gone = await t.client.patch(p, { metadata: { finalizers: null } }, 'merge');
      expect(gone.metadata.name).toBe('fin');
      expect(await t.client.getOrUndefined(p)).toBeUndefined();
    });

    it('preconditions and an immediate delete answer a Success Status', async () => {
      const c = await t.client.create(`/api/v1/namespaces/${NS}/configmaps`, { metadata: { name: 'pre' } });
      const bad = await t.raw('DELETE', `/api/v1/namespaces/${NS}/configmaps/pre`, { body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: 'nope' } } });
      expect(bad.status).toBe(409);
      expect(bad.body.message).toBe(`Operation cannot be fulfilled on configmaps "pre": Precondition failed: UID in precondition: nope, UID in object meta: ${c.metadata.uid}`);
      const ok = await t.raw('DELETE', `/api/v1/namespaces/${NS}/configmaps/pre`, { body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: c.metadata.uid } } });
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'pre', kind: 'configmaps', uid: c.metadata.uid } });
    });

    it('Orphan adds the orphan finalizer; the garbage collector lets the owner go', async () => {
      await t.client.create(`/api/v1/namespaces/${NS}/configmaps`, { metadata: { name: 'orph' } });
      const r = await t.client.delete(`/api/v1/namespaces/${NS}/configmaps/orph`, { propagationPolicy: 'Orphan' });
      expect(r.metadata.finalizers).toEqual(['orphan']);
      await waitFor(async () => (await t.client.getOrUndefined(`/api/v1/namespaces/${NS}/configmaps/orph`)) === undefined, 10_000);
    });

    it('deletecollection with a label selector', async () => {
      for (const n of ['dc1', 'dc2', 'dc3']) await t.client.create(`/api/v1/namespaces/${NS}/configmaps`, { metadata: { name: n, labels: { dc: n === 'dc3' ? 'no' : 'yes' } } });
      const r = await t.raw('DELETE', `/api/v1/namespaces/${NS}/configmaps?labelSelector=dc%3Dyes`);
      expect(r.status).toBe(200);
      expect(r.body.kind).toBe('ConfigMapList');
      expect(r.body.items.map((i: any) => i.metadata.name)).toEqual(['dc1', 'dc2']);
      const left = await t.client.list(`/api/v1/namespaces/${NS}/configmaps`, { labelSelector: 'dc' });
      expect(left.items.map((i: any) => i.metadata.name)).toEqual(['dc3']);
    });
  });

  describe('pods, services and TokenRequest with the controllers running', () => {
    it('binding sets nodeName once; a second binding conflicts', async () => {
      await t.client.create(`/api/v1/namespaces/${NS}/pods`, {
        metadata: { name: 'bound' },
        spec: { schedulerName: 'nobody', containers: [{ name: 'c', image: 'nginx' }] },
      });
      const nodes = await t.client.list('/api/v1/nodes');
      const node = nodes.items[0].metadata.name;
      const b = await t.raw('POST', `/api/v1/namespaces/${NS}/pods/bound/binding`, { body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bound' }, target: { kind: 'Node', name: node } } });
      expect(b.status).toBe(201);
      expect(b.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
      const again = await t.raw('POST', `/api/v1/namespaces/${NS}/pods/bound/binding`, { body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bound' }, target: { kind: 'Node', name: node } } });
      expect(again.status).toBe(409);
      expect(again.body.message).toBe(`Operation cannot be fulfilled on pods/binding "bound": pod bound is already assigned to node "${node}"`);
    });

    it('a bound pod is deleted gracefully: deletionTimestamp first, gone after the kubelet stops it', async () => {
      const pod = await waitFor(async () => {
        const p = await t.client.get(`/api/v1/namespaces/${NS}/pods/bound`);
        return p.status?.phase === 'Running' ? p : undefined;
      }, 20_000);
      expect(pod.spec.nodeName).toBeTruthy();
      const d = await t.client.delete(`/api/v1/namespaces/${NS}/pods/bound`);
      expect(d.metadata.deletionTimestamp).toBeTruthy();
      expect(d.metadata.deletionGracePeriodSeconds).toBe(30);
      await waitFor(async () => (await t.client.getOrUndefined(`/api/v1/namespaces/${NS}/pods/bound`)) === undefined, 20_000);
    });

    it('logs, pod proxy and service proxy reach a running nginx', async () => {
      await t.client.create(`/api/v1/namespaces/${NS}/pods`, {
        metadata: { name: 'web', labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ name: 'http', containerPort: 80 }] }] },
      });
      await t.client.create(`/api/v1/namespaces/${NS}/services`, { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 8080, targetPort: 80 }] } });
      await waitFor(async () => (await t.client.get(`/api/v1/namespaces/${NS}/pods/web`)).status?.phase === 'Running', 20_000);
      const pp = await t.raw('GET', `/api/v1/namespaces/${NS}/pods/web:80/proxy/`);
      expect(pp.status).toBe(200);
      expect(pp.text).toContain('Welcome to nginx!');
      await waitFor(async () => (await t.client.get(`/api/v1/namespaces/${NS}/endpoints/web`)).subsets?.[0]?.addresses?.length, 20_000);
      for (const id of ['web:http', 'web:8080', 'http:web:http']) {
        const sp = await t.raw('GET', `/api/v1/namespaces/${NS}/services/${id}/proxy/index.html`);
        expect(sp.status, id).toBe(200);
        expect(sp.text).toContain('Welcome to nginx!');
      }
      const redirect = await fetch(`${t.sim.url}/api/v1/namespaces/${NS}/services/web:http/proxy`, { headers: { Authorization: `Bearer ${t.sim.adminToken}` }, redirect: 'manual' });
      expect(redirect.status).toBe(301);
      const logs = await t.raw('GET', `/api/v1/namespaces/${NS}/pods/web/log`);
      expect(logs.status).toBe(200);
      expect(logs.headers.get('content-type')).toBe('text/plain');
      expect(logs.text).toMatch(/"GET \/ HTTP\/1.1" 200/);
      const tail = await t.raw('GET', `/api/v1/namespaces/${NS}/pods/web/log?tailLines=1&timestamps=true`);
      expect(tail.text.trim().split('\n')).toHaveLength(1);
      expect(tail.text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z /);
      const noContainer = await t.raw('GET', `/api/v1/namespaces/${NS}/pods/web/log?container=nope`);
      expect(noContainer.status).toBe(400);
      expect(noContainer.body.message).toBe('container nope is not valid for pod web');
    });

    it('a ready pod without a listener: 503 connection refused', async () => {
      await t.client.create(`/api/v1/namespaces/${NS}/pods`, {
        metadata: { name: 'sleeper' },
        spec: { containers: [{ name: 's', image: 'busybox', command: ['sleep', 'infinity'] }] },
      });
      const pod = await waitFor(async () => {
        const p = await t.client.get(`/api/v1/namespaces/${NS}/pods/sleeper`);
        return p.status?.podIP && p.status.phase === 'Running' ? p : undefined;
      }, 20_000);
      const r = await t.raw('GET', `/api/v1/namespaces/${NS}/pods/sleeper:8081/proxy/overview`);
      expect(r.status).toBe(503);
      expect(r.body).toMatchObject({ reason: 'ServiceUnavailable', code: 503, message: `error trying to reach service: dial tcp ${pod.status.podIP}:8081: connect: connection refused` });
    });

    it('TokenRequest issues a bearer token of the ServiceAccount', async () => {
      const r = await t.client.create(`/api/v1/namespaces/${NS}/serviceaccounts/default/token`, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } });
      expect(r.kind).toBe('TokenRequest');
      expect(r.status.token.split('.')).toHaveLength(3);
      const payload = JSON.parse(Buffer.from(r.status.token.split('.')[1], 'base64url').toString());
      expect(payload.sub).toBe(`system:serviceaccount:${NS}:default`);
      const who = await t.raw('GET', `/api/v1/namespaces/${NS}/pods`, { token: r.status.token });
      expect(who.status).toBe(403);
      expect(who.body.message).toBe(`pods is forbidden: User "system:serviceaccount:${NS}:default" cannot list resource "pods" in API group "" in the namespace "${NS}"`);
      const missing = await t.raw('POST', `/api/v1/namespaces/${NS}/serviceaccounts/ghost/token`, { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} } });
      expect(missing.status).toBe(404);
      expect(missing.body.message).toBe('serviceaccounts "ghost" not found');
    });

    it('a ServiceAccount token is checked by its signature: a forged claim, a bad signature or a re-created ServiceAccount get 401', async () => {
      await t.client.create(`/api/v1/namespaces/${NS}/serviceaccounts`, { metadata: { name: 'short-lived' } });
      const tr = await t.client.create(`/api/v1/namespaces/${NS}/serviceaccounts/short-lived/token`, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} });
      const token: string = tr.status.token;
      const [h, p, sig] = token.split('.');
      expect((await t.raw('GET', '/api', { token })).status).toBe(200);
      // the same signature over different claims (another ServiceAccount name) is not accepted
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
      claims['kubernetes.io'].serviceaccount.name = 'default';
      const forged = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${sig}`;
      expect((await t.raw('GET', '/api', { token: forged })).status).toBe(401);
      expect((await t.raw('GET', '/api', { token: `${h}.${p}.${sig.slice(0, -2)}xx` })).status).toBe(401);
      // deleted and re-created under the same name: a new uid, so the old token is dead
      await t.client.delete(`/api/v1/namespaces/${NS}/serviceaccounts/short-lived`);
      await t.client.create(`/api/v1/namespaces/${NS}/serviceaccounts`, { metadata: { name: 'short-lived' } });
      expect((await t.raw('GET', '/api', { token })).status).toBe(401);
    });
  });

  describe('events.k8s.io/v1 and core/v1 Events share storage', () => {
    it('an event written through one API is read, listed and watched through the other', async () => {
      const w: any[] = [];
      const ac = new AbortController();
      const rv = (await t.client.list(`/apis/events.k8s.io/v1/namespaces/${NS}/events`)).metadata.resourceVersion;
      void t.client.watch(`/apis/events.k8s.io/v1/namespaces/${NS}/events`, { resourceVersion: rv }, (e) => w.push(e), ac.signal).catch(() => undefined);
      await t.client.create(`/api/v1/namespaces/${NS}/events`, {
        metadata: { name: 'core-ev' },
        involvedObject: { kind: 'Pod', namespace: NS, name: 'x', apiVersion: 'v1' },
        reason: 'Started',
        message: 'Started container c',
        type: 'Normal',
        source: { component: 'kubelet', host: 'n1' },
        count: 1,
      });
      const v1 = await t.client.get(`/apis/events.k8s.io/v1/namespaces/${NS}/events/core-ev`);
      expect(v1).toMatchObject({
        kind: 'Event',
        apiVersion: 'events.k8s.io/v1',
        reason: 'Started',
        note: 'Started container c',
        regarding: { kind: 'Pod', name: 'x' },
        deprecatedSource: { component: 'kubelet', host: 'n1' },
        deprecatedCount: 1,
      });
      expect(v1.message).toBeUndefined();
      await waitFor(() => w.some((e) => e.object.metadata.name === 'core-ev'));
      ac.abort();
      expect(w.find((e) => e.object.metadata.name === 'core-ev').object.note).toBe('Started container c');

      await t.client.create(`/apis/events.k8s.io/v1/namespaces/${NS}/events`, {
        metadata: { name: 'v1-ev' },
        eventTime: '2026-01-01T00:00:00.000000Z',
        reportingController: 'example.com/ctl',
        reportingInstance: 'ctl-1',
        action: 'Sync',
        reason: 'Synced',
        regarding: { kind: 'Pod', namespace: NS, name: 'x', apiVersion: 'v1' },
        note: 'hello',
        type: 'Normal',
      });
      const core = await t.client.get(`/api/v1/namespaces/${NS}/events/v1-ev`);
      expect(core).toMatchObject({ kind: 'Event', apiVersion: 'v1', message: 'hello', reportingComponent: 'example.com/ctl', involvedObject: { name: 'x' } });
      const list = await t.client.list(`/api/v1/namespaces/${NS}/events`, { fieldSelector: 'involvedObject.name=x' });
      expect(list.items.map((e: any) => e.metadata.name).sort()).toEqual(['core-ev', 'v1-ev']);
      await t.client.patch(`/apis/events.k8s.io/v1/namespaces/${NS}/events/v1-ev`, { note: 'changed' }, 'merge');
      expect((await t.client.get(`/api/v1/namespaces/${NS}/events/v1-ev`)).message).toBe('changed');
    });
  });

  describe('representations', () => {
    it('YAML, PartialObjectMetadata and Table with includeObject', async () => {
      const y = await t.raw('GET', `/api/v1/namespaces/${NS}/configmaps/ordered`, { accept: 'application/yaml' });
      expect(y.headers.get('content-type')).toBe('application/yaml');
      expect(y.text).toMatch(/^kind: ConfigMap$/m);
      const p = await t.raw('GET', `/api/v1/namespaces/${NS}/configmaps`, { accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1' });
      expect(p.body.kind).toBe('PartialObjectMetadataList');
      expect(p.body.items[0].kind).toBe('PartialObjectMetadata');
      const tb = await t.raw('GET', `/api/v1/namespaces/${NS}/configmaps?includeObject=Object`, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
      expect(tb.body.rows[0].object.kind).toBe('ConfigMap');
      const bad = await t.raw('GET', `/api/v1/namespaces/${NS}/configmaps?includeObject=All`, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
      expect(bad.status).toBe(400);
    });

    it('OpenAPI v2 (JSON and protobuf) and v3', async () => {
      const v2 = await t.raw('GET', '/openapi/v2', { accept: 'application/json' });
      expect(v2.body.swagger).toBe('2.0');
      const pb = await fetch(`${t.sim.url}/openapi/v2`, { headers: { Authorization: `Bearer ${t.sim.adminToken}`, Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' } });
      expect(pb.status).toBe(200);
      const buf = Buffer.from(await pb.arrayBuffer());
      expect(buf[0]).toBe(0x0a); // field 1 (swagger), length-delimited
      const idx = await t.raw('GET', '/openapi/v3');
      expect(idx.body.paths['api/v1'].serverRelativeURL).toMatch(/^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}$/);
      const apps = await t.raw('GET', idx.body.paths['apis/apps/v1'].serverRelativeURL);
      expect(apps.status).toBe(200);
      expect(apps.body.openapi).toMatch(/^3\./);
    });
  });
});

describe('control API and persistence', () => {
  it('faults, images, restart; state and tokens survive a restart of the process', async () => {
    let t = await startTestSim({ keepData: true });
    const dataDir = t.dataDir;
    try {
      await t.client.create('/api/v1/namespaces/default/configmaps', { metadata: { name: 'persisted' }, data: { a: '1' } });
      const tr = await t.client.create('/api/v1/namespaces/default/serviceaccounts/default/token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} }).catch(async () => {
        await waitFor(async () => t.client.getOrUndefined('/api/v1/namespaces/default/serviceaccounts/default'));
        return t.client.create('/api/v1/namespaces/default/serviceaccounts/default/token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} });
      });

      // faults
      expect((await t.raw('POST', '/_sim/faults', { body: { failureRate: 1, pathPrefix: '/api/v1/namespaces/default/configmaps' } })).status).toBe(200);
      const failed = await t.raw('GET', '/api/v1/namespaces/default/configmaps');
      expect(failed.status).toBe(500);
      expect(failed.body).toMatchObject({ reason: 'InternalError', code: 500 });
      expect((await t.raw('GET', '/api/v1/namespaces/default/secrets')).status).toBe(200);
      await t.raw('POST', '/_sim/faults', { body: {} });
      expect((await t.raw('GET', '/api/v1/namespaces/default/configmaps')).status).toBe(200);
      // a fault for real creates only: reads and dry runs of the same path still answer
      expect((await t.raw('POST', '/_sim/faults', { body: { failureRate: 1, pathPrefix: '/api/v1/namespaces/default/configmaps', method: 'post', dryRun: false } })).status).toBe(200);
      expect((await t.raw('GET', '/api/v1/namespaces/default/configmaps/persisted')).status).toBe(200);
      expect((await t.raw('POST', '/api/v1/namespaces/default/configmaps?dryRun=All', { body: { metadata: { name: 'dry' } } })).status).toBe(201);
      expect((await t.raw('POST', '/api/v1/namespaces/default/configmaps', { body: { metadata: { name: 'real' } } })).status).toBe(500);
      await t.raw('POST', '/_sim/faults', { body: {} });
      expect((await t.raw('POST', '/api/v1/namespaces/default/configmaps', { body: { metadata: { name: 'real' } } })).status).toBe(201);

      // images
      expect((await t.raw('POST', '/_sim/images', { body: { image: 'example.com/app:1' } })).status).toBe(200);
      expect(t.sim.runtimes.isKnownImage('example.com/app:1')).toBe(true);
      expect(t.sim.runtimes.isKnownImage('example.com/app:2')).toBe(false);

      // apiserver restart drops watches and comes back on the same port
      const url = t.sim.url;
      const seen: string[] = [];
      let outcome: { how: 'ended' } | { how: 'failed'; error: string } | undefined;
      const w = t.client.watch('/api/v1/namespaces/default/configmaps', {}, (e) => seen.push(`${e.type} ${e.object.metadata.name}`)).then(
        () => (outcome = { how: 'ended' }),
        (e) => (outcome = { how: 'failed', error: String(e?.cause ?? e) }),
      );
      // established: a watch without a resourceVersion starts with ADDED for what exists
      await waitFor(() => seen.includes('ADDED persisted'));
      expect(outcome).toBeUndefined();
      expect((await t.raw('POST', '/_sim/apiserver/restart', { body: { downMs: 300 } })).status).toBe(200);
      await w;
      // the server ends each watch response (the stream closes cleanly, as on a graceful shutdown)
      // before it drops the connections: the client sees the end of the stream, not a broken socket
      expect(outcome).toEqual({ how: 'ended' });
      expect(seen.every((s) => s.startsWith('ADDED '))).toBe(true);
      await waitFor(async () => (await fetch(`${url}/healthz`).catch(() => undefined))?.status === 200, 10_000);
      expect(t.sim.url).toBe(url);

      await t.stop();
      t = await startTestSim({ dataDir, keepData: true });
      const cm = await t.client.get('/api/v1/namespaces/default/configmaps/persisted');
      expect(cm.data).toEqual({ a: '1' });
      const who = await t.raw('GET', '/api/v1/namespaces/default/configmaps', { token: tr.status.token });
      expect(who.status).toBe(403); // authenticated (not 401) as the ServiceAccount
      // a watch from before the restart must relist
      const res = await fetch(`${t.sim.url}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1&timeoutSeconds=1`, { headers: { Authorization: `Bearer ${t.sim.adminToken}` } });
      const first = JSON.parse((await res.text()).split('\n')[0]);
      expect(first.type).toBe('ERROR');
      expect(first.object.code).toBe(410);
    } finally {
      await t.stop();
      const { rmSync } = await import('node:fs');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
