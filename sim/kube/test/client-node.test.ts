// @kubernetes/client-node 1.4.0 (what the dashboard uses) against the sim through its kubeconfig.
import { CoreV1Api, KubeConfig, PatchStrategy, Watch, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, waitFor, type TestSim } from './helpers';

describe('@kubernetes/client-node against the sim', () => {
  let t: TestSim;
  let kc: KubeConfig;
  beforeAll(async () => {
    t = await startTestSim();
    kc = new KubeConfig();
    kc.loadFromFile(t.sim.kubeconfigPath);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('CoreV1Api lists and creates; Watch streams the changes', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const nss = await core.listNamespace();
    expect(nss.items.map((n) => n.metadata?.name)).toEqual(expect.arrayContaining(['default', 'kube-system']));

    const events: [string, string][] = [];
    const watch = new Watch(kc);
    const ac = await watch.watch(
      '/api/v1/namespaces/default/configmaps',
      { resourceVersion: nss.metadata?.resourceVersion },
      (type, obj) => events.push([type, obj.metadata.name]),
      () => undefined,
    );
    try {
      const created = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'from-client-node' }, data: { a: '1' } } });
      expect(created.metadata?.uid).toBeTruthy();
      await core.patchNamespacedConfigMap(
        { namespace: 'default', name: 'from-client-node', body: { data: { a: '2' } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      // client-node's default patch type is JSON patch: an object is rejected as the real server rejects it
      const bad = await core.patchNamespacedConfigMap({ namespace: 'default', name: 'from-client-node', body: { data: { a: '3' } } }).catch((e) => e);
      expect(bad.code).toBe(400);
      expect(JSON.parse(bad.body).message).toBe('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
      await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'from-client-node' });
      await waitFor(() => events.some(([type]) => type === 'DELETED'));
      expect(events.filter(([, n]) => n === 'from-client-node').map(([type]) => type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    } finally {
      ac.abort();
    }

    const err = await core.readNamespacedConfigMap({ namespace: 'default', name: 'nope' }).catch((e) => e);
    expect(err.code).toBe(404);
    expect(JSON.parse(err.body).message).toBe('configmaps "nope" not found');
  });
});
