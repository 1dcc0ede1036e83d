import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { freePort, root, spawnGroup, startSim, stopProcess, waitForHttp } from './processes';
import { SimClient } from './sim-client';

export type PrivateStack = { baseURL: string; kubeconfig: string; sim: SimClient; stop: () => Promise<void> };

/**
 * A simulated cluster and an app server of one's own, for a test that disrupts the cluster
 * (restarts its API server) without disturbing the tests that share the global one.
 * Serves the build the global setup made (`next start`, no second build).
 */
export async function startPrivateStack(opts: { env?: Record<string, string>; readyPath?: string } = {}): Promise<PrivateStack> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'flink-dash-private-'));
  let simChild: ChildProcess | undefined;
  let app: ChildProcess | undefined;
  const stop = async () => {
    await stopProcess(app);
    await stopProcess(simChild);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const started = await startSim(path.join(dataDir, 'sim'));
    simChild = started.child;
    const kubeconfig = path.resolve(root, started.info.kubeconfig);
    const port = await freePort();
    const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
    app = spawnGroup(process.execPath, [nextBin, 'start', '-p', String(port)], {
      ...process.env,
      FLINK_DASHBOARD_KUBECONFIG: kubeconfig,
      ...opts.env,
    });
    const baseURL = `http://127.0.0.1:${port}`;
    // With sign-in on, /api/contexts answers 401: such a stack names a public route to wait for.
    await waitForHttp(`${baseURL}${opts.readyPath ?? '/api/contexts'}`, app, 120_000);
    return { baseURL, kubeconfig, sim: new SimClient(started.info.url, kubeconfig), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
