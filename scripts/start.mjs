#!/usr/bin/env node
// `npm start` / `npm run dev` (= --dev): the dashboard, with the embedded simulated cluster when no
// Kubernetes is configured.
//
// - The sim (a separate process, so it survives dev hot reloads) keeps its state in
//   FLINK_DASHBOARD_SIM_DATA (default .data/sim). One simulator per data folder: when one already
//   serves the folder (sim/lock.ts writes <data>/sim.lock) it is reused, not started again.
// - "Simulated cluster running" is printed once the API server answers /readyz and /version over
//   https with the CA and token of the kubeconfig it wrote; "dashboard on" once Next answers HTTP.
// - Builds when the build is missing or older than the sources, then runs Next.
// - Every child runs in its own process group. If one exits, this says which and why, stops the
//   others (whole groups) and exits non-zero. SIGINT/SIGTERM (npm forwards them) or, under a
//   package manager, losing the parent process stops them all, then exits.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { homedir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const root = path.resolve(import.meta.dirname, '..');
const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');

/** sim/main.ts exits with this code when another simulator holds the data folder. */
export const EXIT_DATA_DIR_HELD = 3;
const SIM_START_TIMEOUT_MS = 120_000;

/** Same precedence as lib/k8s/kubeconfig-source.ts (which the app uses). */
export function findKubeconfigSource(env) {
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

/** The sim's data folder: FLINK_DASHBOARD_SIM_DATA (relative to the repository) or .data/sim. */
export function simDataDir(env) {
  return path.resolve(root, env.FLINK_DASHBOARD_SIM_DATA || path.join('.data', 'sim'));
}

/** "exited with code 1" / "was killed by SIGKILL". */
export function describeExit(code, signal) {
  return signal ? `was killed by ${signal}` : `exited with code ${code}`;
}

const delay = (ms) => new Promise((r) => setTimeout(r, ms));

/** GET over http(s); resolves {status, body}, rejects on connection errors and after timeoutMs. */
function get(url, { ca, token, timeoutMs = 5000 } = {}) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
    const headers = token ? { Authorization: `Bearer ${token}` } : {};
    const req = request(u, { method: 'GET', headers, timeout: timeoutMs, ...(ca ? { ca } : {}) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** Server, CA and token of a kubeconfig's current context. */
export function kubeconfigTarget(kubeconfigPath) {
  const doc = parseYaml(readFileSync(kubeconfigPath, 'utf8'));
  const ctxName = doc?.['current-context'];
  const ctx = doc?.contexts?.find((c) => c.name === ctxName)?.context;
  if (!ctx) throw new Error(`${kubeconfigPath} has no current context`);
  const cluster = doc.clusters?.find((c) => c.name === ctx.cluster)?.cluster;
  if (!cluster?.server) throw new Error(`${kubeconfigPath}: cluster ${ctx.cluster} has no server`);
  const user = doc.users?.find((u) => u.name === ctx.user)?.user ?? {};
  const ca = cluster['certificate-authority-data'] ? Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8') : undefined;
  return { server: cluster.server, ca, token: user.token };
}

/**
 * One readiness check of the API server a kubeconfig points at: /readyz answers 200 "ok" and
 * /version 200 with a gitVersion, over its server URL with its CA and token. Returns undefined when
 * ready, else what is wrong in plain words.
 */
export async function apiServerProblem(kubeconfigPath, timeoutMs = 5000) {
  let target;
  try {
    target = kubeconfigTarget(kubeconfigPath);
  } catch (e) {
    return `cannot read ${kubeconfigPath}: ${e instanceof Error ? e.message : e}`;
  }
  try {
    const readyz = await get(`${target.server}/readyz`, { ...target, timeoutMs });
    if (readyz.status !== 200) return `${target.server}/readyz answered ${readyz.status} ${readyz.body.slice(0, 200)}`;
    const version = await get(`${target.server}/version`, { ...target, timeoutMs });
    if (version.status !== 200) return `${target.server}/version answered ${version.status} ${version.body.slice(0, 200)}`;
    let gitVersion;
    try {
      gitVersion = JSON.parse(version.body).gitVersion;
    } catch {
      // not JSON
    }
    if (typeof gitVersion !== 'string') return `${target.server}/version did not answer a Kubernetes version`;
    return undefined;
  } catch (e) {
    return `${target.server}: ${e instanceof Error ? e.message : e}`;
  }
}

/**
 * Polls apiServerProblem until the API server is ready. Rejects after timeoutMs with the last
 * problem, or as soon as `gone` settles (the process that should serve it exited).
 */
export async function waitForApiServer(kubeconfigPath, { timeoutMs = SIM_START_TIMEOUT_MS, gone } = {}) {
  const deadline = Date.now() + timeoutMs;
  let exited;
  gone?.then(
    (why) => (exited = why ?? 'it exited'),
    (e) => (exited = String(e)),
  );
  for (;;) {
    if (exited) throw new Error(`the API server stopped before it was ready: ${exited}`);
    const problem = await apiServerProblem(kubeconfigPath, Math.max(1000, Math.min(5000, deadline - Date.now())));
    if (problem === undefined) return;
    if (exited) throw new Error(`the API server stopped before it was ready: ${exited}`);
    if (Date.now() >= deadline) throw new Error(`the API server was not ready within ${Math.round(timeoutMs / 1000)} s: ${problem}`);
    await delay(100);
  }
}

/**
 * Polls `url` until anything answers over HTTP (any status). Rejects after timeoutMs, or as soon as
 * `gone` settles (the server process exited first).
 */
export async function waitForHttp(url, { timeoutMs, gone } = {}) {
  const deadline = Date.now() + timeoutMs;
  let exited;
  gone?.then(
    (why) => (exited = why ?? 'it exited'),
    (e) => (exited = String(e)),
  );
  let last = 'no answer';
  for (;;) {
    if (exited) throw new Error(`exited before it answered on ${url}: ${exited}`);
    try {
      await get(url, { timeoutMs: Math.max(1000, deadline - Date.now()) });
      if (exited) throw new Error(`exited before it answered on ${url}: ${exited}`);
      return;
    } catch (e) {
      if (exited) throw new Error(`exited before it answered on ${url}: ${exited}`);
      last = e instanceof Error ? e.message : String(e);
    }
    if (Date.now() >= deadline) throw new Error(`did not answer on ${url} within ${Math.round(timeoutMs / 1000)} s (${last})`);
    await delay(200);
  }
}

export function pidAlive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e?.code === 'EPERM';
  }
}

/** Whether any live (not zombie) process is in process group `pgid`. */
export function groupAlive(pgid) {
  if (process.platform === 'linux') {
    let pids;
    try {
      pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
    } catch {
      pids = undefined;
    }
    if (pids) {
      for (const p of pids) {
        try {
          const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
          const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          if (Number(pgrp) === pgid && state !== 'Z') return true;
        } catch {
          // gone meanwhile
        }
      }
      return false;
    }
  }
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return e?.code === 'EPERM';
  }
}

