// Every object the simulator returns validates against the official v1.28 OpenAPI documents:
// after a scenario that exercises the controllers, the kubelet and Flink (Deployments, ReplicaSets,
// running and failing pods, Services with Endpoints and EndpointSlices, events, leases, HA ConfigMaps,
// TaskManager pods, RBAC), each served kind is listed across all namespaces and every item, list and
// watch event is checked with ajv against swagger.json, unknown fields included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES } from './kube/resources';
import { apiPath } from './kube/client';
import { validateAgainstOpenApi } from './kube/openapi/validate';
import { applyCluster, createNamespaceWithSa, flinkRest, jarForm, podsOf, startFlinkSim, testJar, waitFor, type FlinkTestSim } from './flink/testing';

let t: FlinkTestSim;
const watched: any[] = [];
const stopWatch = new AbortController();

beforeAll(async () => {
  t = await startFlinkSim();
  void t.client.watch('/api/v1/pods', {}, (ev) => watched.push(ev.object), stopWatch.signal).catch(() => undefined);
}, 120_000);
afterAll(async () => {
  stopWatch.abort();
  await t?.stop();
});

const LISTABLE = RESOURCES.filter((r) => !['selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'subjectaccessreviews'].includes(r.plural));

describe('OpenAPI conformance of everything the sim serves', { timeout: 240_000 }, () => {
  it('validates every listed object, list and watch event after a busy scenario', async () => {
    const { client, sim } = t;
    const ns = 'conformance';
    await createNamespaceWithSa(client, ns, 'flink');

    // A plain workload with a Service, and a pod that crashes, and one whose image does not exist.
    await client.create(`/apis/apps/v1/namespaces/${ns}/deployments`, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80, name: 'http' }] }] } },
      },
    });
    await client.create(`/api/v1/namespaces/${ns}/services`, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http', name: 'http' }] },
    });
    for (const [name, image, command] of [
      ['crasher', 'busybox:1.36', ['sh', '-c', 'exit 3']],
      ['typo', 'registry.example.com/team/no-such-image:1.0', ['run']],
    ] as const) {
      await client.create(`/api/v1/namespaces/${ns}/pods`, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name },
        spec: { containers: [{ name: 'main', image, command: [...command] }] },
      });
    }

    // A Flink session cluster with HA and a running job (TaskManager pods, HA ConfigMaps).
    await applyCluster(client, { ns, cid: 'conf-flink', image: 'flink:1.20', sa: 'flink', ha: true });
    await waitFor(async () => (await flinkRest(sim, ns, 'conf-flink', '/config')).status === 200, 'Flink REST');
    const up = await flinkRest(sim, ns, 'conf-flink', '/jars/upload', { method: 'POST', form: jarForm('job.jar', testJar('com.example.Job')) });
    expect(up.status).toBe(200);
    const jarId = String(up.body.filename).split('/').pop();
    expect((await flinkRest(sim, ns, 'conf-flink', `/jars/${jarId}/run`, { method: 'POST', body: {} })).status).toBe(200);
    await waitFor(async () => (await podsOf(client, ns, 'app=conf-flink,component=taskmanager')).some((p) => p.status?.phase === 'Running'), 'a Running TaskManager');
    await waitFor(async () => (await podsOf(client, ns, 'app=web')).filter((p) => p.status?.phase === 'Running').length === 2, 'web pods Running');
    await waitFor(async () => {
      const p = await client.get(`/api/v1/namespaces/${ns}/pods/crasher`);
      return (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1;
    }, 'the crasher restarted');
    await waitFor(async () => {
      const p = await client.get(`/api/v1/namespaces/${ns}/pods/typo`);
      return /ErrImagePull|ImagePullBackOff/.test(p.status?.containerStatuses?.[0]?.state?.waiting?.reason ?? '');
    }, 'the typo pod fails to pull');

    const failures: string[] = [];
    const kindsSeen = new Set<string>();
    for (const rt of LISTABLE) {
      const list = await client.list(apiPath({ group: rt.group, version: rt.version, plural: rt.plural }));
      for (const e of validateAgainstOpenApi(list)) failures.push(`${rt.plural} list: ${e}`);
      for (const item of list.items) {
        kindsSeen.add(rt.kind);
        for (const e of validateAgainstOpenApi(item)) failures.push(`${rt.kind} ${item.metadata?.namespace ?? ''}/${item.metadata?.name}: ${e}`);
      }
      if (list.items[0]) {
        const first = list.items[0];
        const one = await client.get(apiPath({ group: rt.group, version: rt.version, plural: rt.plural, namespace: rt.namespaced ? first.metadata.namespace : undefined, name: first.metadata.name }));
        for (const e of validateAgainstOpenApi(one)) failures.push(`GET ${rt.kind} ${first.metadata.name}: ${e}`);
      }
    }
    for (const obj of watched) for (const e of validateAgainstOpenApi(obj)) failures.push(`watched Pod ${obj.metadata?.name}: ${e}`);

    expect(failures).toEqual([]);
    // The scenario really produced the kinds it is meant to cover.
    for (const kind of ['Deployment', 'ReplicaSet', 'Pod', 'Service', 'Endpoints', 'EndpointSlice', 'Event', 'Lease', 'ConfigMap', 'Node', 'Namespace', 'ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding']) {
      expect(kindsSeen, kind).toContain(kind);
    }
    expect(watched.length).toBeGreaterThan(10);
    const configMaps = (await client.list(`/api/v1/namespaces/${ns}/configmaps`)).items.map((c: any) => c.metadata.name);
    expect(configMaps).toContain('conf-flink-cluster-config-map');
  });
});
