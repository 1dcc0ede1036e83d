// The endpoints controller and the endpointslice controller: one Endpoints object and one
// EndpointSlice per Service with a selector, from the pods it selects.
import type { KubeClient } from '../client';
import type { InformerFactory, KubeObject } from '../informer';
import { keyOf } from '../informer';
import { WorkQueue, isNotFound, matchesMap, nowIso, podIsReady } from './util';

const SERVICE_NAME = 'kubernetes.io/service-name';
const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
const SLICE_CONTROLLER = 'endpointslice-controller.k8s.io';

interface PortSpec {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

function resolvePort(svcPort: any, pod: any): number | undefined {
  const tp = svcPort.targetPort ?? svcPort.port;
  if (typeof tp === 'number') return tp;
  if (/^\d+$/.test(String(tp))) return parseInt(String(tp), 10);
  for (const c of pod.spec?.containers ?? []) for (const p of c.ports ?? []) if (p.name === tp && (p.protocol ?? 'TCP') === (svcPort.protocol ?? 'TCP')) return p.containerPort;
  return undefined;
}

export function startEndpointsController(client: KubeClient, informers: InformerFactory): () => void {
  const svcInf = informers.get('/api/v1/services');
  const podInf = informers.get('/api/v1/pods');
  const epInf = informers.get('/api/v1/endpoints');
  const sliceInf = informers.get('/apis/discovery.k8s.io/v1/endpointslices');
  const nodeInf = informers.get('/api/v1/nodes');
  const queue = new WorkQueue('endpoints', sync);

  svcInf.on({ add: (o) => queue.add(keyOf(o)), update: (_a, b) => queue.add(keyOf(b)), delete: (o) => queue.add(keyOf(o)) });
  const podChanged = (p: KubeObject, old?: KubeObject) => {
    for (const s of svcInf.list()) {
      if (s.metadata.namespace !== p.metadata.namespace) continue;
      if (matchesMap(s.spec?.selector, p.metadata.labels) || (old && matchesMap(s.spec?.selector, old.metadata.labels))) queue.add(keyOf(s));
    }
  };
  podInf.on({ add: (p) => podChanged(p), update: (a, b) => podChanged(b, a), delete: (p) => podChanged(p) });
  epInf.on({ delete: (o) => svcInf.get(o.metadata.namespace, o.metadata.name) && queue.add(keyOf(o)) });
  sliceInf.on({
    delete: (o) => {
      const svc = o.metadata.labels?.[SERVICE_NAME];
      if (svc && svcInf.get(o.metadata.namespace, svc)) queue.add(`${o.metadata.namespace}/${svc}`);
    },
  });

  async function sync(key: string): Promise<void> {
    const [ns, name] = key.split('/');
    const svc = svcInf.get(ns, name);
    if (!svc || !svc.spec?.selector || !Object.keys(svc.spec.selector).length) {
      // Service gone (the GC removes its slices through ownerReferences); Endpoints have no owner.
      if (!svc && epInf.get(ns, name)) {
        try {
          await client.delete(`/api/v1/namespaces/${ns}/endpoints/${name}`);
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      }
      return;
    }
    if (svc.metadata.deletionTimestamp) return;
    const selected = podInf
      .list()
      .filter((p) => p.metadata.namespace === ns && matchesMap(svc.spec.selector, p.metadata.labels) && p.status?.podIP && p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded')
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    const publishNotReady = !!svc.spec.publishNotReadyAddresses;
    // Endpoints drop terminating pods (unless publishNotReadyAddresses); slices keep them with terminating=true.
    await syncEndpoints(svc, selected.filter((p) => publishNotReady || !p.metadata.deletionTimestamp), publishNotReady);
    await syncSlice(svc, selected, publishNotReady);
  }

  async function syncEndpoints(svc: KubeObject, pods: KubeObject[], publishNotReady: boolean): Promise<void> {
    const ns = svc.metadata.namespace!;
    const svcPorts: any[] = svc.spec.ports ?? [];
    // Group addresses by the resolved port set, as the endpoints controller's RepackSubsets does.
    const subsets = new Map<string, { ports: PortSpec[]; addresses: any[]; notReadyAddresses: any[] }>();
    for (const p of pods) {
      const ports: PortSpec[] = [];
      for (const sp of svcPorts) {
        const port = resolvePort(sp, p);
        if (port === undefined) continue;
        ports.push({ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
      }
      if (svcPorts.length && !ports.length) continue;
      const addr = {
        ip: p.status.podIP,
        ...(p.spec?.hostname ? { hostname: p.spec.hostname } : {}),
        nodeName: p.spec?.nodeName,
        targetRef: { kind: 'Pod', namespace: ns, name: p.metadata.name, uid: p.metadata.uid },
      };
      const k = JSON.stringify(ports);
      let s = subsets.get(k);
      if (!s) subsets.set(k, (s = { ports, addresses: [], notReadyAddresses: [] }));
      if (publishNotReady || podIsReady(p)) s.addresses.push(addr);
      else s.notReadyAddresses.push(addr);
    }
    const out = [...subsets.values()].map((s) => ({
      ...(s.addresses.length ? { addresses: s.addresses.sort((a, b) => a.ip.localeCompare(b.ip)) } : {}),
      ...(s.notReadyAddresses.length ? { notReadyAddresses: s.notReadyAddresses.sort((a, b) => a.ip.localeCompare(b.ip)) } : {}),
      ...(s.ports.length ? { ports: s.ports } : {}),
    }));
    const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
    if (svc.spec.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
    const existing = epInf.get(ns, svc.metadata.name);
    if (existing) {
      if (JSON.stringify(existing.subsets ?? []) === JSON.stringify(out) && JSON.stringify(existing.metadata.labels ?? {}) === JSON.stringify(labels)) return;
      const copy = structuredClone(existing);
      copy.metadata.labels = labels;
      copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}), 'endpoints.kubernetes.io/last-change-trigger-time': nowIso() };
      if (out.length) copy.subsets = out;
      else delete copy.subsets;
      await client.update(`/api/v1/namespaces/${ns}/endpoints/${svc.metadata.name}`, copy);
    } else {
      await client.create(`/api/v1/namespaces/${ns}/endpoints`, {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name: svc.metadata.name, namespace: ns, labels, annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': nowIso() } },
        ...(out.length ? { subsets: out } : {}),
      });
    }
  }

  const zoneOf = (node: string | undefined): string | undefined => (node ? nodeInf.get(undefined, node)?.metadata.labels?.['topology.kubernetes.io/zone'] : undefined);

  async function syncSlice(svc: KubeObject, pods: KubeObject[], publishNotReady: boolean): Promise<void> {
    const ns = svc.metadata.namespace!;
    const svcPorts: any[] = svc.spec.ports ?? [];
    const ports: any[] = [];
    const endpoints: any[] = [];
    for (const p of pods) {
      const ready = podIsReady(p);
      const terminating = !!p.metadata.deletionTimestamp;
      endpoints.push({
        addresses: [p.status.podIP],
        conditions: { ready: publishNotReady ? true : ready && !terminating, serving: ready, terminating },
        ...(p.spec?.hostname ? { hostname: p.spec.hostname } : {}),
        targetRef: { kind: 'Pod', namespace: ns, name: p.metadata.name, uid: p.metadata.uid },
        ...(p.spec?.nodeName ? { nodeName: p.spec.nodeName } : {}),
        ...(zoneOf(p.spec?.nodeName) ? { zone: zoneOf(p.spec?.nodeName) } : {}),
      });
    }
    const first = pods[0];
    for (const sp of svcPorts) {
      const port = first ? resolvePort(sp, first) : undefined;
      ports.push({ name: sp.name ?? '', port: port ?? null, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
    }
    const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}), [SERVICE_NAME]: svc.metadata.name, [MANAGED_BY]: SLICE_CONTROLLER };
    if (svc.spec.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
    const mine = sliceInf.list().filter((s) => s.metadata.namespace === ns && s.metadata.labels?.[SERVICE_NAME] === svc.metadata.name && s.metadata.labels?.[MANAGED_BY] === SLICE_CONTROLLER);
    const body = {
      addressType: 'IPv4',
      endpoints: endpoints.length ? endpoints : null,
      ...(endpoints.length && ports.length ? { ports } : {}),
    };
    const [keep, ...extra] = mine;
    for (const s of extra) {
      try {
        await client.delete(`/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices/${s.metadata.name}`);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    if (keep) {
      if (JSON.stringify(keep.endpoints ?? null) === JSON.stringify(body.endpoints) && JSON.stringify(keep.ports ?? null) === JSON.stringify((body as any).ports ?? null)) return;
      const copy = { ...structuredClone(keep), ...body };
      if (!('ports' in body)) delete copy.ports;
      copy.metadata.labels = labels;
      copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}), 'endpoints.kubernetes.io/last-change-trigger-time': nowIso() };
      await client.update(`/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices/${keep.metadata.name}`, copy);
    } else {
      await client.create(`/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`, {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          generateName: `${svc.metadata.name}-`,
          namespace: ns,
          labels,
          annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': nowIso() },
          ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: svc.metadata.name, uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }],
        },
        ...body,
      });
    }
  }

  return () => queue.stop();
}
