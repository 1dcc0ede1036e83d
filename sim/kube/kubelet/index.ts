// The kubelets of the simulated nodes: node registration, node leases, pod workers, the pod
// network and container logs (PodIO, which the API server's proxy and log endpoints use).
import { randomUUID } from 'node:crypto';
import type { KubeClient } from '../client';
import { EventRecorder, isConflict, isNotFound, nowIso } from '../controllers/util';
import type { Informer, InformerFactory, KubeObject } from '../informer';
import type { PodIO, RuntimeRegistry } from '../runtime';
import type { NodeSpec, Timing } from '../types';
import { createGenericRuntime } from './generic-runtime';
import { ContainerLogs, readLog } from './logs';
import { PodNetwork } from './network';
import { PodWorker, type NodeEnv } from './pod-worker';
import { apiSources } from './volumes';

export const DEFAULT_NODES: NodeSpec[] = [
  { name: 'sim-worker-1', labels: { 'topology.kubernetes.io/zone': 'zone-a' } },
  { name: 'sim-worker-2', labels: { 'topology.kubernetes.io/zone': 'zone-b' } },
  { name: 'sim-flink-1', labels: { pool: 'flink' }, taints: [{ key: 'dedicated', value: 'flink', effect: 'NoSchedule' }] },
];

const LEASE_RENEW_MS = 10_000;
const NODE_STATUS_REPORT_MS = 5 * 60_000;

function microTime(): string {
  const iso = new Date().toISOString();
  return `${iso.slice(0, 23)}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}Z`;
}

export function buildNode(spec: NodeSpec, index: number): any {
  const cap = { cpu: spec.capacity?.cpu ?? '8', memory: spec.capacity?.memory ?? '32Gi', pods: spec.capacity?.pods ?? '110' };
  const now = nowIso();
  const cond = (type: string, status: string, reason: string, message: string) => ({ type, status, lastHeartbeatTime: now, lastTransitionTime: now, reason, message });
  const resources = { cpu: cap.cpu, 'ephemeral-storage': '102400Mi', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: cap.memory, pods: cap.pods };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: spec.name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': spec.name,
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': 'sim.large',
        ...(spec.labels ?? {}),
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: {
      podCIDR: `10.244.${index}.0/24`,
      podCIDRs: [`10.244.${index}.0/24`],
      ...(spec.taints?.length ? { taints: spec.taints.map((t) => ({ key: t.key, ...(t.value !== undefined ? { value: t.value } : {}), effect: t.effect })) } : {}),
    },
    status: {
      addresses: [
        { address: `10.0.0.${10 + index}`, type: 'InternalIP' },
        { address: spec.name, type: 'Hostname' },
      ],
      allocatable: resources,
      capacity: resources,
      conditions: [
        cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: 'amd64',
        bootID: randomUUID(),
        containerRuntimeVersion: 'containerd://1.7.1',
        kernelVersion: '6.1.0-sim-amd64',
        kubeProxyVersion: 'v1.28.0',
        kubeletVersion: 'v1.28.0',
        machineID: randomUUID().replace(/-/g, ''),
        operatingSystem: 'linux',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        systemUUID: randomUUID(),
      },
    },
  };
}

function nodeIndex(node: any): number | undefined {
  const m = /^10\.244\.(\d+)\.0\/24$/.exec(node?.spec?.podCIDR ?? '');
  return m ? parseInt(m[1], 10) : undefined;
}

class Kubelet {
  readonly workers = new Map<string, PodWorker>();
  private readonly usedIPs = new Set<string>();
  /** The host part of the last pod IP handed out (2..254). */
  private lastHost = 1;
  private leaseTimer: NodeJS.Timeout | undefined;
  private statusTimer: NodeJS.Timeout | undefined;
  readonly env: NodeEnv;

