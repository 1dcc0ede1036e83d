// N browser tabs (one Chromium context) on the same cluster page. Prints, as tabs open: the
// dashboard's open /api/live streams (connections from the browser that stay open), the dashboard's
// informers, the sim's watch count (`/_sim/info` counts every watcher, the sim's own controllers too:
// read the change from before the first tab), and the RSS of the Next server's process group.
// Asserts nothing.
//
//   npx tsx bench/many-tabs.ts [--tabs 100]
//
// Serves the existing build (.next; `node scripts/start.mjs` or `npx next build` makes it) with
// `next start`, against a sim of its own in a temporary folder.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { chromium } from '@playwright/test';
import { jobManagerDeployment } from '../e2e/support/flink-deployment';
import { freePort, root, spawnGroup, startSim, stopProcess, waitForHttp } from '../e2e/support/processes';
import { SimClient } from '../e2e/support/sim-client';

const tabsArg = process.argv.indexOf('--tabs');
const TABS = tabsArg === -1 ? 100 : Number(process.argv[tabsArg + 1]);

/** Sum of VmRSS (KiB → MiB) over the processes of a process group. */
function groupRssMiB(pgid: number): number {
  let kib = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue;
      const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${entry}/status`, 'utf8'));
      if (rss) kib += Number(rss[1]);
    } catch {
      // gone
    }
  }
  return kib / 1024;
}

async function main() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'flink-dash-bench-tabs-'));
  let simChild: ChildProcess | undefined;
  let app: ChildProcess | undefined;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const started = await startSim(path.join(dataDir, 'sim'));
    simChild = started.child;
    const kubeconfig = path.resolve(root, started.info.kubeconfig);
    const sim = new SimClient(started.info.url, kubeconfig);
    const port = await freePort();
    app = spawnGroup(process.execPath, [path.join(root, 'node_modules/next/dist/bin/next'), 'start', '-p', String(port)], {
      ...process.env,
      FLINK_DASHBOARD_KUBECONFIG: kubeconfig,
    });
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/api/contexts`, app, 120_000);
    const ns = 'bench-tabs';
    await sim.createNamespace(ns);
    await sim.request('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, jobManagerDeployment({ clusterId: 'shared', namespace: ns }));

    const simWatches = async () => ((await sim.request('GET', '/_sim/info')) as { watches: number }).watches;
    const live = async () => (await (await fetch(`${base}/api/live/stats`)).json()) as { streams: number; subscriptions: number; informers: number };
    const watchesBefore = await simWatches();
    const rssBefore = groupRssMiB(app.pid!);
    console.log(`${new Date().toISOString()} load ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ${TABS} tabs on /clusters/${ns}/shared`);
    console.log(`before any tab: sim watches ${watchesBefore}, Next RSS ${rssBefore.toFixed(0)} MiB`);
    console.log('tabs | open s | /api/live streams | subscriptions | informers | sim watches (+ since before) | Next RSS MiB');

    const context = await browser.newContext();
    const t0 = Date.now();
    let rssOne = 0;
    for (let i = 1; i <= TABS; i++) {
      const page = await context.newPage();
      await page.goto(`${base}/clusters/${ns}/shared`, { timeout: 120_000 });
      await page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: 120_000 });
      if (i === 1 || i % 10 === 0 || i === TABS) {
        const s = await live();
        const w = await simWatches();
        const rss = groupRssMiB(app.pid!);
        if (i === 1) rssOne = rss;
        console.log(
          `${String(i).padStart(4)} | ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} | ${String(s.streams).padStart(17)} | ${String(s.subscriptions).padStart(13)} | ${String(s.informers).padStart(9)} | ${String(w).padStart(11)} (+${w - watchesBefore}) | ${rss.toFixed(0)}`,
        );
      }
    }
    const rssAll = groupRssMiB(app.pid!);
    if (TABS > 1) console.log(`Next RSS growth per tab after the first: ${(((rssAll - rssOne) / (TABS - 1)) * 1024).toFixed(0)} KiB`);
    await context.close();
  } finally {
    await browser.close();
    await stopProcess(app);
    await stopProcess(simChild);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
