// A log of 100,000 lines followed in the browser. One Chromium tab follows a session JobManager's
// log (the pod log page, "Last 1,000", Follow on: the log rides the browser's one /api/live
// connection). The JobManager's Flink process writes lines in steps (POST /_sim/flink/logs: log4j
// lines, 1,000 per slice, as fast as the sim writes them) up to --lines in all. After each step,
// once the step's last line is in the DOM, prints: the page's JS heap (CDP Performance.getMetrics
// JSHeapUsedSize, before and after a forced GC), its DOM nodes (Nodes) and elements, the lines the
// view keeps / dropped from its window / reports skipped, the server's count of lines read from the
// API server, sent and skipped (/api/live/stats), and the RSS of the Next server's process group.
// Asserts nothing.
//
//   npx tsx bench/log-follow-memory.ts [--lines 100000] [--steps 10000,50000,100000]
//
// Serves the existing build (.next; `node scripts/start.mjs` or `npx next build` makes it) with
// `next start`, against a sim of its own in a temporary folder. The shared worker's own heap is not
// in the page's figures (Playwright does not reach SharedWorker targets).
import { loadavg } from 'node:os';
import { argValue, groupRssMiB, withBrowserBench } from './browser-bench-support';

const TOTAL = Number(argValue('lines') ?? 100_000);
const STEPS = (argValue('steps') ?? `${Math.min(10_000, TOTAL)},${Math.min(50_000, TOTAL)},${TOTAL}`).split(',').map(Number);

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

await withBrowserBench('logs', async ({ sim, base, app, browser }) => {
  const ns = 'bench-logs';
  const cid = 'follow';
  await sim.createNamespace(ns);
  const created = await fetch(`${base}/api/clusters`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ clusterId: cid, namespace: ns, mode: 'session' }),
  });
  if (created.status !== 201) throw new Error(`creating the cluster answered ${created.status}: ${await created.text()}`);
  // The JobManager's pod, once its Flink process runs (it answers the log control).
  let jm = '';
  for (const deadline = Date.now() + 120_000; ; ) {
    const pods = (await sim.request('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(`app=${cid},component=jobmanager`)}`)) as {
      items: { metadata: { name: string } }[];
    };
    jm = pods.items[0]?.metadata.name ?? '';
    const ready = jm && (await sim.request('POST', `/_sim/flink/logs/${ns}/${jm}`, { lines: 1, message: 'warm-up' }).then(() => true, () => false));
    if (ready) break;
    if (Date.now() > deadline) throw new Error('the JobManager did not start within 2 minutes');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }

  const stats = async () =>
    ((await (await fetch(`${base}/api/live/stats`)).json()) as { logs: { linesRead: number; linesSent: number; linesSkipped: number } }).logs;
  console.log(`${new Date().toISOString()} load ${loadavg().map((l) => l.toFixed(2)).join(' ')}; following ${ns}/${jm}, ${TOTAL.toLocaleString('en')} lines in steps ${STEPS.join(', ')}`);

  const context = await browser.newContext();
  const page = await context.newPage();
  // tsx (esbuild keepNames) wraps functions passed to page.evaluate in __name(...): define it in the page.
  await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async () => {
    const { metrics: m } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
    const get = (name: string) => m.find((x) => x.name === name)?.value ?? NaN;
    return { heap: get('JSHeapUsedSize'), nodes: get('Nodes') };
  };
  await page.goto(`${base}/clusters/${ns}/${cid}/pods/${jm}/logs`, { timeout: 120_000 });
  const log = page.getByRole('log', { name: `Log of ${jm}` });
  await log.getByText('warm-up 1 of 1').waitFor({ timeout: 60_000 });
  const base0 = await metrics();
  console.log(`before: heap ${mib(base0.heap)} MiB, DOM nodes ${base0.nodes}, Next RSS ${groupRssMiB(app.pid!).toFixed(0)} MiB`);
  console.log('lines written | s to last line in DOM | JS heap MiB (after GC) | DOM nodes | elements | dropped / skipped in the view | server read / sent / skipped | Next RSS MiB');

  let written = 0;
  let peakRss = 0;
  for (const step of STEPS) {
    const n = step - written;
    if (n <= 0) continue;
    const marker = `bench-to-${step}`;
    const t0 = Date.now();
    // Fire the write; it answers once the sim wrote the last line.
    const writing = sim.request('POST', `/_sim/flink/logs/${ns}/${jm}`, { lines: n, message: marker });
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, groupRssMiB(app!.pid!))), 200);
    await log.getByText(`${marker} ${n} of ${n}`).waitFor({ timeout: 300_000 });
    clearInterval(sampler);
    await writing;
    const seconds = (Date.now() - t0) / 1000;
    written = step;
    const before = await metrics();
    await cdp.send('HeapProfiler.collectGarbage');
    const after = await metrics();
    const view = await page.evaluate(() => {
      const status = document.querySelector('[aria-label="Log status"]')?.textContent ?? '';
      const count = (re: RegExp) => Number((re.exec(status)?.[1] ?? '0').replace(/,/g, ''));
      return {
        elements: document.getElementsByTagName('*').length,
        dropped: count(/([\d,]+) older lines were dropped/),
        skipped: count(/([\d,]+) lines were skipped/),
      };
    });
    const s = await stats();
    const rss = groupRssMiB(app.pid!);
    peakRss = Math.max(peakRss, rss);
    console.log(
      `${step.toLocaleString('en').padStart(13)} | ${seconds.toFixed(1).padStart(21)} | ${mib(before.heap)} (${mib(after.heap)})`.padEnd(60) +
        ` | ${after.nodes} | ${view.elements} | ${view.dropped.toLocaleString('en')} / ${view.skipped.toLocaleString('en')} | ${s.linesRead.toLocaleString('en')} / ${s.linesSent.toLocaleString('en')} / ${s.linesSkipped.toLocaleString('en')} | ${rss.toFixed(0)}`,
    );
  }
  console.log(`Next RSS peak while lines arrived (sampled every 200 ms): ${peakRss.toFixed(0)} MiB`);
  await context.close();
});
