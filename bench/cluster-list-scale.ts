// The cluster list at scale (issue 11): D JobManager Deployments and P TaskManager pods in the sim,
// the app (scripts/start.mjs, building if needed) pointed at it, and Debian's chromium through
// Playwright. Prints, asserting nothing:
//   1. first render: navigation to /clusters?namespace=_all until the table shows rows and
//      "<D> found" (every row is in the list; the DOM holds the visible ones: virtualized);
//   2. the Next server's RSS (VmRSS/VmHWM of every process of the app's tree) after that;
//   3. kubectl change → DOM: `kubectl create` of a TaskManager pod for a cluster in view, until its
//      row's TaskManager cell shows the new count (a MutationObserver in the page), --changes times;
//      from kubectl's exit (the issue's measure) and from its start.
//
//   npx tsx bench/cluster-list-scale.ts                                 # 2,500 clusters, 47,500 TM pods (50,000 Flink pods)
//   npx tsx bench/cluster-list-scale.ts --clusters 500 --pods 5000 --nodes 30 --changes 50   # quick
// flags: --clusters --pods --nodes --namespaces --concurrency --changes --wait-min --seed-only
//        --sim-node-args --sim-args --sim-heap-mib (bench/README.md)
import { execFile, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { cleanupOnExit, flags, loadAverage, log, memoryOf, okRetry, percentiles, pool, request, root, sleep, startSimProcess, type SimProc } from './sim-bench-support';

const f = flags({ clusters: 2500, pods: 47500, nodes: 220, namespaces: 10, concurrency: 32, changes: 200, 'wait-min': 35, 'seed-only': 0, 'sim-node-args': '', 'sim-args': '', 'sim-heap-mib': 8192 });
const nodeName = (i: number) => `list-node-${String(i).padStart(3, '0')}`;
const nsName = (i: number) => `list-${String(i).padStart(3, '0')}`;
const clusterName = (i: number) => `c-${String(i).padStart(5, '0')}`;
const labels = (id: string, component: string) => ({ type: 'flink-native-kubernetes', app: id, component });
const container = { name: 'flink-main-container', image: 'busybox:1.36', command: ['sleep', '36000'], resources: { requests: { cpu: '10m', memory: '16Mi' } } };

// No service account token is mounted: the pods never call the API server, and 50,000 projected
// token volumes would only add to the sim's kubelet work while seeding.
const podSpec = { containers: [container], automountServiceAccountToken: false };

/** The uid of each cluster's JobManager Deployment, by cluster index (the TaskManager pods' owner). */
const deploymentUids = new Map<number, string>();

function jobManager(i: number) {
  const id = clusterName(i);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: id, namespace: nsName(i % f.namespaces), labels: labels(id, 'jobmanager') },
    spec: { replicas: 1, selector: { matchLabels: labels(id, 'jobmanager') }, template: { metadata: { labels: labels(id, 'jobmanager') }, spec: podSpec } },
  };
}
/**
 * A TaskManager pod. The seeded ones name their node (spec.nodeName, round robin over the bench's
 * nodes), as a pod bound by its creator is in Kubernetes: the scheduler leaves it alone and the
 * node's kubelet runs it. Seeding 47,500 pods then costs the sim its API and kubelet work only, not
 * 47,500 scheduling passes over every node. The pods of the kubectl changes go through the scheduler.
 */
