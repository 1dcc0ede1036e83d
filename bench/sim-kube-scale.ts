// Scale of the simulated Kubernetes API server (sim/kube): N Deployments x R replicas on M Nodes
// (default 1,000 x 20 = 20,000 pods on 200 nodes), then
//   - latency of a label-selected pod list (in one namespace and across all namespaces),
//   - watch fan-out: W concurrent pod watchers, a burst of U label patches, time from each patch's
//     response (and request) to the event's arrival at each watcher,
//   - RSS of the sim process (VmRSS / VmHWM from /proc/<pid>/status).
// Prints figures and PASS/MISS against the targets (list < 50 ms, p95 fan-out < 100 ms, RSS < 1 GiB).
// Not part of npm test; asserts nothing. Starts its own sim on a free loopback port in a temp folder,
// stops it and removes the folder.
//
//   npx tsx bench/sim-kube-scale.ts                                    # full: 1000 x 20 on 200 nodes
//   npx tsx bench/sim-kube-scale.ts --deployments 50 --replicas 5 --nodes 10 --namespaces 5   # quick
//   npx tsx bench/sim-kube-scale.ts --sim-node-args "--cpu-prof --cpu-prof-dir=/tmp/prof"     # profile the sim
//   npx tsx bench/sim-kube-scale.ts --heap-snapshot /tmp/heap     # heap snapshot of the sim after the load
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  cleanupOnExit,
  flags,
  loadAverage,
  log,
  memoryOf,
  cpuSecondsOf,
  ms,
  okRetry,
  percentiles,
  pool,
  request,
  sleep,
  startSimProcess,
  table,
  watch,
  type WatchHandle,
} from './sim-bench-support';

const f = flags({
  deployments: 1000,
  replicas: 20,
  nodes: 200,
  namespaces: 50,
  concurrency: 16, // Deployment creates in flight
  'wait-min': 15, // give up waiting for pods after this many minutes (then measure what is there)
  runs: 30, // list runs per kind
  watchers: 100,
  updates: 100,
  'burst-concurrency': 20, // patches in flight during the burst
  'sim-node-args': '',
  'sim-args': '', // arguments for sim/main.ts, e.g. "--heap-growing-percent 0"
  'heap-snapshot': '', // a folder: write a V8 heap snapshot of the sim there after the load
});

const TARGET_LIST_MS = 50;
const TARGET_FANOUT_P95_MS = 100;
const TARGET_RSS_MIB = 1024;
const mib = (x: number) => `${x.toFixed(0)} MiB`;

const total = f.deployments * f.replicas;
const nsName = (i: number) => `bench-${String(i).padStart(3, '0')}`;
const depNs = (d: number) => nsName(d % f.namespaces);

log(`sim-kube-scale: ${f.deployments} deployments x ${f.replicas} replicas = ${total} pods, ${f.nodes} nodes, ${f.namespaces} namespaces; load ${loadAverage()}`);
const t0 = performance.now();
const simArgs = f['sim-node-args'] ? f['sim-node-args'].split(/\s+/) : [];
if (f['heap-snapshot']) simArgs.push('--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${path.resolve(f['heap-snapshot'])}`);
const sim = await startSimProcess('kube', simArgs, f['sim-args'] ? f['sim-args'].split(/\s+/) : []);
cleanupOnExit(sim);
log(`sim pid ${sim.pid} at ${sim.url} (${memoryOf(sim.pid).rssMiB.toFixed(0)} MiB RSS at start)`);

// ---- nodes, namespaces, image ----
const podsPerNode = Math.max(110, Math.ceil((total / f.nodes) * 1.5));
// one at a time: nodes added concurrently through POST /_sim/nodes got the same podCIDR (duplicate pod IPs), see README.md
for (let i = 0; i < f.nodes; i++) {
  await okRetry(sim, 'POST', '/_sim/nodes', { name: `bench-node-${String(i).padStart(3, '0')}`, capacity: { cpu: '64', memory: '256Gi', pods: String(podsPerNode) } });
}
await pool(
  Array.from({ length: f.namespaces }, (_, i) => i),
  8,
  async (i) => {
    await okRetry(sim, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: nsName(i) } });
  },
);
log(`${f.nodes} nodes (pods capacity ${podsPerNode}) and ${f.namespaces} namespaces added`);