/** The running simulator that holds `dataDir`, if it answers: {pid, url, kubeconfig}. */
export async function runningSim(dataDir) {
  let lock;
  try {
    lock = JSON.parse(readFileSync(path.join(dataDir, 'sim.lock'), 'utf8'));
  } catch {
    return undefined;
  }
  if (!lock || !pidAlive(lock.pid) || typeof lock.url !== 'string' || typeof lock.kubeconfig !== 'string') return undefined;
  if ((await apiServerProblem(lock.kubeconfig, 3000)) !== undefined) return undefined;
  return { pid: lock.pid, url: lock.url, kubeconfig: lock.kubeconfig };
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

// ---------------------------------------------------------------- sign-in (lib/auth/config.ts checks the same per request)

const isLoopback = (host) => {
  const h = String(host ?? '').replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
};

/** A sign-in configuration the dashboard cannot run with, in plain words (see "Logging in" in the README). */
export function authStartProblem(env) {
  const mode = (env.FLINK_DASHBOARD_AUTH ?? '').trim().toLowerCase() || 'none';
  if (!['none', 'token', 'oidc'].includes(mode)) return `FLINK_DASHBOARD_AUTH="${env.FLINK_DASHBOARD_AUTH}" is not one of none, token or oidc.`;
  if (mode !== 'none' && (env.FLINK_DASHBOARD_SESSION_SECRET ?? '').length < 32) {
    return `FLINK_DASHBOARD_SESSION_SECRET must be set to at least 32 random characters in ${mode} mode (every replica uses the same one), e.g. from \`openssl rand -base64 48\`.`;
  }
  if (mode === 'token' && !env.FLINK_DASHBOARD_TOKENS_SECRET) return 'FLINK_DASHBOARD_TOKENS_SECRET is not set: name the Secret of sign-in tokens as <namespace>/<name>.';
  return undefined;
}

/**
 * Mode none against a kubeconfig this process did not start the simulator for: allowed on loopback
 * (FLINK_DASHBOARD_HOST) or when the API server is the simulator (gitVersion ending in -sim).
 */
async function noneModeStartProblem(source, env) {
  const mode = (env.FLINK_DASHBOARD_AUTH ?? '').trim().toLowerCase() || 'none';
  if (mode !== 'none' || isLoopback(env.FLINK_DASHBOARD_HOST) || source === 'in-cluster') {
    if (mode === 'none' && source === 'in-cluster' && !isLoopback(env.FLINK_DASHBOARD_HOST)) {
      return 'Sign-in is off (FLINK_DASHBOARD_AUTH=none) inside a Kubernetes cluster: anyone who reaches the dashboard would act with its ServiceAccount. Set FLINK_DASHBOARD_AUTH=token or oidc (see "Logging in" in the README).';
    }
    return undefined;
  }
  try {
    const target = kubeconfigTarget(source);
    const version = await get(`${target.server}/version`, { ...target, timeoutMs: 5000 });
    const gitVersion = JSON.parse(version.body).gitVersion;
    if (typeof gitVersion === 'string' && !gitVersion.endsWith('-sim')) {
      return `Sign-in is off (FLINK_DASHBOARD_AUTH=none), which is allowed only on loopback or against the simulated cluster, and ${target.server} is a real Kubernetes API server (${gitVersion}). Set FLINK_DASHBOARD_AUTH=token or oidc (see "Logging in" in the README), or listen on loopback only (FLINK_DASHBOARD_HOST=127.0.0.1).`;
    }
  } catch {
    // unreachable or not JSON: the routes refuse until it can be told apart from a real cluster
  }
  return undefined;
}

// ---------------------------------------------------------------- the supervisor

/** @type {Set<{name: string, child: import('node:child_process').ChildProcess, pgid: number, exited: Promise<string>, tail: () => string[], expectExit: boolean}>} */
const children = new Set();
let stopping = false;

function log(msg) {
  console.log(`[start] ${msg}`);
}

function logErr(msg) {
  console.error(`[start] ${msg}`);
}

function others(except) {
  const names = [...children].filter((c) => c !== except).map((c) => c.name);
  return names.length ? `stopping ${names.join(' and ')}` : 'stopping';
}

/**
 * Spawns `cmd` in its own process group (stopping the group stops everything it started, such as
 * the server `next dev` forks). Its stderr is passed through, and its last lines kept to explain an exit.
 */
function run(name, cmd, args, { env, stdout = 'inherit', expectExit = false }) {
  const child = spawn(cmd, args, { cwd: root, detached: true, stdio: ['ignore', stdout, 'pipe'], env });
  let tail = '';
  child.stderr.on('data', (d) => {
    process.stderr.write(d);
    tail = (tail + d.toString('utf8')).slice(-4000);
  });
  const entry = {
    name,
    child,
    pgid: child.pid,
    expectExit,
    tail: () => tail.split('\n').filter((l) => l.trim()).slice(-8),
    exited: undefined,
  };
  entry.exited = new Promise((resolve) => {
    child.once('error', (err) => resolve(`could not be started: ${err.message}`));
    child.once('exit', (code, signal) => resolve(describeExit(code, signal)));
  });
  children.add(entry);
  void entry.exited.then((why) => {
    children.delete(entry);
    if (stopping || entry.expectExit) return;
    reportExit(entry, why);
    void shutdown(1);
  });
  return entry;
}

function reportExit(entry, why) {
  logErr(`${entry.name} (pid ${entry.child.pid}) ${why}; ${others(entry)}.`);
  const lines = entry.tail();
  if (lines.length) logErr(`last lines of its stderr:\n${lines.map((l) => `    ${l}`).join('\n')}`);
}

function killGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  const all = [...children];
  for (const c of all) killGroup(c.pgid, 'SIGTERM');
  const groups = all.map((c) => c.pgid);
  // the leaders first (they flush state), then whatever else was in their groups
  const force = setTimeout(() => {
    for (const g of groups) killGroup(g, 'SIGKILL');
  }, 8000);
  await Promise.all(all.map((c) => c.exited));
  const deadline = Date.now() + 10_000;
  while (groups.some(groupAlive) && Date.now() < deadline) await delay(50);
  clearTimeout(force);
  for (const g of groups.filter(groupAlive)) {
    logErr(`process group ${g} did not stop; killing it.`);
    killGroup(g, 'SIGKILL');
  }
  process.exit(code);
}

