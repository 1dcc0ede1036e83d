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
import { loadavg } from 'node:os';
import { jobManagerDeployment } from '../e2e/support/flink-deployment';
import { argValue, groupRssMiB, withBrowserBench } from './browser-bench-support';

const TABS = Number(argValue('tabs') ?? 100);

await withBrowserBench('tabs', async ({ sim, base, app, browser }) => {
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
});