function taskManager(i: number, n: number, node?: string) {
  const id = clusterName(i);
  const owner = deploymentUids.get(i);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${id}-taskmanager-1-${n}`,
      namespace: nsName(i % f.namespaces),
      labels: labels(id, 'taskmanager'),
      // Flink's KubernetesResourceManagerDriver owns each TaskManager pod by the JobManager Deployment
      // (Fabric8FlinkKubeClient#setOwnerReference: controller and blockOwnerDeletion true).
      ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: id, uid: owner, controller: true, blockOwnerDeletion: true }] } : {}),
    },
    spec: { ...podSpec, ...(node ? { nodeName: node } : {}) },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Every pid under `pid` (from /proc/<pid>/stat's ppid). */
function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      parent.set(Number(e), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [c, pp] of parent) {
      if (pp !== p) continue;
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}
function nextServerMemory(startPid: number): { pid: number; rssMiB: number; peakMiB: number } | undefined {
  for (const pid of descendants(startPid)) {
    try {
      if (!readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('next-server')) continue;
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
      return { pid, rssMiB: kb('VmRSS') / 1024, peakMiB: kb('VmHWM') / 1024 };
    } catch {
      // gone
    }
  }
  return undefined;
}

function kubectl(kubeconfig: string, args: string[], input?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile('kubectl', ['--kubeconfig', kubeconfig, ...args], (err, _out, stderr) => (err ? reject(new Error(stderr || err.message)) : resolve()));
    if (input !== undefined) child.stdin!.end(input);
  });
}

const now = () => performance.timeOrigin + performance.now();

let simForCleanup: SimProc | undefined;

async function main() {
  // The sim holds 50,000 pods (~1.3 GiB of live heap): V8's default limit leaves it collecting garbage
  // most of the time near the end of the seeding. --sim-node-args come after, so they can override it.
  const sim: SimProc = await startSimProcess('list', [`--max-old-space-size=${f['sim-heap-mib']}`, ...f['sim-node-args'].split(' ').filter(Boolean)], f['sim-args'].split(' ').filter(Boolean));
  simForCleanup = sim;
  cleanupOnExit(sim);
  const kubeconfig = path.join(sim.tmp, 'sim', 'kubeconfig');
  log(`load ${loadAverage()}; ${f.clusters} clusters, ${f.pods} TaskManager pods, ${f.namespaces} namespaces`);
  // A node's pod CIDR is a /24 (10.244.<node>.0/24): at most 253 pod IPs, so a node takes at most 250
  // pods (the largest max-pods Kubernetes supports for a /24). 220 nodes hold the 50,000 pods.
  const perNode = Math.min(250, Math.max(110, Math.ceil(((f.clusters + f.pods) / f.nodes) * 1.1)));
  if (perNode * f.nodes < f.clusters + f.pods) throw new Error(`${f.nodes} nodes of ${perNode} pods cannot hold ${f.clusters + f.pods} pods: raise --nodes`);
  for (let i = 0; i < f.nodes; i++) {
    await okRetry(sim, 'POST', '/_sim/nodes', { name: nodeName(i), capacity: { cpu: '640', memory: '2560Gi', pods: String(perNode) } });
  }
  for (let i = 0; i < f.namespaces; i++) await okRetry(sim, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: nsName(i) } });
  // The service account controller makes each namespace's "default" ServiceAccount; a pod created before it is refused.
  for (let i = 0; i < f.namespaces; i++) {
    while ((await request(sim, 'GET', `/api/v1/namespaces/${nsName(i)}/serviceaccounts/default`)).status !== 200) await sleep(200);
  }
  const t0 = Date.now();
  await pool(
    Array.from({ length: f.clusters }, (_, i) => i),
    f.concurrency,
    async (i) => {
      const made = await okRetry(sim, 'POST', `/apis/apps/v1/namespaces/${nsName(i % f.namespaces)}/deployments`, jobManager(i));
      const uid = made.metadata?.uid ?? (await okRetry(sim, 'GET', `/apis/apps/v1/namespaces/${nsName(i % f.namespaces)}/deployments/${clusterName(i)}`)).metadata.uid;
      deploymentUids.set(i, uid!);
    },
  );
  log(`${f.clusters} Deployments created in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  const perCluster = Math.ceil(f.pods / f.clusters);
  const tms = Array.from({ length: f.pods }, (_, k) => [k % f.clusters, Math.floor(k / f.clusters)] as const);
  let made = 0;
  const deadline = Date.now() + f['wait-min'] * 60_000;
  const t1 = Date.now();
  await pool(tms, f.concurrency, async ([i, n], k) => {
    if (Date.now() > deadline) return;
    await okRetry(sim, 'POST', `/api/v1/namespaces/${nsName(i % f.namespaces)}/pods`, taskManager(i, n, nodeName(k % f.nodes)));
    if (++made % 5000 === 0) log(`${made} TaskManager pods created (${(made / ((Date.now() - t1) / 1000)).toFixed(0)}/s)`);
  });
  const seeded = (Date.now() - t0) / 1000;
  log(`${made} TaskManager pods created (${perCluster} per cluster at most) in ${((Date.now() - t1) / 1000).toFixed(0)} s`);
  // Wait until the kubelets ran them (or the deadline): the list then shows settled rows. Every 5 s
  // one Flink pod not Running is asked for (a field selector and limit=1) and the number of pods of
  // the cluster (limit=1: remainingItemCount, which the API server omits for a list with a
  // selector); once a minute the pods not Running are counted (that answer is large while
  // seeding). Listing all 50,000 pods every 5 s cost the sim seconds of CPU per poll.
  const flinkPods = `/api/v1/pods?labelSelector=${encodeURIComponent('type=flink-native-kubernetes')}`;
  const notRunningPods = `${flinkPods}&fieldSelector=${encodeURIComponent('status.phase!=Running')}`;
  let lastCount = 0;
  for (;;) {
    const started = performance.now();
    const counted = await request(sim, 'GET', '/api/v1/pods?limit=1');
    const total = (counted.body.items?.length ?? 0) + Number((counted.body as { metadata?: { remainingItemCount?: number } }).metadata?.remainingItemCount ?? 0);
    const someNotRunning = ((await request(sim, 'GET', `${notRunningPods}&limit=1`)).body.items?.length ?? 0) > 0;
    const done = !someNotRunning && total >= made + f.clusters;
    if (done || Date.now() - lastCount > 60_000 || Date.now() > deadline) {
      lastCount = Date.now();
      const notRunning = someNotRunning ? ((await request(sim, 'GET', notRunningPods)).body.items?.length ?? 0) : 0;
      log(`${total} pods at the API server (Flink: ${made + f.clusters} expected), ${notRunning} Flink pods not Running (asked in ${(performance.now() - started).toFixed(0)} ms); sim RSS ${memoryOf(sim.pid).rssMiB.toFixed(0)} MiB; load ${loadAverage()}`);
    }
    if (done || Date.now() > deadline) break;
    await sleep(5000);
  }
  log(`seeded in ${seeded.toFixed(0)} s; sim RSS ${memoryOf(sim.pid).rssMiB.toFixed(0)} MiB`);
  const apiList: number[] = [];
  for (let r = 0; r < 3; r++) {
    const started = performance.now();
    await request(sim, 'GET', flinkPods);
    apiList.push(performance.now() - started);
  }
  const deployList = performance.now();
  await request(sim, 'GET', `/apis/apps/v1/deployments?labelSelector=${encodeURIComponent('type=flink-native-kubernetes,component=jobmanager')}`);
  const deployListMs = performance.now() - deployList;
  log(`API server: all Flink pods listed in ${apiList.map((x) => x.toFixed(0)).join(', ')} ms; JobManager Deployments in ${deployListMs.toFixed(0)} ms`);
  if (f['seed-only']) {
    await sim.stop();
    process.exit(0);
  }

  // ---- the app ----
  const port = await freePort();
  const app = spawn(process.execPath, [path.join(root, 'scripts', 'start.mjs')], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, FLINK_DASHBOARD_KUBECONFIG: kubeconfig, PORT: String(port) },
  });
  const stopApp = () => {
    try {
      process.kill(-app.pid!, 'SIGTERM');
    } catch {
      // gone
    }
  };
  process.once('exit', stopApp);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/api/contexts`)).ok) break;
    } catch {
      // not yet
    }
    if (i > 1200) throw new Error('the app did not start');
    await new Promise((r) => setTimeout(r, 500));
  }
  const before = nextServerMemory(app.pid!);
  log(`app up; Next server RSS before the list ${before?.rssMiB.toFixed(0)} MiB`);

  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  // tsx (esbuild keepNames) wraps functions passed to page.evaluate in __name(...): define it in the page.
  await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  // In the page: when the first row and the "N found" line appear (performance.now(), from navigation).
  await page.addInitScript({
    content: `(() => {
      const w = globalThis;
      const check = () => {
        if (w.__firstRowAt === undefined && document.querySelector('tbody th[scope=row] a')) w.__firstRowAt = performance.now();
        if (w.__foundAt === undefined && /\\d+ found/.test(document.querySelector('#clusters-heading')?.parentElement?.textContent ?? '')) w.__foundAt = performance.now();
        return w.__firstRowAt !== undefined && w.__foundAt !== undefined;
      };
      new MutationObserver((_, o) => check() && o.disconnect()).observe(document, { subtree: true, childList: true, characterData: true });
    })();`,
  });
  type Split = { ttfb: number; html: number; api?: { start: number; firstByte: number; end: number; kib: number }; found: number; firstRow: number; allRows: number };
  const renders: number[] = [];
  const splits: Split[] = [];
  for (let run = 0; run < 3; run++) {
    const start = now();
    await page.goto(`${url}/clusters?namespace=_all`);
    await page.getByText(`${f.clusters} found`).waitFor({ timeout: 600_000 });
    await page.getByRole('rowheader').first().waitFor();
    renders.push(now() - start);
    const inDom = await page.getByRole('row').count();
    // Every row: scroll to the bottom until the last row is rendered.
    // Scrolled again (as a user would) when the last row is not there 5 s after a scroll: in one run
    // (session 4, #3) one scroll to the bottom left it out for over 60 s. How many it took is printed.
    let scrolls = 0;
    for (;;) {
      scrolls++;
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      try {
        await page.locator(`tr[aria-rowindex="${f.clusters + 1}"]`).waitFor({ timeout: 5_000 });
        break;
      } catch (e) {
        if (scrolls >= 12) throw e;
      }
    }
    const allRows = await page.evaluate(() => performance.now());
    const split = await page.evaluate(() => {
      const w = globalThis as unknown as { __firstRowAt: number; __foundAt: number };
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const api = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).find((e) => e.name.includes('/api/clusters?'));
      return {
        ttfb: nav.responseStart,
        html: nav.responseEnd,
        api: api ? { start: api.requestStart || api.startTime, firstByte: api.responseStart, end: api.responseEnd, kib: api.decodedBodySize / 1024 } : undefined,
        found: w.__foundAt,
        firstRow: w.__firstRowAt,
      };
    });
    splits.push({ ...split, allRows });
    await page.evaluate(() => window.scrollTo(0, 0));
    const ms = (x: number) => `${x.toFixed(0)} ms`;
    log(
      `first render #${run + 1}: ${ms(renders[run])} (${inDom} table rows in the DOM for ${f.clusters} clusters)${run === 0 ? ' (cold: the informers list)' : ''}; ` +
        `in the page: HTML first byte ${ms(split.ttfb)}, HTML end ${ms(split.html)}, ` +
        (split.api ? `/api/clusters sent ${ms(split.api.start)}, first byte ${ms(split.api.firstByte)}, end ${ms(split.api.end)} (${split.api.kib.toFixed(0)} KiB), ` : 'no /api/clusters request (rows rendered by the server), ') +
        `"found" ${ms(split.found)}, first row ${ms(split.firstRow)}, last row after scrolling ${ms(allRows)}${scrolls > 1 ? ` (${scrolls} scrolls to the bottom: the last row was not there 5 s after the first)` : ''}`,
    );
  }
  // The list answer alone (no browser): the server's join, JSON and transfer, warm.
  const apiTimes: number[] = [];
  let apiBytes = 0;
  for (let r = 0; r < 3; r++) {
    const started = performance.now();
    const body = await (await fetch(`${url}/api/clusters?namespace=_all`)).arrayBuffer();
    apiTimes.push(performance.now() - started);
    apiBytes = body.byteLength;
  }
  log(`GET /api/clusters (warm, from Node): ${apiTimes.map((x) => x.toFixed(0)).join(', ')} ms, ${(apiBytes / 1024).toFixed(0)} KiB`);
  const afterRender = nextServerMemory(app.pid!);

  // ---- kubectl change → DOM ----
  const visible = await page.getByRole('rowheader').allTextContents();
  const targets = visible.slice(0, 10).map((id) => Number(id.slice(2)));
  const counts = new Map<number, number>();
  for (const i of targets) {
    const label = await page.getByRole('row').filter({ has: page.getByRole('link', { name: clusterName(i), exact: true }) }).locator('[aria-label$=" TaskManagers"]').getAttribute('aria-label');
    counts.set(i, Number(label?.split(' ')[0] ?? 0));
  }
  const fromExit: number[] = [];
  const fromStart: number[] = [];
  for (let c = 0; c < f.changes; c++) {
    const i = targets[c % targets.length];
    const next = counts.get(i)! + 1;
    counts.set(i, next);
    const id = clusterName(i);
    const seen = page.evaluate(
      ([clusterId, want]) =>
        new Promise<number>((resolve) => {
          const done = () => {
            const link = [...document.querySelectorAll('tbody th a')].find((a) => a.textContent === clusterId);
            const cell = link?.closest('tr')?.querySelector('[aria-label$=" TaskManagers"]');
            if (cell?.getAttribute('aria-label') === `${want} TaskManagers`) {
              observer.disconnect();
              resolve(performance.timeOrigin + performance.now());
              return true;
            }
            return false;
          };
          const observer = new MutationObserver(() => void done());
          observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
          done();
        }),
      [id, next] as const,
    );
    const start = now();
    await kubectl(kubeconfig, ['create', '-f', '-'], JSON.stringify(taskManager(i, 1000 + c)));
    const exit = now();
    const at = await seen;
    fromExit.push(Math.max(0, at - exit));
    fromStart.push(at - start);
  }
  const afterChanges = nextServerMemory(app.pid!);
  await browser.close();

  const p = (xs: number[]) => {
    const s = percentiles(xs);
    return `p50 ${s.p50.toFixed(0)} ms, p95 ${s.p95.toFixed(0)} ms, max ${s.max.toFixed(0)} ms (n=${s.n})`;
  };
  console.log(`\n== cluster list at scale: ${f.clusters} clusters, ${made} TaskManager pods + ${f.clusters} JobManager pods; load ${loadAverage()}`);
  console.log(`first render (navigation → "${f.clusters} found" with rows): ${renders.map((r) => `${r.toFixed(0)} ms`).join(', ')} (first is cold)  target < 2000 ms`);
  const fmt = (x?: number) => (x === undefined ? '–' : x.toFixed(0));
  console.log('split per navigation (ms from navigation start, in the page): HTML first byte | HTML end | /api/clusters sent | first byte | end | "found" | first row | last row (scrolled)');
  splits.forEach((s, i) => console.log(`  #${i + 1}${i === 0 ? ' cold' : ' warm'}: ${fmt(s.ttfb)} | ${fmt(s.html)} | ${fmt(s.api?.start)} | ${fmt(s.api?.firstByte)} | ${fmt(s.api?.end)} | ${fmt(s.found)} | ${fmt(s.firstRow)} | ${fmt(s.allRows)}`));
  console.log(`API server (sim) list of every Flink pod: ${apiList.map((x) => x.toFixed(0)).join(', ')} ms; of the JobManager Deployments: ${deployListMs.toFixed(0)} ms`);
  console.log(`GET /api/clusters from Node (warm): ${apiTimes.map((x) => x.toFixed(0)).join(', ')} ms, ${(apiBytes / 1024).toFixed(0)} KiB`);
  console.log(`Next server RSS: before ${before?.rssMiB.toFixed(0)} MiB, after the list ${afterRender?.rssMiB.toFixed(0)} MiB, after the changes ${afterChanges?.rssMiB.toFixed(0)} MiB, peak ${afterChanges?.peakMiB.toFixed(0)} MiB  target < 500 MiB`);
  console.log(`kubectl create (TM pod) → row's TaskManager count in the DOM, ${f.changes} changes:`);
  console.log(`  from kubectl's exit:  ${p(fromExit)}  target p95 < 100 ms`);
  console.log(`  from kubectl's start: ${p(fromStart)}`);
  stopApp();
  await sim.stop();
  process.exit(0);
}

main().catch(async (err) => {
  console.error(err);
  await simForCleanup?.stop();
  process.exit(1);
});
