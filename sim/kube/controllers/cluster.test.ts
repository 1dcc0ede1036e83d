import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespace, events, podSpec, startTestSim, waitFor, type TestSim } from './testing';

let t: TestSim;
const ns = 'cl';
const P = (name = '') => `/api/v1/namespaces/${ns}/pods${name ? '/' + name : ''}`;

beforeAll(async () => {
  t = await startTestSim();
  await createNamespace(t.client, ns);
});
afterAll(async () => {
  await t?.stop();
});

describe('nodes and scheduler', () => {
  it('registers the default nodes with their labels, taints, capacity, conditions and leases', async () => {
    const nodes = (await t.client.list('/api/v1/nodes')).items;
    expect(nodes.map((n: any) => n.metadata.name).sort()).toEqual(['sim-flink-1', 'sim-worker-1', 'sim-worker-2']);
    const w1 = nodes.find((n: any) => n.metadata.name === 'sim-worker-1');
    expect(w1.metadata.labels).toMatchObject({
      'topology.kubernetes.io/zone': 'zone-a',
      'kubernetes.io/hostname': 'sim-worker-1',
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'node.kubernetes.io/instance-type': 'sim.large',
    });
    expect(w1.status.capacity).toMatchObject({ cpu: '8', memory: '32Gi', pods: '110' });
    expect(w1.status.nodeInfo.kubeletVersion).toBe('v1.28.0');
    expect(w1.status.conditions.find((c: any) => c.type === 'Ready')).toMatchObject({ status: 'True', reason: 'KubeletReady' });
    expect(w1.status.addresses.find((a: any) => a.type === 'InternalIP').address).toMatch(/^10\.0\.0\.\d+$/);
    const flink = nodes.find((n: any) => n.metadata.name === 'sim-flink-1');
    expect(flink.metadata.labels.pool).toBe('flink');
    expect(flink.spec.taints).toEqual([{ key: 'dedicated', value: 'flink', effect: 'NoSchedule' }]);
    await waitFor(() => t.client.getOrUndefined('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/sim-worker-1'), 'node lease');
  });

  it('places a pod with nodeSelector and toleration on sim-flink-1', async () => {
    await t.client.create(P(), {
      metadata: { name: 'tm' },
      spec: podSpec({
        nodeSelector: { pool: 'flink' },
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'flink', effect: 'NoSchedule' }],
        containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }],
      }),
    });
    const pod = await waitFor(async () => {
      const p = await t.client.get(P('tm'));
      return p.spec.nodeName && p;
    }, 'bound');
    expect(pod.spec.nodeName).toBe('sim-flink-1');
  });

  it('never places untolerating pods on the tainted node', async () => {
    for (let i = 0; i < 4; i++) await t.client.create(P(), { metadata: { name: `plain-${i}` }, spec: podSpec({ containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }] }) });
    for (let i = 0; i < 4; i++) {
      const p = await waitFor(async () => {
        const p = await t.client.get(P(`plain-${i}`));
        return p.spec.nodeName && p;
      }, 'bound');
      expect(p.spec.nodeName).toMatch(/^sim-worker-/);
    }
  });

  it('reports FailedScheduling with the real message, and schedules when a node appears', async () => {
    await t.client.create(P(), {
      metadata: { name: 'picky' },
      spec: podSpec({
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] }] } } },
        containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }],
      }),
    });
    const ev = await waitFor(async () => (await events(t.client, ns, 'picky')).find((e) => e.reason === 'FailedScheduling'), 'FailedScheduling');
    // The scheduler records through events.k8s.io: the core view has eventTime, action and no source.
    expect(ev).toMatchObject({ type: 'Warning', action: 'Scheduling', reportingComponent: 'default-scheduler', firstTimestamp: null, lastTimestamp: null });
    expect(ev.eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(ev.message).toBe(
      "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: flink}, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..",
    );
    const cond = (await t.client.get(P('picky'))).status.conditions.find((c: any) => c.type === 'PodScheduled');
    expect(cond).toMatchObject({ status: 'False', reason: 'Unschedulable', message: ev.message });

    const res = await fetch(`${t.sim.url}/_sim/nodes`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${t.sim.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'sim-ssd-1', labels: { disk: 'ssd' } }),
    });
    expect(res.status).toBeLessThan(300);
    const p = await waitFor(async () => {
      const p = await t.client.get(P('picky'));
      return p.status.phase === 'Running' && p;
    }, 'picky running');
    expect(p.spec.nodeName).toBe('sim-ssd-1');
  });

  it('rejects pods whose requests fit no node', async () => {
    await t.client.create(P(), { metadata: { name: 'huge' }, spec: podSpec({ containers: [{ name: 'main', image: 'busybox', command: ['sleep', '1'], resources: { requests: { cpu: '64' } } }] }) });
    const ev = await waitFor(async () => (await events(t.client, ns, 'huge')).find((e) => e.reason === 'FailedScheduling'), 'FailedScheduling');
    expect(ev.message).toMatch(/^0\/4 nodes are available: 1 node\(s\) had untolerated taint \{dedicated: flink\}, 3 Insufficient cpu\. preemption: /);
  });
});