  constructor(
    readonly nodeName: string,
    readonly index: number,
    private readonly mgr: KubeletManager,
  ) {
    const hostIP = `10.0.0.${10 + index}`;
    this.env = {
      nodeName,
      hostIP,
      client: mgr.client,
      recorder: new EventRecorder(mgr.client, 'kubelet', nodeName),
      runtimes: mgr.runtimes,
      fallbackRuntime: mgr.fallbackRuntime,
      network: mgr.network,
      timing: mgr.timing,
      dataDir: mgr.dataDir,
      apiUrl: mgr.apiUrl,
      sources: apiSources(mgr.client),
      pulledImages: new Set(),
      allocatable: () => mgr.nodeInf.get(undefined, nodeName)?.status?.allocatable ?? {},
      // Round robin from the last address handed out, as the host-local IPAM plugin does: a freed
      // address is not reused at once, so a replacement pod never takes its predecessor's IP (clients
      // that find a leader by address, like Flink HA's, would otherwise reach the wrong pod).
      allocateIP: () => {
        for (let step = 1; step <= 253; step++) {
          const n = ((this.lastHost - 2 + step) % 253) + 2;
          const ip = `10.244.${index}.${n}`;
          if (!this.usedIPs.has(ip)) {
            this.usedIPs.add(ip);
            this.lastHost = n;
            return ip;
          }
        }
        return `10.244.${index}.254`;
      },
      releaseIP: (ip) => void this.usedIPs.delete(ip),
    };
  }

  start(): void {
    void this.renewLease();
    this.leaseTimer = setInterval(() => void this.renewLease(), LEASE_RENEW_MS);
    this.leaseTimer.unref?.();
    // Node status is reported when unchanged every nodeStatusReportFrequency (5m): heartbeat times move on.
    this.statusTimer = setInterval(() => void this.reportNodeStatus(), NODE_STATUS_REPORT_MS);
    this.statusTimer.unref?.();
    for (const p of this.mgr.podInf.list()) this.onPod(p);
  }

  private async reportNodeStatus(): Promise<void> {
    const node = this.mgr.nodeInf.get(undefined, this.nodeName);
    if (!node?.status?.conditions) return;
    const now = nowIso();
    const conditions = node.status.conditions.map((c: any) => ({ ...c, lastHeartbeatTime: now }));
    try {
      await this.mgr.client.patch(`/api/v1/nodes/${this.nodeName}/status`, { status: { conditions } }, 'merge');
    } catch {
      /* reported next time */
    }
  }

  private async renewLease(): Promise<void> {
    const c = this.mgr.client;
    const path = `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${this.nodeName}`;
    try {
      const cur = await c.getOrUndefined(path);
      if (cur) {
        await c.update(path, { ...cur, spec: { ...cur.spec, holderIdentity: this.nodeName, leaseDurationSeconds: 40, renewTime: microTime() } });
      } else {
        const node = this.mgr.nodeInf.get(undefined, this.nodeName);
        await c.create('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: {
            name: this.nodeName,
            namespace: 'kube-node-lease',
            ...(node ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.nodeName, uid: node.metadata.uid }] } : {}),
          },
          spec: { holderIdentity: this.nodeName, leaseDurationSeconds: 40, renewTime: microTime() },
        });
      }
    } catch {
      /* renewed next time */
    }
  }

  onPod(pod: KubeObject): void {
    if (pod.spec?.nodeName !== this.nodeName) return;
    const uid = pod.metadata.uid!;
    let w = this.workers.get(uid);
    if (!w) {
      if (pod.metadata.deletionTimestamp) {
        // Nothing of it runs in this kubelet (finished, never started, or from before a restart).
        void this.mgr.client
          .delete(`/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`, { gracePeriodSeconds: 0, preconditions: { uid } })
          .catch(() => {});
        return;
      }
      if (pod.status?.podIP) this.usedIPs.add(pod.status.podIP);
      // the closure keeps the pod's name, not the pod object (a stale copy per pod otherwise)
      const { namespace, name } = pod.metadata;
      w = new PodWorker(pod, this.env, (container) => this.mgr.logsFor(namespace!, name, uid, container, true));
      this.workers.set(uid, w);
    }
    w.update(pod);
  }

  onPodDeleted(pod: KubeObject): void {
    const w = this.workers.get(pod.metadata.uid!);
    if (!w) return;
    this.workers.delete(pod.metadata.uid!);
    w.kill();
  }

  kickNamespace(ns: string): void {
    for (const w of this.workers.values()) if (w.namespace === ns) w.kick();
  }

  stop(): void {
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    if (this.statusTimer) clearInterval(this.statusTimer);
    for (const w of this.workers.values()) w.kill();
    this.workers.clear();
  }
}