/** Starts the simulator on `dataDir`, or reuses the one that serves it. Returns its kubeconfig path. */
async function startSim(dataDir, env) {
  const running = await runningSim(dataDir);
  if (running) return reuseSim(running, dataDir);

  const simPort = env.SIM_PORT || '0';
  const sim = run('the simulated cluster', process.execPath, ['--import', 'tsx', 'sim/main.ts', '--port', simPort, '--data', dataDir], {
    env,
    stdout: 'pipe',
    expectExit: true, // until it is ready, startSim explains an exit
  });
  let readyLine;
  const gotReadyLine = new Promise((resolve) => (readyLine = resolve));
  let info;
  createInterface({ input: sim.child.stdout }).on('line', (line) => {
    if (!info) {
      try {
        const parsed = JSON.parse(line);
        if (parsed && typeof parsed.kubeconfig === 'string') {
          info = parsed;
          readyLine(parsed);
          return;
        }
      } catch {
        // a log line
      }
    }
    process.stdout.write(`[sim] ${line}\n`);
  });
  const deadline = Date.now() + SIM_START_TIMEOUT_MS;
  let timer;
  const first = await Promise.race([
    gotReadyLine.then((i) => ({ info: i })),
    sim.exited.then((why) => ({ why })),
    new Promise((resolve) => (timer = setTimeout(() => resolve({ timeout: true }), SIM_START_TIMEOUT_MS))),
  ]);
  clearTimeout(timer);
  if (stopping) return undefined;
  if (first.timeout) {
    sim.expectExit = false;
    throw new Error(`the simulated cluster (pid ${sim.child.pid}) printed no ready line within ${SIM_START_TIMEOUT_MS / 1000} s`);
  }
  if (first.why) {
    if (sim.child.exitCode === EXIT_DATA_DIR_HELD) return waitForHolder(dataDir, deadline);
    const lastLines = sim.tail();
    throw new Error(`the simulated cluster (pid ${sim.child.pid}) ${first.why} before it was ready${lastLines.length ? `:\n${lastLines.map((l) => `    ${l}`).join('\n')}` : ''}`);
  }
  const kubeconfig = path.resolve(root, first.info.kubeconfig);
  try {
    await waitForApiServer(kubeconfig, { timeoutMs: Math.max(1000, deadline - Date.now()), gone: sim.exited });
  } catch (e) {
    if (stopping) return undefined;
    throw new Error(`the simulated cluster (pid ${sim.child.pid}): ${e instanceof Error ? e.message : e}`);
  }
  if (sim.child.exitCode !== null || sim.child.signalCode !== null) {
    throw new Error(`the simulated cluster (pid ${sim.child.pid}) ${await sim.exited} right after it was ready`);
  }
  sim.expectExit = false; // from now on an exit stops everything
  console.log(`Simulated cluster running (pid ${sim.child.pid}, data ${dataDir}). kubectl --kubeconfig ${kubeconfig} get pods -A`);
  return kubeconfig;
}