// ---- track every pod through one all-namespaces watch (as an informer would) ----
const startRv = (await okRetry(sim, 'GET', '/api/v1/pods?limit=1')).metadata.resourceVersion as string;
const phases = new Map<string, string>();
let podWatch: WatchHandle | undefined;
const startPodTracker = (rv: string) => {
  podWatch = watch(sim, `/api/v1/pods?resourceVersion=${rv}&allowWatchBookmarks=true`, (type, obj) => {
    if (type === 'BOOKMARK' || type === 'ERROR') return;
    const key = `${obj.metadata.namespace}/${obj.metadata.name}`;
    if (!obj.metadata.namespace?.startsWith('bench-')) return;
    if (type === 'DELETED') phases.delete(key);
    else phases.set(key, obj.status?.phase ?? 'Pending');
  });
};
startPodTracker(startRv);
await podWatch!.opened;
const counts = () => {
  let running = 0;
  for (const p of phases.values()) if (p === 'Running') running++;
  return { pods: phases.size, running };
};

// ---- Deployments ----
const tCreate = performance.now();
let created = 0;
let lastProgress = 0;
let heapNote = '';
const progress = (force = false) => {
  const now = performance.now();
  if (!force && now - lastProgress < 5000) return;
  lastProgress = now;
  const c = counts();
  log(`deployments ${created}/${f.deployments}, pods ${c.pods}/${total}, Running ${c.running}, ${((now - tCreate) / 1000).toFixed(0)} s, sim RSS ${memoryOf(sim.pid).rssMiB.toFixed(0)} MiB${heapNote}, load ${loadAverage()}`);
  void heapOf().then((h) => (heapNote = ` (V8 heap ${h})`));
};
const progressTimer = setInterval(() => progress(), 1000);
await pool(
  Array.from({ length: f.deployments }, (_, i) => i),
  f.concurrency,
  async (d) => {
    const name = `dep-${d}`;
    await okRetry(sim, 'POST', `/apis/apps/v1/namespaces/${depNs(d)}/deployments`, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, labels: { app: name } },
      spec: {
        replicas: f.replicas,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: {
            terminationGracePeriodSeconds: 1,
            containers: [{ name: 'main', image: 'busybox:1.36', command: ['sleep', '3600'], resources: { requests: { cpu: '10m', memory: '16Mi' } } }],
          },
        },
      },
    });
    created++;
  },
);
const createMs = performance.now() - tCreate;
progress(true);
log(`all ${f.deployments} Deployments created in ${(createMs / 1000).toFixed(1)} s`);

// ---- wait for the pods ----
const deadline = tCreate + f['wait-min'] * 60_000;
let allPodsMs = NaN;
let allRunningMs = NaN;
for (;;) {
  const c = counts();
  if (Number.isNaN(allPodsMs) && c.pods >= total) allPodsMs = performance.now() - tCreate;
  if (c.running >= total) {
    allRunningMs = performance.now() - tCreate;
    break;
  }
  if (performance.now() > deadline) {
    log(`gave up waiting after ${f['wait-min']} min`);
    break;
  }
  await sleep(250);
}
clearInterval(progressTimer);
progress(true);
const settled = counts();
// the authoritative count, from the API
const fullList = await request(sim, 'GET', '/api/v1/pods?labelSelector=app');
const apiPods = (fullList.body.items ?? []).filter((p) => p.metadata.namespace?.startsWith('bench-'));
const apiRunning = apiPods.filter((p) => p.status?.phase === 'Running').length;
podWatch!.close();
const memAfterLoad = memoryOf(sim.pid);
const heapAfterLoad = await heapOf();
log(`API: ${apiPods.length} pods, ${apiRunning} Running; sim RSS ${memAfterLoad.rssMiB.toFixed(0)} MiB (peak ${memAfterLoad.peakMiB.toFixed(0)} MiB)`);
if (f['heap-snapshot']) await heapSnapshot(path.resolve(f['heap-snapshot']));

/** The sim's V8 heap, used / total, from its control API (process.memoryUsage()). */
async function heapOf(): Promise<string> {
  const r = await request(sim, 'GET', '/_sim/info').catch(() => undefined);
  const m = (r?.body as { memory?: unknown } | undefined)?.memory as { heapUsed: number; heapTotal: number; external: number } | undefined;
  return m ? `${mib(m.heapUsed / 2 ** 20)} used of ${mib(m.heapTotal / 2 ** 20)}, external ${mib(m.external / 2 ** 20)}` : 'n/a';
}

/** SIGUSR2 makes the sim write Heap.*.heapsnapshot into the folder; wait until its size settles. */
async function heapSnapshot(dir: string): Promise<void> {
  const before = new Set(readdirSync(dir));
  process.kill(sim.pid, 'SIGUSR2');
  let file = '';
  let size = -1;
  for (;;) {
    await sleep(2000);
    file ||= readdirSync(dir).find((n) => n.endsWith('.heapsnapshot') && !before.has(n)) ?? '';
    if (!file) continue;
    const s = statSync(path.join(dir, file)).size;
    if (s > 0 && s === size) break;
    size = s;
  }
  log(`heap snapshot ${path.join(dir, file)} (${(size / 2 ** 20).toFixed(0)} MiB); summarise with npx tsx bench/heapsnapshot-top.ts`);
}

