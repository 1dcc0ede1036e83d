#!/usr/bin/env node
// `npm start` / `npm run dev` (= --dev): the dashboard, with the embedded simulated cluster when no
// Kubernetes is configured. Starts the sim (a separate process, so it survives dev hot reloads),
// builds when the build is missing or older than the sources, then runs Next. Ctrl-C stops both;
// if either dies, the other is stopped and this exits non-zero.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

const root = path.resolve(import.meta.dirname, '..');
const dev = process.argv.includes('--dev');
const port = process.env.PORT || '3000';
const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
const tsxBin = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** Same precedence as lib/k8s/kubeconfig-source.ts (which the app uses). */
function findKubeconfigSource(env) {
  const nonEmpty = (v) => (v ? v : undefined);
  const dash = nonEmpty(env.FLINK_DASHBOARD_KUBECONFIG);
  if (dash && existsSync(dash)) return dash;
  const first = nonEmpty(env.KUBECONFIG)?.split(':').find((p) => p && existsSync(p));
  if (first) return first;
  const home = path.join(nonEmpty(env.HOME) ?? homedir(), '.kube', 'config');
  if (existsSync(home)) return home;
  if (env.KUBERNETES_SERVICE_HOST && existsSync('/var/run/secrets/kubernetes.io/serviceaccount/token')) return 'in-cluster';
  return null;
}

const children = new Set();
let stopping = false;

function log(msg) {
  console.log(`[start] ${msg}`);
}

/** Children run in their own process group, so stopping one stops everything it spawned (npx, tsx, workers). */
function run(name, cmd, args, options = {}) {
  const child = spawn(cmd, args, { cwd: root, detached: true, stdio: options.stdio ?? 'inherit', env: options.env ?? process.env });
  child.name = name;
  children.add(child);
  child.on('exit', (code, signal) => {
    children.delete(child);
    if (!stopping && !options.expectExit) {
      console.error(`[start] ${name} exited (${signal ?? code}); stopping.`);
      void shutdown(1);
    }
  });
  return child;
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  const pending = [...children].map((c) => new Promise((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve() : c.once('exit', resolve))));
  for (const c of children) killGroup(c, 'SIGTERM');
  const force = setTimeout(() => {
    for (const c of children) killGroup(c, 'SIGKILL');
  }, 8000);
  await Promise.all(pending);
  clearTimeout(force);
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
process.on('uncaughtException', (err) => {
  console.error('[start]', err);
  void shutdown(1);
});

async function startSim() {
  const dataDir = path.join(root, '.data', 'sim');
  const simPort = process.env.SIM_PORT || '0';
  const sim = run('simulated cluster', process.execPath, [tsxBin, 'sim/main.ts', '--port', simPort, '--data', dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: sim.stdout });
  let ready = false;
  const info = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the simulated cluster did not start within 120 s')), 120_000);
    sim.once('exit', () => reject(new Error('the simulated cluster exited before it was ready')));
    lines.on('line', (line) => {
      if (ready) return process.stdout.write(`[sim] ${line}\n`);
      try {
        const parsed = JSON.parse(line);
        if (parsed && typeof parsed.kubeconfig === 'string') {
          ready = true;
          clearTimeout(timer);
          resolve(parsed);
          return;
        }
      } catch {
        // not the ready line
      }
      process.stdout.write(`[sim] ${line}\n`);
    });
  });
  const kubeconfig = path.resolve(root, info.kubeconfig);
  console.log(`Simulated cluster running. kubectl --kubeconfig ${kubeconfig} get pods -A`);
  return kubeconfig;
}

function newestMtime(p) {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(p)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(p, entry)));
  }
  return newest;
}

function needsBuild() {
  const buildId = path.join(root, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  const sources = ['app', 'components', 'lib', 'public', 'next.config.ts', 'postcss.config.mjs', 'tsconfig.json', 'package.json', 'package-lock.json'];
  return sources.some((s) => newestMtime(path.join(root, s)) > built);
}

async function build(env) {
  log('building the app (the build is missing or older than the sources)…');
  const child = run('next build', process.execPath, [nextBin, 'build'], { env, expectExit: true });
  const code = await new Promise((resolve) => child.once('exit', (c) => resolve(c ?? 1)));
  if (code !== 0) throw new Error(`next build failed (exit ${code})`);
}

async function main() {
  const env = { ...process.env };
  if (findKubeconfigSource(env) === null) {
    env.FLINK_DASHBOARD_KUBECONFIG = await startSim();
  } else {
    log(`using ${findKubeconfigSource(env)}`);
  }
  if (stopping) return;
  if (!dev && needsBuild()) await build(env);
  if (stopping) return;
  run(dev ? 'next dev' : 'next start', process.execPath, [nextBin, dev ? 'dev' : 'start', '-p', port], { env });
  log(`dashboard on http://localhost:${port}`);
}

main().catch((err) => {
  console.error(`[start] ${err instanceof Error ? err.message : err}`);
  void shutdown(1);
});