/** Another starter won the data folder: wait for its simulator to answer, then reuse it. */
async function waitForHolder(dataDir, deadline) {
  log(`another simulator is starting on ${dataDir}; waiting for it.`);
  for (;;) {
    const running = await runningSim(dataDir);
    if (running) return reuseSim(running, dataDir);
    if (stopping) return undefined;
    if (Date.now() >= deadline) throw new Error(`the simulator that holds ${dataDir} did not become ready; see ${path.join(dataDir, 'sim.lock')}`);
    await delay(200);
  }
}

/** A simulator this process did not start: watched (its exit stops the dashboard), never stopped. */
function reuseSim(running, dataDir) {
  console.log(
    `Simulated cluster running (pid ${running.pid}, data ${dataDir}; already running, reused and left running on exit). kubectl --kubeconfig ${running.kubeconfig} get pods -A`,
  );
  const watch = setInterval(() => {
    if (stopping || pidAlive(running.pid)) return;
    clearInterval(watch);
    logErr(`the simulated cluster (pid ${running.pid}, not started by this process) is gone; ${others()}.`);
    void shutdown(1);
  }, 1000);
  watch.unref();
  return running.kubeconfig;
}

async function build(env) {
  log('building the app (the build is missing or older than the sources)…');
  const b = run('next build', process.execPath, [nextBin, 'build'], { env, expectExit: true });
  const why = await b.exited;
  if (stopping || b.child.exitCode === 0) return;
  reportExit(b, why);
  void shutdown(1);
}