export class KubeletManager {
  readonly network = new PodNetwork();
  readonly kubelets = new Map<string, Kubelet>();
  readonly fallbackRuntime = createGenericRuntime();
  readonly podInf: Informer;
  readonly nodeInf: Informer;
  private readonly logs = new Map<string, { uid: string; containers: Map<string, ContainerLogs> }>();

  constructor(
    readonly client: KubeClient,
    informers: InformerFactory,
    readonly runtimes: RuntimeRegistry,
    readonly timing: Timing,
    readonly dataDir: string,
    readonly apiUrl: string,
  ) {
    this.podInf = informers.get('/api/v1/pods');
    this.nodeInf = informers.get('/api/v1/nodes');
    const cmInf = informers.get('/api/v1/configmaps');
    const secretInf = informers.get('/api/v1/secrets');
    const saInf = informers.get('/api/v1/serviceaccounts');
    const kickNs = (o: KubeObject) => {
      for (const k of this.kubelets.values()) k.kickNamespace(o.metadata.namespace!);
    };
    for (const inf of [cmInf, secretInf, saInf]) inf.on({ add: kickNs, update: (_a, b) => kickNs(b) });
    this.podInf.on({
      add: (p) => this.kubelets.get(p.spec?.nodeName)?.onPod(p),
      update: (_a, p) => this.kubelets.get(p.spec?.nodeName)?.onPod(p),
      delete: (p) => {
        this.kubelets.get(p.spec?.nodeName)?.onPodDeleted(p);
        const key = `${p.metadata.namespace}/${p.metadata.name}`;
        if (this.logs.get(key)?.uid === p.metadata.uid) this.logs.delete(key);
      },
    });
  }

  /** Registers the nodes (when the cluster has none) and starts a kubelet for every node. */
  async start(nodes: NodeSpec[] | undefined): Promise<void> {
    await Promise.all([this.podInf.synced, this.nodeInf.synced]);
    const existing = (await this.client.list('/api/v1/nodes')).items;
    if (!existing.length) for (const spec of nodes?.length ? nodes : DEFAULT_NODES) await this.addNode(spec);
    else for (const n of existing) this.startKubelet(n);
  }

  private startKubelet(node: any): void {
    if (this.kubelets.has(node.metadata.name)) return;
    const idx = nodeIndex(node) ?? this.nextIndex();
    const k = new Kubelet(node.metadata.name, idx, this);
    this.kubelets.set(node.metadata.name, k);
    k.start();
  }

  /** Indexes handed out by addNode whose Node may not be in the informer yet (concurrent adds). */
  private readonly reserved = new Set<number>();

  private nextIndex(): number {
    const used = new Set<number>([...this.kubelets.values()].map((k) => k.index));
    for (const i of this.reserved) used.add(i);
    for (const n of this.nodeInf.list()) {
      const i = nodeIndex(n);
      if (i !== undefined) used.add(i);
    }
    let i = 1;
    while (used.has(i)) i++;
    return i;
  }

