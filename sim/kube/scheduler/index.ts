// The scheduler (kube-scheduler's default profile, reduced): filters nodes by readiness,
// nodeSelector / required node affinity, taints, resources and pod count; scores least-allocated
// (PreferNoSchedule taints lower the score); binds through pods/binding.
import type { KubeClient } from '../client';
import type { InformerFactory, KubeObject } from '../informer';
import { keyOf } from '../informer';
import { EventRecorder, WorkQueue, isConflict, isNotFound, nowIso, parseQuantity } from '../controllers/util';
import type { Timing } from '../types';

interface Taint {
  key: string;
  value?: string;
  effect: string;
}

function tolerates(tolerations: any[], taint: Taint): boolean {
  return (tolerations ?? []).some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

function matchExpr(labels: Record<string, string>, e: { key: string; operator: string; values?: string[] }): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, e.key);
  const v = labels[e.key];
  switch (e.operator) {
    case 'In':
      return has && (e.values ?? []).includes(v);
    case 'NotIn':
      return !has || !(e.values ?? []).includes(v);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
      return has && /^-?\d+$/.test(v) && parseInt(v, 10) > parseInt(e.values?.[0] ?? '', 10);
    case 'Lt':
      return has && /^-?\d+$/.test(v) && parseInt(v, 10) < parseInt(e.values?.[0] ?? '', 10);
    default:
      return false;
  }
}

function matchFields(node: KubeObject, e: { key: string; operator: string; values?: string[] }): boolean {
  if (e.key !== 'metadata.name') return false;
  return matchExpr({ 'metadata.name': node.metadata.name }, e);
}

export function nodeMatchesPod(pod: any, node: KubeObject): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries<string>(pod.spec?.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const req = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (req?.nodeSelectorTerms?.length) {
    const ok = req.nodeSelectorTerms.some(
      (term: any) =>
        (term.matchExpressions?.length || term.matchFields?.length) &&
        (term.matchExpressions ?? []).every((e: any) => matchExpr(labels, e)) &&
        (term.matchFields ?? []).every((e: any) => matchFields(node, e)),
    );
    if (!ok) return false;
  }
  return true;
}

export function podRequests(pod: any): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  for (const c of pod.spec?.containers ?? []) {
    cpu += parseQuantity(c.resources?.requests?.cpu ?? c.resources?.limits?.cpu);
    memory += parseQuantity(c.resources?.requests?.memory ?? c.resources?.limits?.memory);
  }
  for (const c of pod.spec?.initContainers ?? []) {
    cpu = Math.max(cpu, parseQuantity(c.resources?.requests?.cpu ?? c.resources?.limits?.cpu));
    memory = Math.max(memory, parseQuantity(c.resources?.requests?.memory ?? c.resources?.limits?.memory));
  }
  for (const [k, v] of Object.entries<string>(pod.spec?.overhead ?? {})) {
    if (k === 'cpu') cpu += parseQuantity(v);
    if (k === 'memory') memory += parseQuantity(v);
  }
  return { cpu, memory };
}