// ---- label-selected list latency ----
const dep = Math.min(123, f.deployments - 1);
const selector = encodeURIComponent(`app=dep-${dep}`);
const listKinds: [string, string, number][] = [
  [`namespaced list ?labelSelector=app=dep-${dep}`, `/api/v1/namespaces/${depNs(dep)}/pods?labelSelector=${selector}`, f.runs],
  [`all-namespaces list ?labelSelector=app=dep-${dep}`, `/api/v1/pods?labelSelector=${selector}`, f.runs],
  ['all-namespaces list, no selector (informer relist)', '/api/v1/pods', Math.min(5, f.runs)],
];
const listStats: { name: string; items: number; bytes: number; s: ReturnType<typeof percentiles> }[] = [];
for (const [name, p, runs] of listKinds) {
  const xs: number[] = [];
  let items = 0;
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = await request(sim, 'GET', p);
    xs.push(performance.now() - t);
    if (r.status !== 200) throw new Error(`${p} -> ${r.status}`);
    items = r.body.items?.length ?? 0;
    bytes = r.text.length;
  }
  listStats.push({ name, items, bytes, s: percentiles(xs) });
}

// ---- watch fan-out ----
// updated pods: spread over namespaces; half the watchers watch all namespaces, half one namespace
// each (the namespaces of the updated pods, round robin).
const byNs = new Map<string, string[]>();
for (const p of apiPods) {
  if (p.status?.phase !== 'Running' && apiRunning >= f.updates) continue;
  const ns = p.metadata.namespace as string;
  if (!byNs.has(ns)) byNs.set(ns, []);
  byNs.get(ns)!.push(p.metadata.name as string);
}
const nsList = [...byNs.keys()].sort();
const targets: { ns: string; name: string }[] = [];
for (let round = 0; targets.length < f.updates && nsList.length; round++) {
  let added = false;
  for (const ns of nsList) {
    const name = byNs.get(ns)![round];
    if (name && targets.length < f.updates) {
      targets.push({ ns, name });
      added = true;
    }
  }
  if (!added) break;
}
const allNsWatchers = Math.ceil(f.watchers / 2);
const watcherNs: (string | undefined)[] = Array.from({ length: f.watchers }, (_, i) => (i < allNsWatchers ? undefined : nsList[(i - allNsWatchers) % nsList.length]));
const burst = `b${Date.now()}`;
const arrivals: Map<string, number>[] = watcherNs.map(() => new Map());
const rv = (await okRetry(sim, 'GET', '/api/v1/pods?limit=1')).metadata.resourceVersion as string;
const tWatchOpen = performance.now();
const watchers = watcherNs.map((ns, w) =>
  watch(sim, `${ns ? `/api/v1/namespaces/${ns}/pods` : '/api/v1/pods'}?resourceVersion=${rv}`, (type, obj, at) => {
    if (type !== 'MODIFIED' || obj.metadata.labels?.['bench-burst'] !== burst) return;
    const key = `${obj.metadata.namespace}/${obj.metadata.name}`;
    if (!arrivals[w].has(key)) arrivals[w].set(key, at);
  }),
);
await Promise.all(watchers.map((w) => w.opened));
const watchOpenMs = performance.now() - tWatchOpen;
await sleep(500);
const sent = new Map<string, { req: number; resp: number }>();
const tBurst = performance.now();
await pool(targets, f['burst-concurrency'], async (t) => {
  const key = `${t.ns}/${t.name}`;
  const req = performance.now();
  const r = await request(sim, 'PATCH', `/api/v1/namespaces/${t.ns}/pods/${t.name}`, { metadata: { labels: { 'bench-burst': burst } } }, 'application/merge-patch+json');
  if (r.status !== 200) throw new Error(`patch ${key} -> ${r.status}: ${r.text.slice(0, 300)}`);
  sent.set(key, { req, resp: performance.now() });
});
const burstMs = performance.now() - tBurst;
const expected = watcherNs.reduce((n, ns) => n + targets.filter((t) => !ns || t.ns === ns).length, 0);
const deliveredCount = () => arrivals.reduce((n, m) => n + m.size, 0);
const fanDeadline = performance.now() + 60_000;
while (deliveredCount() < expected && performance.now() < fanDeadline) await sleep(50);
for (const w of watchers) w.close();
const sinceResp: number[] = [];
const sinceReq: number[] = [];
const spread: number[] = [];
let early = 0;
const firstArrival = new Map<string, number>();
arrivals.forEach((m) => {
  for (const [key, at] of m) firstArrival.set(key, Math.min(at, firstArrival.get(key) ?? Infinity));
});
arrivals.forEach((m) => {
  for (const [key, at] of m) {
    const s = sent.get(key);
    if (!s) continue;
    sinceResp.push(at - s.resp);
    sinceReq.push(at - s.req);
    spread.push(at - firstArrival.get(key)!);
    if (at < s.resp) early++;
  }
});
const fanResp = percentiles(sinceResp);
const fanReq = percentiles(sinceReq);
const fanSpread = percentiles(spread);
const memEnd = memoryOf(sim.pid);
const heapEnd = await heapOf();
const cpuTotal = cpuSecondsOf(sim.pid);

