import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { expect, test } from './fixtures';
import { freePort, root, spawnGroup, startSim, stopProcess, waitForHttp } from './support/processes';
import { SimClient } from './support/sim-client';

// The server the Docker image runs: .next/standalone/server.js with the static files and public/
// copied next to it (as the Dockerfile's runtime stage does), from the build the global setup made.
// Two replicas on one simulated cluster of this file's own (it counts the sim's watches).
type Replica = { baseURL: string; child: ChildProcess; exited: Promise<number | null> };

test.describe.configure({ mode: 'serial' });

let workDir: string;
let simChild: ChildProcess;
let sim: SimClient;
let kubeconfig: string;
const replicas: Replica[] = [];

async function startReplica(appDir: string): Promise<Replica> {
  const port = await freePort();
  const child = spawnGroup(process.execPath, [path.join(appDir, 'server.js')], {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    HOSTNAME: '127.0.0.1',
    NEXT_MANUAL_SIG_HANDLE: '1',
    FLINK_DASHBOARD_KUBECONFIG: kubeconfig,
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const baseURL = `http://127.0.0.1:${port}`;
  await waitForHttp(`${baseURL}/healthz`, child, 120_000);
  return { baseURL, child, exited };
}

async function simWatches(): Promise<number> {
  return ((await sim.request('GET', '/_sim/info')) as { watches: number }).watches;
}

test.beforeAll(async () => {
  test.setTimeout(240_000);
  const standalone = path.join(root, '.next', 'standalone');
  expect(existsSync(path.join(standalone, 'server.js')), 'next build made .next/standalone/server.js (output: standalone)').toBe(true);
  workDir = mkdtempSync(path.join(tmpdir(), 'flink-dash-standalone-'));
  const appDir = path.join(workDir, 'app');
  // The Dockerfile's runtime stage: COPY .next/standalone ./, .next/static ./.next/static, public ./public
  cpSync(standalone, appDir, { recursive: true, verbatimSymlinks: true });
  cpSync(path.join(root, '.next', 'static'), path.join(appDir, '.next', 'static'), { recursive: true });
  cpSync(path.join(root, 'public'), path.join(appDir, 'public'), { recursive: true });
  const started = await startSim(path.join(workDir, 'sim'));
  simChild = started.child;
  kubeconfig = path.resolve(root, started.info.kubeconfig);
  sim = new SimClient(started.info.url, kubeconfig);
  replicas.push(await startReplica(appDir), await startReplica(appDir));
});

test.afterAll(async () => {
  for (const r of replicas) await stopProcess(r.child);
  await stopProcess(simChild);
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test('the standalone server answers /healthz and /readyz, and serves the page with its static files', async ({ request }) => {
  const [a] = replicas;
  const health = await request.get(`${a.baseURL}/healthz`);
  expect(health.status()).toBe(200);
  const ready = await request.get(`${a.baseURL}/readyz`);
  expect(ready.status()).toBe(200);
  const body = (await ready.json()) as { status: string; checks: { name: string; ok: boolean; message?: string }[] };
  expect(body.status).toBe('ok');
  expect(body.checks.find((c) => c.name === 'apiserver')).toMatchObject({ ok: true, message: expect.stringContaining('answers (Kubernetes v1.28') });
  const html = await (await request.get(`${a.baseURL}/clusters`)).text();
  const chunk = /\/_next\/static\/[^"']+\.js/.exec(html)?.[0];
  expect(chunk, 'the page links its JavaScript').toBeTruthy();
  expect((await request.get(`${a.baseURL}${chunk}`)).status()).toBe(200);
});

test('two replicas on one cluster show the same state: created through one, listed and audited in the other', async ({ page, request, uniqueName }) => {
  const [a, b] = replicas;
  const namespace = uniqueName('replicas');
  await sim.createNamespace(namespace);
  const clusterId = uniqueName('shared');
  const created = await request.post(`${a.baseURL}/api/clusters`, { data: { clusterId, namespace } });
  expect(created.status(), await created.text()).toBe(201);

  const list = await request.get(`${b.baseURL}/api/clusters?namespace=${namespace}`);
  expect(((await list.json()) as { items: { clusterId: string }[] }).items.map((i) => i.clusterId)).toContain(clusterId);

  await page.goto(`${b.baseURL}/clusters/${namespace}/${clusterId}`);
  const audit = page.getByRole('list', { name: 'Audit entries' });
  await expect(audit.getByRole('listitem').filter({ hasText: 'ClusterCreated' })).toContainText(`created cluster ${namespace}/${clusterId}.`);
});

test('SIGTERM ends a live stream with a reconnect frame, stops the watches and exits 0 in time', async () => {
  const [a, b] = replicas;
  const namespace = uniqueNamespace();
  await sim.createNamespace(namespace);
  const watchesBefore = await simWatches();
  const topic = `/api/watch/clusters?namespace=${namespace}`;
  const res = await fetch(`${a.baseURL}/api/live?topic=${encodeURIComponent(topic)}`);
  expect(res.status).toBe(200);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  while (!text.includes('event: snapshot')) {
    const { value, done } = await reader.read();
    expect(done, 'the stream sends its snapshot before it ends').toBe(false);
    text += value;
  }
  // The stream's informers watch the sim now.
  await expect.poll(simWatches).toBeGreaterThan(watchesBefore);
  const watchesOpen = await simWatches();

  const sentAt = Date.now();
  a.child.kill('SIGTERM');
  for (;;) {
    const { value, done } = await reader.read(); // rejects if the stream breaks instead of ending
    if (done) break;
    text += value;
  }
  expect(text).toContain(`"topic":${JSON.stringify(topic)},"state":"reconnecting","message":"This dashboard server is shutting down; reconnecting to another one…"`);
  expect(await a.exited).toBe(0);
  expect(Date.now() - sentAt).toBeLessThan(10_000);
  await expect.poll(simWatches).toBeLessThan(watchesOpen);
  // The other replica serves on.
  expect((await fetch(`${b.baseURL}/readyz`)).status).toBe(200);
});

function uniqueNamespace(): string {
  return `sigterm-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}