function nodeReady(node: any): boolean {
  return (node.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
}

/** Filter reasons, worded as the scheduler's plugins word them. */
type Reason = string;

export function startScheduler(client: KubeClient, informers: InformerFactory, timing: Timing): () => void {
  const podInf = informers.get('/api/v1/pods');
  const nodeInf = informers.get('/api/v1/nodes');
  const recorder = new EventRecorder(client, 'default-scheduler', undefined, { reportingInstance: 'default-scheduler-sim-control-plane' });
  const queue = new WorkQueue('scheduler', schedule, 4);
  // Pods bound by us but not yet observed as bound: count them on their node.
  const assumed = new Map<string, { node: string; cpuN: number; mem: number; at: number }>();
  const unschedulable = new Set<string>();
  const lastFailure = new Map<string, string>();

  // Per-node requested resources of bound, non-terminal pods (kube-scheduler's NodeInfo cache),
  // maintained from the pod informer's events; requests are parsed once per pod. Sums are kept in
  // integer nano-cores / bytes so adding and removing pods leaves no floating-point residue.
  interface Contribution { node: string; uid: string | undefined; cpuN: number; mem: number }
  const contribs = new Map<string, Contribution>(); // pod key -> its share of a node
  const nodeUsage = new Map<string, { cpuN: number; mem: number; pods: number }>();
  const toNano = (cpu: number) => Math.round(cpu * 1e9);
  const uncount = (key: string) => {
    const c = contribs.get(key);
    if (!c) return undefined;
    contribs.delete(key);
    const u = nodeUsage.get(c.node)!;
    u.cpuN -= c.cpuN;
    u.mem -= c.mem;
    u.pods--;
    if (!u.pods) nodeUsage.delete(c.node);
    return c;
  };
  const count = (p: KubeObject) => {
    const key = keyOf(p);
    const prev = uncount(key);
    const nodeName = p.spec?.nodeName;
    if (!nodeName || p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') return;
    let c: Contribution;
    if (prev && prev.uid === p.metadata.uid) c = { ...prev, node: nodeName };
    else {
      const r = podRequests(p);
      c = { node: nodeName, uid: p.metadata.uid, cpuN: toNano(r.cpu), mem: r.memory };
    }
    contribs.set(key, c);
    let u = nodeUsage.get(nodeName);
    if (!u) nodeUsage.set(nodeName, (u = { cpuN: 0, mem: 0, pods: 0 }));
    u.cpuN += c.cpuN;
    u.mem += c.mem;
    u.pods++;
  };
  podInf.on({ add: count, update: (_a, b) => count(b), delete: (p) => void uncount(keyOf(p)) });

  // Allocatable parsed once per node version.
  const allocCache = new Map<string, { rv: string | undefined; maxPods: number; cpuCap: number; memCap: number }>();
  function allocatable(node: KubeObject) {
    const c = allocCache.get(node.metadata.name);
    if (c && c.rv === node.metadata.resourceVersion) return c;
    const alloc = node.status?.allocatable ?? node.status?.capacity ?? {};
    const fresh = { rv: node.metadata.resourceVersion, maxPods: parseQuantity(alloc.pods ?? '110'), cpuCap: parseQuantity(alloc.cpu ?? '0'), memCap: parseQuantity(alloc.memory ?? '0') };
    allocCache.set(node.metadata.name, fresh);
    return fresh;
  }
  nodeInf.on({ delete: (n) => void allocCache.delete(n.metadata.name) });

  /** Assumed pods (bound by us, not yet seen bound) per node, expiring stale ones. */
  function assumedByNode(): Map<string, { cpuN: number; mem: number; pods: number }> {
    const out = new Map<string, { cpuN: number; mem: number; pods: number }>();
    const now = Date.now();
    for (const [k, a] of assumed) {
      if (now - a.at > 30000) {
        assumed.delete(k);
        continue;
      }
      if (contribs.get(k)?.node === a.node) continue; // already counted from the informer
      let u = out.get(a.node);
      if (!u) out.set(a.node, (u = { cpuN: 0, mem: 0, pods: 0 }));
      u.cpuN += a.cpuN;
      u.mem += a.mem;
      u.pods++;
    }
    return out;
  }

  function usage(nodeName: string, extra: Map<string, { cpuN: number; mem: number; pods: number }>): { cpu: number; memory: number; pods: number } {
    const u = nodeUsage.get(nodeName);
    const x = extra.get(nodeName);
    const cpuN = (u?.cpuN ?? 0) + (x?.cpuN ?? 0);
    return { cpu: cpuN / 1e9, memory: (u?.mem ?? 0) + (x?.mem ?? 0), pods: (u?.pods ?? 0) + (x?.pods ?? 0) };
  }

  const wants = (p: KubeObject) =>
    !p.spec?.nodeName && !p.metadata.deletionTimestamp && (p.spec?.schedulerName ?? 'default-scheduler') === 'default-scheduler' && p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded';
  const later = (p: KubeObject) => queue.addAfter(keyOf(p), timing.schedulerDelayMs);
  const retryUnschedulable = () => {
    for (const k of unschedulable) queue.add(k);
  };

  podInf.on({
    add: (p) => {
      if (wants(p)) later(p);
    },
    update: (a, b) => {
      if (b.spec?.nodeName) {
        assumed.delete(keyOf(b));
        unschedulable.delete(keyOf(b));
        if (!a.spec?.nodeName) return;
      }
      if (wants(b) && !unschedulable.has(keyOf(b))) later(b);
      // Resources freed by a pod ending may let others fit.
      if ((b.status?.phase === 'Succeeded' || b.status?.phase === 'Failed') && a.status?.phase !== b.status?.phase) retryUnschedulable();
    },
    delete: (p) => {
      assumed.delete(keyOf(p));
      unschedulable.delete(keyOf(p));
      lastFailure.delete(keyOf(p));
      if (p.spec?.nodeName) retryUnschedulable();
    },
  });
  nodeInf.on({ add: retryUnschedulable, update: retryUnschedulable });

  async function schedule(key: string): Promise<void> {
    const [ns, name] = key.split('/');
    const pod = podInf.get(ns, name);
    if (!pod || !wants(pod) || assumed.has(key)) return;
    const nodes = nodeInf.list();
    const reasons = new Map<Reason, number>();
    const add = (r: Reason) => reasons.set(r, (reasons.get(r) ?? 0) + 1);
    const feasible: { node: KubeObject; score: number }[] = [];
    const req = podRequests(pod);
    const extra = assumedByNode();
    for (const node of nodes) {
      const taints: Taint[] = node.spec?.taints ?? [];
      if (node.spec?.unschedulable && !tolerates(pod.spec?.tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })) {
        add('node(s) were unschedulable');
        continue;
      }
      if (!nodeReady(node)) {
        const t = { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' };
        if (!tolerates(pod.spec?.tolerations, t)) {
          add('node(s) had untolerated taint {node.kubernetes.io/not-ready: }');
          continue;
        }
      }
      // Filter plugins run in the default profile's order: TaintToleration before NodeAffinity.
      const bad = taints.find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(pod.spec?.tolerations, t));
      if (bad) {
        add(`node(s) had untolerated taint {${bad.key}: ${bad.value ?? ''}}`);
        continue;
      }
      if (!nodeMatchesPod(pod, node)) {
        add("node(s) didn't match Pod's node affinity/selector");
        continue;
      }
      const u = usage(node.metadata.name, extra);
      const { maxPods, cpuCap, memCap } = allocatable(node);
      let fits = true;
      if (u.pods + 1 > maxPods) {
        add('Too many pods');
        fits = false;
      }
      if (req.cpu > 0 && u.cpu + req.cpu > cpuCap + 1e-9) {
        add('Insufficient cpu');
        fits = false;
      }
      if (req.memory > 0 && u.memory + req.memory > memCap) {
        add('Insufficient memory');
        fits = false;
      }
      if (!fits) continue;
      // NodeResourcesFit LeastAllocated: free fraction averaged over cpu and memory.
      const cpuFree = cpuCap ? (cpuCap - u.cpu - req.cpu) / cpuCap : 0;
      const memFree = memCap ? (memCap - u.memory - req.memory) / memCap : 0;
      let score = ((cpuFree + memFree) / 2) * 100 - u.pods * 0.01;
      const preferNo = taints.filter((t) => t.effect === 'PreferNoSchedule' && !tolerates(pod.spec?.tolerations, t)).length;
      score -= preferNo * 50;
      feasible.push({ node, score });
    }
    if (!feasible.length) {
      await markUnschedulable(pod, nodes.length, reasons);
      return;
    }
    feasible.sort((a, b) => b.score - a.score || a.node.metadata.name.localeCompare(b.node.metadata.name));
    const best = feasible.filter((f) => f.score === feasible[0].score);
    const target = best[Math.floor(Math.random() * best.length)].node;
    assumed.set(key, { node: target.metadata.name, cpuN: toNano(req.cpu), mem: req.memory, at: Date.now() });
    try {
      await client.create(`/api/v1/namespaces/${ns}/pods/${name}/binding`, {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name, namespace: ns, uid: pod.metadata.uid },
        target: { apiVersion: 'v1', kind: 'Node', name: target.metadata.name },
      });
    } catch (e) {
      assumed.delete(key);
      if (isNotFound(e) || isConflict(e)) return;
      throw e;
    }
    unschedulable.delete(key);
    lastFailure.delete(key);
    void recorder.record(pod, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${name} to ${target.metadata.name}`, undefined, 'Binding');
  }

  async function markUnschedulable(pod: KubeObject, total: number, reasons: Map<string, number>): Promise<void> {
    const key = keyOf(pod);
    unschedulable.add(key);
    const parts = [...reasons.entries()].map(([r, n]) => `${n} ${r}`).sort();
    const message = `0/${total} nodes are available${parts.length ? ': ' + parts.join(', ') : ''}. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling..`;
    const prevCond = (pod.status?.conditions ?? []).find((c: any) => c.type === 'PodScheduled');
    if (lastFailure.get(key) !== message || !prevCond || prevCond.message !== message) {
      lastFailure.set(key, message);
      void recorder.record(pod, 'Warning', 'FailedScheduling', message, undefined, 'Scheduling');
      const conditions = (pod.status?.conditions ?? []).filter((c: any) => c.type !== 'PodScheduled');
      conditions.push({ type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: prevCond?.status === 'False' ? prevCond.lastTransitionTime : nowIso(), reason: 'Unschedulable', message });
      try {
        await client.patch(`/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}/status`, { status: { conditions, phase: 'Pending' } }, 'merge');
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    // Periodic retry, as the scheduler's unschedulable queue flushes every 5 minutes (here: faster).
    queue.addAfter(key, Math.max(timing.backoffMaxMs, 1000));
  }

  return () => queue.stop();
}