  async addNode(spec: NodeSpec): Promise<void> {
    let node: any;
    // Reserved before the first await, so nodes added at the same time get distinct pod CIDRs and IPs.
    const index = this.nextIndex();
    this.reserved.add(index);
    const body = buildNode(spec, index);
    try {
      node = await this.client.create('/api/v1/nodes', body);
    } catch (e) {
      if (!isConflict(e)) throw e;
      this.reserved.delete(index);
      node = await this.client.get(`/api/v1/nodes/${spec.name}`);
    }
    if (!node.status?.conditions?.length) {
      try {
        node = await this.client.update(`/api/v1/nodes/${spec.name}/status`, { ...node, status: body.status });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    this.startKubelet(node);
  }

  logsFor(ns: string, pod: string, uid: string, container: string, create: boolean): ContainerLogs {
    const key = `${ns}/${pod}`;
    let e = this.logs.get(key);
    if (!e || (create && e.uid !== uid)) {
      e = { uid, containers: new Map() };
      this.logs.set(key, e);
    }
    let l = e.containers.get(container);
    if (!l) e.containers.set(container, (l = new ContainerLogs()));
    return l;
  }

  findWorker(ns: string, name: string): PodWorker | undefined {
    const pod = this.podInf.get(ns, name);
    if (!pod) return undefined;
    return this.kubelets.get(pod.spec?.nodeName)?.workers.get(pod.metadata.uid!);
  }

  async kill(ns: string, name: string, container: string | undefined, mode: 'kill' | 'crash'): Promise<void> {
    let w = this.findWorker(ns, name);
    if (!w) {
      // The informer may lag behind the caller's view.
      const pod = await this.client.getOrUndefined(`/api/v1/namespaces/${ns}/pods/${name}`);
      if (!pod) throw new Error(`pods "${name}" not found`);
      w = this.kubelets.get(pod.spec?.nodeName)?.workers.get(pod.metadata.uid);
      if (!w) throw new Error(`pod "${name}" is not running on any node`);
    }
    w.killContainer(container, mode);
  }

  readonly podIO: PodIO = {
    dial: (ip, port) => this.network.dial(ip, port),
    openLog: (ns, podName, container, opts, signal) => {
      const pod = this.podInf.get(ns, podName);
      if (!pod) return `pods "${podName}" not found`;
      if (!pod.spec?.nodeName) {
        // An unscheduled pod has no log location: the API server answers with an empty body.
        return (async function* () {})();
      }
      const names: string[] = (pod.spec?.containers ?? []).map((c: any) => c.name);
      const initNames: string[] = (pod.spec?.initContainers ?? []).map((c: any) => c.name);
      if (!container) {
        if (names.length === 1) container = names[0];
        else
          return `a container name must be specified for pod ${podName}, choose one of: [${names.join(' ')}]${initNames.length ? ` or one of the init containers: [${initNames.join(' ')}]` : ''}`;
      }
      if (!names.includes(container) && !initNames.includes(container)) return `container ${container} is not valid for pod ${podName}`;
      const statuses: any[] = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
      const worker = this.kubelets.get(pod.spec.nodeName)?.workers.get(pod.metadata.uid!);
      const st = worker?.liveContainerStatus(container) ?? statuses.find((s) => s.name === container);
      const e = this.logs.get(`${ns}/${podName}`);
      const logs = e && e.uid === pod.metadata.uid ? e.containers.get(container) : undefined;
      // validateContainerLogStatus: which container instance the kubelet serves.
      const empty = (async function* () {})();
      const lastID: string | undefined = st?.lastState?.terminated?.containerID;
      if (opts.previous) {
        if (!lastID) return `previous terminated container "${container}" in pod "${podName}" not found`;
        const inst = logs?.byContainerID(lastID);
        return inst ? readLog(inst, opts, signal, false) : empty;
      }
      const state = st?.state ?? {};
      if (state.running || state.terminated) {
        const inst = logs?.byContainerID(st.containerID) ?? logs?.current;
        if (!inst) return empty;
        return readLog(inst, opts, signal, !!opts.follow && !!state.running);
      }
      if (lastID) {
        // Waiting to restart (CrashLoopBackOff): the last terminated instance is served.
        const inst = logs?.byContainerID(lastID);
        return inst ? readLog(inst, opts, signal, false) : empty;
      }
      const reason = state.waiting?.reason ?? 'ContainerCreating';
      if (reason === 'ErrImagePull') return `container "${container}" in pod "${podName}" is waiting to start: image can't be pulled`;
      if (reason === 'ImagePullBackOff') return `container "${container}" in pod "${podName}" is waiting to start: trying and failing to pull image`;
      return `container "${container}" in pod "${podName}" is waiting to start: ${reason}`;
    },
  };

  async stop(): Promise<void> {
    for (const k of this.kubelets.values()) k.stop();
    this.kubelets.clear();
  }
}