describe('endpoints', () => {
  it('Endpoints and EndpointSlices follow pod readiness', async () => {
    await t.client.create(`/api/v1/namespaces/${ns}/services`, { metadata: { name: 'web' }, spec: { selector: { app: 'ep' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } });
    await t.client.create(P(), {
      metadata: { name: 'ep-1', labels: { app: 'ep' } },
      spec: podSpec({ containers: [{ name: 'main', image: 'nginx', ports: [{ name: 'http', containerPort: 80 }], readinessProbe: { httpGet: { path: '/', port: 'http' } } }] }),
    });
    const ep = await waitFor(async () => {
      const e = await t.client.getOrUndefined(`/api/v1/namespaces/${ns}/endpoints/web`);
      return e?.subsets?.[0]?.addresses?.length && e;
    }, 'ready address');
    const pod = await t.client.get(P('ep-1'));
    expect(ep.subsets).toEqual([
      {
        addresses: [{ ip: pod.status.podIP, nodeName: pod.spec.nodeName, targetRef: { kind: 'Pod', namespace: ns, name: 'ep-1', uid: pod.metadata.uid } }],
        ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
      },
    ]);
    const slices = (await t.client.list(`/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`, { labelSelector: 'kubernetes.io/service-name=web' })).items;
    expect(slices).toHaveLength(1);
    expect(slices[0].metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(slices[0].addressType).toBe('IPv4');
    expect(slices[0].endpoints[0]).toMatchObject({ addresses: [pod.status.podIP], conditions: { ready: true, serving: true, terminating: false } });
    expect(slices[0].ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP' }]);

    // A pod that is not ready is listed under notReadyAddresses.
    await t.client.create(P(), {
      metadata: { name: 'ep-2', labels: { app: 'ep' } },
      spec: podSpec({ containers: [{ name: 'main', image: 'busybox', command: ['sleep', '999'], ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: { tcpSocket: { port: 8080 } } }] }),
    });
    const ep2 = await waitFor(async () => {
      const e = await t.client.get(`/api/v1/namespaces/${ns}/endpoints/web`);
      return e.subsets?.some((s: any) => s.notReadyAddresses?.length) && e;
    }, 'not-ready address');
    expect(ep2.subsets.flatMap((s: any) => s.notReadyAddresses ?? []).map((a: any) => a.targetRef.name)).toEqual(['ep-2']);
    const ip2 = (await t.client.get(P('ep-2'))).status.podIP;
    const unhealthy = await waitFor(async () => (await events(t.client, ns, 'ep-2')).find((e) => e.reason === 'Unhealthy'), 'Unhealthy event');
    expect(unhealthy).toMatchObject({ type: 'Warning', message: `Readiness probe failed: dial tcp ${ip2}:8080: connect: connection refused` });
    await t.client.delete(P('ep-1'));
    await waitFor(async () => {
      const e = await t.client.get(`/api/v1/namespaces/${ns}/endpoints/web`);
      return !e.subsets?.some((s: any) => s.addresses?.length);
    }, 'address removed');
  });
});

describe('endpoints of headless services', () => {
  it('publishNotReadyAddresses lists unready pods as ready addresses; headless label is set', async () => {
    await t.client.create(`/api/v1/namespaces/${ns}/services`, {
      metadata: { name: 'hl' },
      spec: { clusterIP: 'None', publishNotReadyAddresses: true, selector: { app: 'hl' }, ports: [{ name: 'rpc', port: 6123 }] },
    });
    await t.client.create(P(), {
      metadata: { name: 'hl-1', labels: { app: 'hl' } },
      spec: podSpec({ containers: [{ name: 'main', image: 'busybox', command: ['sleep', '999'], readinessProbe: { tcpSocket: { port: 6123 } } }] }),
    });
    const ep = await waitFor(async () => {
      const e = await t.client.getOrUndefined(`/api/v1/namespaces/${ns}/endpoints/hl`);
      return e?.subsets?.[0]?.addresses?.length && e;
    }, 'address');
    expect(ep.metadata.labels['service.kubernetes.io/headless']).toBe('');
    expect(ep.subsets[0].ports).toEqual([{ name: 'rpc', port: 6123, protocol: 'TCP' }]);
    const pod = await t.client.get(P('hl-1'));
    expect(pod.status.conditions.find((c: any) => c.type === 'Ready').status).toBe('False');
  });
});

describe('namespaces', () => {
  it('creates default ServiceAccount and kube-root-ca.crt, and deletes contents on namespace deletion', async () => {
    await createNamespace(t.client, 'doomed');
    const cm: any = await waitFor(() => t.client.getOrUndefined('/api/v1/namespaces/doomed/configmaps/kube-root-ca.crt'), 'root CA');
    expect(cm.data['ca.crt']).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    await t.client.create('/api/v1/namespaces/doomed/pods', { metadata: { name: 'p' }, spec: podSpec({ containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }] }) });
    await waitFor(async () => (await t.client.get('/api/v1/namespaces/doomed/pods/p')).status.phase === 'Running', 'running');
    const del = await t.client.delete('/api/v1/namespaces/doomed');
    expect(del.status.phase).toBe('Terminating');
    await waitFor(async () => !(await t.client.getOrUndefined('/api/v1/namespaces/doomed')), 'namespace gone', 30_000);
  });
});

describe('nodes added at the same time', () => {
  it('get distinct pod CIDRs, so their pods get distinct IPs', async () => {
    const names = ['sim-par-1', 'sim-par-2', 'sim-par-3', 'sim-par-4'];
    const answers = await Promise.all(
      names.map((name) =>
        fetch(`${t.sim.url}/_sim/nodes`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${t.sim.adminToken}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ name, labels: { par: name } }),
        }),
      ),
    );
    for (const a of answers) expect(a.status).toBeLessThan(300);
    const nodes = (await t.client.list('/api/v1/nodes')).items;
    const cidrs = nodes.map((n: any) => n.spec.podCIDR);
    expect(new Set(cidrs).size).toBe(cidrs.length);
    for (const name of names) {
      await t.client.create(P(), { metadata: { name: `on-${name}` }, spec: podSpec({ nodeSelector: { par: name }, containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }] }) });
    }
    const ips = await waitFor(async () => {
      const pods = await Promise.all(names.map((name) => t.client.get(P(`on-${name}`))));
      return pods.every((p) => p.status.podIP) && pods.map((p) => p.status.podIP as string);
    }, 'pod IPs');
    expect(new Set(ips).size).toBe(names.length);
  });
});
