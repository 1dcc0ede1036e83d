#!/usr/bin/env node
// How long from `kubectl create` of a JobManager Deployment until its row reaches the browser's
// SSE stream (/api/watch/clusters). Prints figures; asserts nothing.
//
//   node bench/kubectl-to-row.mjs [--runs 20]
//   BENCH_APP_URL=http://localhost:3000 BENCH_KUBECONFIG=.data/sim/kubeconfig node bench/kubectl-to-row.mjs
//
// Without BENCH_APP_URL it starts its own simulated cluster and app (scripts/start.mjs, building if needed).
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

const root = path.resolve(import.meta.dirname, '..');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg === -1 ? 20 : Number(process.argv[runsArg + 1]);
const children = [];

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function spawnGroup(args, env, stdout = 'inherit') {
  const child = spawn(process.execPath, args, { cwd: root, detached: true, stdio: ['ignore', stdout, 'inherit'], env });
  children.push(child);
  return child;
}

function stopAll() {
  for (const c of children) {
    try {
      process.kill(-c.pid, 'SIGTERM');
    } catch {
      // gone
    }
  }
}

async function startSimAndApp() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'flink-dash-bench-'));
  const sim = spawnGroup([path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'sim/main.ts', '--port', '0', '--data', dataDir], process.env, 'pipe');
  const info = await new Promise((resolve, reject) => {
    sim.once('exit', () => reject(new Error('the sim exited')));
    createInterface({ input: sim.stdout }).on('line', (line) => {
      try {
        const parsed = JSON.parse(line);
        if (parsed.kubeconfig) resolve(parsed);
      } catch {
        // log line
      }
    });
  });
  sim.stdout.resume();
  const port = await freePort();
  spawnGroup([path.join(root, 'scripts/start.mjs')], { ...process.env, FLINK_DASHBOARD_KUBECONFIG: info.kubeconfig, PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/api/contexts`)).ok) break;
    } catch {
      // not yet
    }
    if (i > 600) throw new Error('the app did not start');
    await new Promise((r) => setTimeout(r, 500));
  }
  return { url, kubeconfig: info.kubeconfig, cleanup: () => rmSync(dataDir, { recursive: true, force: true }) };
}

function kubectl(kubeconfig, args, input) {
  return new Promise((resolve, reject) => {
    const child = execFile('kubectl', ['--kubeconfig', kubeconfig, ...args], (err, stdout, stderr) => (err ? reject(new Error(stderr || err.message)) : resolve(stdout)));
    if (input !== undefined) child.stdin.end(input);
  });
}

function deployment(name, namespace) {
  const labels = { type: 'flink-native-kubernetes', app: name, component: 'jobmanager' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'flink-main-container',
              image: 'flink:1.20',
              command: ['/docker-entrypoint.sh'],
              args: ['bash', '-c', 'kubernetes-jobmanager.sh kubernetes-session '],
            },
          ],
        },
      },
    },
  };
}

/** Opens the SSE stream and calls onUpsert(clusterId, at) for every upsert. */
async function openStream(url, onUpsert) {
  const abort = new AbortController();
  const res = await fetch(url, { signal: abort.signal });
  if (!res.ok) throw new Error(`stream answered ${res.status}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (frame.startsWith('event: upsert')) {
            const data = JSON.parse(/^data: (.*)$/m.exec(frame)[1]);
            onUpsert(data.item.clusterId, performance.now());
          }
        }
      }
    } catch {
      // aborted
    }
  })();
  return () => abort.abort();
}

function stats(values) {
  const s = [...values].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { min: s[0], median: at(0.5), p95: at(0.95), max: s[s.length - 1] };
}

async function main() {
  const own = process.env.BENCH_APP_URL ? null : await startSimAndApp();
  const url = process.env.BENCH_APP_URL ?? own.url;
  const kubeconfig = process.env.BENCH_KUBECONFIG ?? own.kubeconfig;
  const namespace = `bench-${Date.now().toString(36)}`;
  await kubectl(kubeconfig, ['create', 'namespace', namespace]);
  const seen = new Map();
  const waiters = new Map();
  const close = await openStream(`${url}/api/watch/clusters?namespace=${namespace}`, (id, at) => {
    if (!seen.has(id)) seen.set(id, at);
    waiters.get(id)?.();
  });
  const total = [];
  const afterKubectl = [];
  const kubectlOnly = [];
  for (let i = 0; i < runs; i++) {
    const name = `bench-${i}`;
    const rowSeen = new Promise((resolve) => waiters.set(name, resolve));
    const t0 = performance.now();
    await kubectl(kubeconfig, ['create', '-f', '-'], JSON.stringify(deployment(name, namespace)));
    const t1 = performance.now();
    await rowSeen;
    const t2 = seen.get(name);
    total.push(t2 - t0);
    kubectlOnly.push(t1 - t0);
    afterKubectl.push(Math.max(0, t2 - t1));
  }
  close();
  await kubectl(kubeconfig, ['delete', 'namespace', namespace, '--wait=false']);
  const fmt = (o) => Object.entries(o).map(([k, v]) => `${k} ${v.toFixed(1)} ms`).join(', ');
  console.log(`kubectl create → row on the SSE stream, ${runs} runs:`);
  console.log(`  total (kubectl start → row):   ${fmt(stats(total))}`);
  console.log(`  kubectl process alone:         ${fmt(stats(kubectlOnly))}`);
  console.log(`  kubectl exit → row:            ${fmt(stats(afterKubectl))}`);
  stopAll();
  own?.cleanup();
}

process.on('SIGINT', () => {
  stopAll();
  process.exit(130);
});
main().catch((err) => {
  console.error(err);
  stopAll();
  process.exit(1);
});
