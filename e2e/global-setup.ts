import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { parse } from 'yaml';
import { freePort, root, spawnGroup, startSim, stopProcess, waitForHttp } from './support/processes';

/** The admin bearer token of the sim's kubeconfig (for its control API). */
function readAdminToken(kubeconfigPath: string): string {
  const doc = parse(readFileSync(kubeconfigPath, 'utf8')) as {
    'current-context': string;
    contexts: { name: string; context: { user: string } }[];
    users: { name: string; user: { token?: string } }[];
  };
  const ctx = doc.contexts.find((c) => c.name === doc['current-context']);
  const token = doc.users.find((u) => u.name === ctx?.context.user)?.user.token;
  if (!token) throw new Error('the sim kubeconfig has no admin token');
  return token;
}

/**
 * Starts one simulated cluster (free port, temp data dir) and the app through `node scripts/start.mjs`
 * (which builds once when needed), pointed at that sim. Tests read E2E_* from the environment.
 */
export default async function globalSetup() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'flink-dash-e2e-'));
  let sim: ChildProcess | undefined;
  let app: ChildProcess | undefined;
  const teardown = async () => {
    await stopProcess(app);
    await stopProcess(sim);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const started = await startSim(dataDir);
    sim = started.child;
    const kubeconfig = path.resolve(root, started.info.kubeconfig);
    const port = await freePort();
    app = spawnGroup(process.execPath, [path.join(root, 'scripts', 'start.mjs')], {
      ...process.env,
      FLINK_DASHBOARD_KUBECONFIG: kubeconfig,
      PORT: String(port),
    });
    const baseURL = `http://127.0.0.1:${port}`;
    await waitForHttp(`${baseURL}/api/contexts`, app, 300_000);
    process.env.E2E_BASE_URL = baseURL;
    process.env.E2E_KUBECONFIG = kubeconfig;
    process.env.E2E_SIM_URL = started.info.url;
    process.env.E2E_SIM_TOKEN = readAdminToken(kubeconfig);
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}