export async function main(argv = process.argv.slice(2), env = process.env) {
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  process.on('uncaughtException', (err) => {
    logErr(err instanceof Error ? (err.stack ?? err.message) : String(err));
    void shutdown(1);
  });
  // Run by a package manager (npm, pnpm and yarn set npm_lifecycle_event), this may sit under a
  // `sh -c` that dies of the SIGTERM meant for it without passing it on: stop when the parent goes.
  // Not when run directly, where a daemonising parent may well exit.
  if (env.npm_lifecycle_event) {
    const parent = process.ppid;
    setInterval(() => {
      if (!stopping && process.ppid !== parent) {
        logErr(`the parent process (pid ${parent}) is gone; ${others()}.`);
        void shutdown(1);
      }
    }, 500).unref();
  }

  const dev = argv.includes('--dev');
  const port = env.PORT || '3000';
  if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
    logErr(`PORT must be a port number between 1 and 65535, not "${port}".`);
    process.exit(2);
  }
  const childEnv = { ...env };
  const authProblem = authStartProblem(env);
  if (authProblem) {
    logErr(authProblem);
    process.exit(2);
  }
  try {
    const source = findKubeconfigSource(env);
    if (source === null) {
      const kubeconfig = await startSim(simDataDir(env), env);
      if (kubeconfig === undefined || stopping) return;
      childEnv.FLINK_DASHBOARD_KUBECONFIG = kubeconfig;
    } else {
      log(`using ${source}`);
      const problem = await noneModeStartProblem(source, env);
      if (problem) {
        logErr(problem);
        await shutdown(2);
        return;
      }
    }
    if (!dev && needsBuild()) await build(childEnv);
    if (stopping) return;
    const name = dev ? 'next dev' : 'next start';
    const hostArgs = env.FLINK_DASHBOARD_HOST ? ['-H', env.FLINK_DASHBOARD_HOST] : [];
    // The dashboard's own SIGTERM handler (instrumentation.ts) ends SSE streams and watches and exits 0;
    // Next's would wait for the streams. (`next start` warns about output: 'standalone', and serves fine;
    // the image runs .next/standalone/server.js, see the Dockerfile.)
    const nextEnv = dev ? childEnv : { ...childEnv, NEXT_MANUAL_SIG_HANDLE: '1' };
    const next = run(name, process.execPath, [nextBin, dev ? 'dev' : 'start', '-p', port, ...hostArgs], { env: nextEnv });
    // dev compiles the route on the first request
    try {
      await waitForHttp(`http://127.0.0.1:${port}/api/contexts`, { timeoutMs: dev ? 300_000 : 120_000, gone: next.exited });
    } catch (e) {
      throw new Error(`${name} (pid ${next.child.pid}) ${e instanceof Error ? e.message : e}`);
    }
    if (stopping) return;
    log(`dashboard on http://localhost:${port}`);
  } catch (err) {
    if (stopping) return;
    logErr(err instanceof Error ? err.message : String(err));
    void shutdown(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) void main();
