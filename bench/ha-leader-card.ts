// From the leader change in the HA ConfigMap to the leader card's change in the browser's DOM, over
// N failovers of an HA session cluster (2 JobManagers) on the simulated cluster. Prints p50/p95;
// asserts nothing; not part of npm test. Target: p95 < 500 ms (Flink's default lease is 15 s).
//
//   npx tsx bench/ha-leader-card.ts [--failovers 50] [--lease "3 s"] [--retry "1 s"]
//
// Starts its own sim (free port, temp folder) and the app through scripts/start.mjs (which builds
// when the build is older than the sources), and Debian's chromium (CHROMIUM_PATH to change it).
// For each failover: deletes the leader pod (the sim's admin, out of band of the UI); t0 is when a
// watch on <id>-cluster-config-map receives the update whose restserver entry names the new leader
// (the last write the card needs), stamped in a worker thread of its own, so that the benchmark's
// busy main thread (Playwright) does not delay it; t1 is when a MutationObserver in the page sees the
// card's "Leader JobManager" text become that pod. Both clocks are this machine's Date.now().
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { chromium } from '@playwright/test';
import { freePort, root, spawnGroup, startSim, stopProcess, waitForHttp } from '@/e2e/support/processes';
import { SimClient } from '@/e2e/support/sim-client';
import { flags, loadAverage, log, ms, percentiles } from './sim-bench-support';

const opts = flags({ failovers: 50, lease: '3 s', retry: '1 s' });
const dataDir = mkdtempSync(path.join(tmpdir(), 'flink-dash-bench-ha-'));
const { child: simChild, info } = await startSim(path.join(dataDir, 'sim'));
const sim = new SimClient(info.url, info.kubeconfig);
const port = await freePort();
const app = spawnGroup(process.execPath, [path.join(root, 'scripts', 'start.mjs')], { ...process.env, FLINK_DASHBOARD_KUBECONFIG: path.resolve(root, info.kubeconfig), PORT: String(port) });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const cleanup = async () => {
  await browser.close().catch(() => undefined);
  await stopProcess(app);
  await stopProcess(simChild);
  rmSync(dataDir, { recursive: true, force: true });
};

try {
  const base = `http://127.0.0.1:${port}`;
  log('starting the app (builds when needed)…');
  await waitForHttp(`${base}/api/contexts`, app, 600_000);
  const ns = 'bench-ha';
  const id = 'leader-card';
  await sim.createNamespace(ns);
  const created = await fetch(`${base}/api/clusters`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ clusterId: id, namespace: ns, jobManager: { replicas: 2 }, ha: { enabled: true, storageDir: 's3://flink/ha', leaseDuration: opts.lease, renewDeadline: opts.lease, retryPeriod: opts.retry } }),
  });
  if (created.status !== 201) throw new Error(`create answered ${created.status}: ${await created.text()}`);

  // The sim's side: every update of the lock ConfigMap, stamped on arrival in a worker thread.
  const restserverAt: { address: string; at: number }[] = [];
  const watcher = new Worker(
    `
    const http = require('node:http');
    const { parentPort, workerData: d } = require('node:worker_threads');
    http.get(d.url, { headers: { authorization: 'Bearer ' + d.token } }, (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        const at = Date.now();
        buf += chunk;
        let nl;
        while ((nl = buf.indexOf('\\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (!line.trim()) continue;
          const entry = (JSON.parse(line).object.data || {})['org.apache.flink.k8s.leader.restserver'];
          if (entry) parentPort.postMessage({ address: entry.slice(entry.indexOf(',') + 1), at });
        }
      });
    });
    `,
    { eval: true, workerData: { url: `${info.url}/api/v1/namespaces/${ns}/configmaps?fieldSelector=metadata.name%3D${id}-cluster-config-map&watch=1`, token: sim.token } },
  );
  watcher.on('message', (m: { address: string; at: number }) => {
    if (restserverAt.at(-1)?.address !== m.address) restserverAt.push(m);
  });

  const page = await browser.newPage();
  await page.goto(`${base}/clusters/${ns}/${id}`);
  await page.evaluate(() => {
    const w = window as unknown as { __leaderChanges: { text: string; at: number }[] };
    w.__leaderChanges = [];
    let last = '';
    new MutationObserver(() => {
      const text = document.querySelector('[aria-label="Leader JobManager"]')?.textContent ?? '';
      if (text !== last) {
        last = text;
        w.__leaderChanges.push({ text, at: Date.now() });
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  const podName = `^${id}-[a-z0-9]+-[a-z0-9]{5}$`;
  const podIp = async (name: string) => ((await sim.request('GET', `/api/v1/namespaces/${ns}/pods/${name}`)) as { status?: { podIP?: string } }).status?.podIP;

  const latencies: number[] = [];
  for (let i = 0; i < opts.failovers; i++) {
    // A leader and a running standby, as the card shows them.
    await page.waitForFunction(
      (re) => {
        const leader = document.querySelector('[aria-label="Leader JobManager"]')?.textContent ?? '';
        const standby = document.querySelector('[aria-label="Standby JobManagers"]')?.textContent ?? '';
        return new RegExp(re).test(leader) && new RegExp(re).test(standby) && document.querySelector('[aria-label="Leadership: leading"]');
      },
      podName,
      { timeout: 180_000 },
    );
    const leader = (await page.textContent('[aria-label="Leader JobManager"]'))!;
    const standby = (await page.textContent('[aria-label="Standby JobManagers"]'))!;
    const standbyAddress = `http://${await podIp(standby)}:8081`;
    const seen = restserverAt.length;
    await sim.request('DELETE', `/api/v1/namespaces/${ns}/pods/${leader}`);
    await page.waitForFunction((name) => document.querySelector('[aria-label="Leader JobManager"]')?.textContent === name, standby, { timeout: 120_000 });
    const t0 = restserverAt.slice(seen).find((r) => r.address === standbyAddress)?.at;
    const changes = await page.evaluate(() => (window as unknown as { __leaderChanges: { text: string; at: number }[] }).__leaderChanges);
    const t1 = changes.filter((c) => c.text === standby).at(-1)?.at;
    if (t0 === undefined || t1 === undefined) {
      log(`failover ${i + 1}: could not pair the ConfigMap update with the DOM change; skipped`);
      continue;
    }
    latencies.push(t1 - t0);
    log(`failover ${i + 1}/${opts.failovers}: ${leader} → ${standby}: ${t1 - t0} ms`);
  }
  await watcher.terminate();
  const p = percentiles(latencies);
  console.log(`\nleader change in the HA ConfigMap → leader card in the DOM, ${p.n} failovers (load ${loadAverage()}, ${new Date().toISOString()})`);
  console.log(`  p50 ${ms(p.p50)}  p95 ${ms(p.p95)}  min ${ms(p.min)}  max ${ms(p.max)}  target p95 < 500 ms: ${p.p95 < 500 ? 'PASS' : 'MISS'}`);
} finally {
  await cleanup();
}
