// What the browser benchmarks (many-tabs.ts, log-follow-memory.ts) share: a sim of their own in a
// temporary folder, the existing build (.next) served with `next start` against it, Debian's
// chromium, and the memory of the Next server's process group.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { chromium, type Browser } from '@playwright/test';
import { freePort, root, spawnGroup, startSim, stopProcess, waitForHttp } from '../e2e/support/processes';
import { SimClient } from '../e2e/support/sim-client';

/** The value after `--name` on the command line, if given. */
export function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}

/** Sum of VmRSS (KiB → MiB) over the processes of a process group. */
export function groupRssMiB(pgid: number): number {
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

export type BrowserBench = {
  /** The sim's admin client. */
  sim: SimClient;
  /** The dashboard's address, http://127.0.0.1:<port>. */
  base: string;
  /** The Next server (its pid is its process group's). */
  app: ChildProcess;
  browser: Browser;
};

/**
 * Starts a sim in a temporary folder (named after `prefix`), `next start` on the existing build
 * against it and chromium; runs `bench`; then stops all three and removes the folder, also when
 * `bench` throws.
 */
export async function withBrowserBench(prefix: string, bench: (b: BrowserBench) => Promise<void>): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `flink-dash-bench-${prefix}-`));
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
    await bench({ sim, base, app, browser });
  } finally {
    await browser.close();
    await stopProcess(app);
    await stopProcess(simChild);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