// ---- report ----
console.log('');
console.log(`== sim-kube-scale ${new Date().toISOString()} load ${loadAverage()} ==`);
console.log(
  table([
    ['scale', 'value'],
    ['deployments x replicas', `${f.deployments} x ${f.replicas} = ${total} (in ${f.namespaces} namespaces)`],
    ['nodes', `${f.nodes} (+ the sim's 3 default nodes)`],
    ['pods in the API / Running', `${apiPods.length} / ${apiRunning}`],
    ['create Deployments', `${(createMs / 1000).toFixed(1)} s (${f.concurrency} in flight)`],
    ['all pods exist after', Number.isNaN(allPodsMs) ? `not reached (${settled.pods} pods)` : `${(allPodsMs / 1000).toFixed(1)} s`],
    ['all pods Running after', Number.isNaN(allRunningMs) ? `not reached (${settled.running} Running)` : `${(allRunningMs / 1000).toFixed(1)} s`],
    ['sim CPU time, whole run', `${cpuTotal.toFixed(1)} s`],
  ]),
);
console.log('');
console.log(
  table([
    ['list', 'items', 'bytes', 'runs', 'p50', 'p95', 'max'],
    ...listStats.map((l) => [l.name, l.items, l.bytes, l.s.n, ms(l.s.p50), ms(l.s.p95), ms(l.s.max)]),
  ]),
);
console.log('');
console.log(
  table([
    ['watch fan-out', 'deliveries', 'p50', 'p95', 'max'],
    [`from patch response`, `${sinceResp.length}/${expected}`, ms(fanResp.p50), ms(fanResp.p95), ms(fanResp.max)],
    [`from patch request`, `${sinceReq.length}/${expected}`, ms(fanReq.p50), ms(fanReq.p95), ms(fanReq.max)],
    [`from the event's first arrival`, `${spread.length}/${expected}`, ms(fanSpread.p50), ms(fanSpread.p95), ms(fanSpread.max)],
  ]),
);
console.log(
  `(${f.watchers} watchers: ${allNsWatchers} all-namespaces + ${f.watchers - allNsWatchers} per-namespace, opened in ${watchOpenMs.toFixed(0)} ms; ${targets.length} label patches in ${burstMs.toFixed(0)} ms, ${f['burst-concurrency']} in flight; ${early} deliveries arrived before their patch's response)`,
);
console.log('');
console.log(
  table([
    ['memory', 'value'],
    ['sim RSS after load', mib(memAfterLoad.rssMiB)],
    ['sim V8 heap after load', heapAfterLoad],
    ['sim RSS at end', mib(memEnd.rssMiB)],
    ['sim V8 heap at end', heapEnd],
    ['sim peak RSS (VmHWM)', mib(memEnd.peakMiB)],
  ]),
);
console.log('');
const sel = Math.max(listStats[0].s.p95, listStats[1].s.p95);
const verdict = (okay: boolean) => (okay ? 'PASS' : 'MISS');
console.log(
  table([
    ['target', 'measured', ''],
    [`selected list p95 < ${TARGET_LIST_MS} ms`, ms(sel), verdict(sel < TARGET_LIST_MS)],
    [`fan-out p95 < ${TARGET_FANOUT_P95_MS} ms (from response)`, ms(fanResp.p95), verdict(fanResp.p95 < TARGET_FANOUT_P95_MS && sinceResp.length === expected)],
    [`sim RSS < ${TARGET_RSS_MIB} MiB (peak)`, mib(memEnd.peakMiB), verdict(memEnd.peakMiB < TARGET_RSS_MIB)],
    [`${total} pods Running`, `${apiRunning}`, verdict(apiRunning >= total)],
  ]),
);
if (total !== f.deployments * f.replicas || f.deployments < 1000) console.log(`(scaled-down run: the targets are for 1000 x 20 on 200 nodes)`);
log(`total wall time ${((performance.now() - t0) / 1000).toFixed(0)} s; stopping the sim`);
await sim.stop();
process.exit(0);
