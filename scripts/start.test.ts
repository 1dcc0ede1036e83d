// scripts/start.mjs: readiness checks (API server over https with the kubeconfig's CA and token; Next
// answering HTTP), and the supervisor as a process: SIGTERM through `npm start` stops everything it
// started, a dying simulator stops the rest with a non-zero exit, a running simulator is reused.
// Every process test uses its own data folder (FLINK_DASHBOARD_SIM_DATA), HOME and free ports.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateServingCert } from '../sim/kube/apiserver/tls';
import { apiServerProblem, waitForApiServer, waitForHttp } from './start.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dirs: string[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

function tempDir(prefix: string): string {
  const d = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

// ---- processes, from /proc (Linux): identity is pid + start time, so a reused pid is not mistaken

interface Proc {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
  start: string;
  cmd: string;
}

function processes(): Map<number, Proc> {
  const out = new Map<number, Proc>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim();
      out.set(Number(name), { pid: Number(name), state: f[0], ppid: Number(f[1]), pgid: Number(f[2]), start: f[19], cmd });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** `pid` and every process below it, plus every process in those processes' groups. */
function tree(pid: number): Proc[] {
  const all = processes();
  const found = new Map<number, Proc>();
  const add = (p: Proc) => {
    if (found.has(p.pid)) return;
    found.set(p.pid, p);
    for (const q of all.values()) if (q.ppid === p.pid) add(q);
  };
  const top = all.get(pid);
  if (top) add(top);
  const groups = new Set([...found.values()].map((p) => p.pgid));
  for (const q of all.values()) if (groups.has(q.pgid) && q.pgid !== top?.pgid) add(q);
  for (const p of found.values()) seen.set(`${p.pid}/${p.start}`, p);
  return [...found.values()];
}

/** Every process a test has seen below what it launched: killed after the test if still running. */
const seen = new Map<string, Proc>();
afterEach(() => {
  for (const p of stillRunning([...seen.values()])) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  seen.clear();
});

/** Those of `procs` still running (same pid and start time, not a zombie). */
function stillRunning(procs: Proc[]): Proc[] {
  const now = processes();
  return procs.filter((p) => {
    const q = now.get(p.pid);
    return q && q.start === p.start && q.state !== 'Z';
  });
}

/** The environment of a machine without a kubeconfig, with its own data folder and ports. */
async function startEnv(dataDir: string): Promise<{ env: NodeJS.ProcessEnv; port: number }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: tempDir('start-home-'), FLINK_DASHBOARD_SIM_DATA: dataDir, SIM_PORT: '0', PORT: String(port), npm_config_update_notifier: 'false' };
  for (const k of ['KUBECONFIG', 'FLINK_DASHBOARD_KUBECONFIG', 'KUBERNETES_SERVICE_HOST', 'NODE_ENV']) delete env[k];
  return { env, port };
}

interface Started {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function launch(cmd: string, args: string[], env: NodeJS.ProcessEnv): Started {
  const child = spawn(cmd, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  cleanups.push(async () => {
    // a failed test must not leave anything running: everything below the child, then the child
    const left = tree(child.pid!);
    for (const p of left) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    if (child.exitCode === null && child.signalCode === null) await exited;
  });
  return { child, out: () => out, err: () => err, exited };
}

/** The pid of the simulator serving `dataDir`, from its lock once it has published its address. */
function simPidFromLock(dataDir: string): number | undefined {
  try {
    const lock = JSON.parse(readFileSync(path.join(dataDir, 'sim.lock'), 'utf8')) as { pid: number; url?: string };
    return lock.url ? lock.pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Waits until start.mjs (below `top`) has reported the sim ready and started Next (the build, or
 * next start when the build is fresh), and returns its process tree and the sim's pid.
 */
async function runningWithNext(s: Started, top: number, dataDir: string): Promise<{ procs: Proc[]; simPid: number; next: Proc }> {
  await waitFor('"Simulated cluster running"', () => s.out().includes('Simulated cluster running') || s.child.exitCode !== null, 180_000);
  expect(s.child.exitCode, s.err()).toBeNull();
  const simPid = simPidFromLock(dataDir)!;
  expect(simPid).toBeGreaterThan(0);
  expect(s.out()).toContain(`Simulated cluster running (pid ${simPid}, data ${dataDir}).`);
  const next = await waitFor(
    'next build or next start',
    () => {
      const procs = tree(top);
      const sim = procs.find((p) => p.pid === simPid);
      // Next is the other process group start.mjs made, beside the sim's
      return sim && procs.find((p) => p.ppid === sim.ppid && p.pid !== simPid && p.pgid === p.pid);
    },
    120_000,
  );
  expect(next.cmd).toMatch(/next/);
  return { procs: tree(top), simPid, next };
}

// ------------------------------------------------------------------ readiness

/** An https server with a certificate of its own, answering /readyz with `readyz()`. */
async function fakeApiServer(readyz: () => number) {
  const cert = loadOrCreateServingCert(tempDir('start-cert-'));
  const seen: { path: string; auth?: string }[] = [];
  const server = createHttpsServer({ key: cert.key, cert: cert.cert }, (req, res) => {
    seen.push({ path: req.url ?? '', auth: req.headers.authorization });
    if (req.url === '/readyz') {
      const code = readyz();
      res.writeHead(code, { 'Content-Type': 'text/plain' }).end(code === 200 ? 'ok' : '[-]etcd failed: not ready');
    } else if (req.url === '/version') res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ major: '1', minor: '28', gitVersion: 'v1.28.0' }));
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  const port = (server.address() as AddressInfo).port;
  const kubeconfig = (ca: string) => {
    const p = path.join(tempDir('start-kc-'), 'kubeconfig');
    writeFileSync(
      p,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        `- name: c`,
        `  cluster: {server: "https://127.0.0.1:${port}", certificate-authority-data: ${Buffer.from(ca).toString('base64')}}`,
        'users:',
        '- name: u',
        '  user: {token: secret-token}',
        'contexts:',
        '- name: x',
        '  context: {cluster: c, user: u}',
        'current-context: x',
      ].join('\n'),
    );
    return p;
  };
  return { seen, kubeconfig: kubeconfig(cert.cert), kubeconfigWithOtherCa: () => kubeconfig(loadOrCreateServingCert(tempDir('start-cert-')).cert) };
}

describe('API server readiness', () => {
  it('waits for /readyz to answer 200, then asks /version, over https with the kubeconfig CA and token', async () => {
    let ready = false;
    const api = await fakeApiServer(() => (ready ? 200 : 500));
    const waiting = waitForApiServer(api.kubeconfig, { timeoutMs: 60_000 });
    let settled = false;
    void waiting.finally(() => (settled = true));
    await waitFor('three /readyz polls', () => api.seen.filter((s) => s.path === '/readyz').length >= 3);
    expect(settled).toBe(false);
    expect(api.seen.some((s) => s.path === '/version')).toBe(false);
    ready = true;
    await waiting;
    expect(api.seen.at(-1)).toEqual({ path: '/version', auth: 'Bearer secret-token' });
    expect(api.seen.every((s) => s.auth === 'Bearer secret-token')).toBe(true);
  });

  it('says what is wrong: a failing /readyz, a server whose certificate the CA did not sign, nothing listening', async () => {
    const api = await fakeApiServer(() => 500);
    expect(await apiServerProblem(api.kubeconfig)).toMatch(/\/readyz answered 500 \[-\]etcd failed: not ready$/);
    expect(await apiServerProblem(api.kubeconfigWithOtherCa())).toMatch(/^https:\/\/127\.0\.0\.1:\d+: .*certificate/i);
    await expect(waitForApiServer(api.kubeconfig, { timeoutMs: 300 })).rejects.toThrow(/the API server was not ready within 0 s: .*\/readyz answered 500/);
    expect(await apiServerProblem(path.join(tempDir('start-kc-'), 'missing'))).toMatch(/^cannot read .*missing: ENOENT/);
  });

  it('stops waiting when the process that should serve it exits', async () => {
    const api = await fakeApiServer(() => 503);
    await expect(waitForApiServer(api.kubeconfig, { timeoutMs: 60_000, gone: Promise.resolve('exited with code 1') })).rejects.toThrow(
      'the API server stopped before it was ready: exited with code 1',
    );
  });
});

describe('Next readiness (waitForHttp)', () => {
  it('resolves once anything answers, whatever the status', async () => {
    const server = createHttpServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    await waitForHttp(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/contexts`, { timeoutMs: 10_000 });
  });

  it('fails when the server process exits first, or when nothing answers in time', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['-e', 'process.exit(4)']);
    const gone = new Promise<string>((r) => child.once('exit', (code) => r(`exited with code ${code}`)));
    await expect(waitForHttp(`http://127.0.0.1:${port}/`, { timeoutMs: 60_000, gone })).rejects.toThrow(`exited before it answered on http://127.0.0.1:${port}/: exited with code 4`);
    await expect(waitForHttp(`http://127.0.0.1:${port}/`, { timeoutMs: 300 })).rejects.toThrow(`did not answer on http://127.0.0.1:${port}/ within 0 s (connect ECONNREFUSED 127.0.0.1:${port})`);
  });
});

// ------------------------------------------------------------------ the supervisor as a process

describe('npm start as a process', () => {
  it('SIGTERM to the npm process stops the simulator and Next (their whole process groups), and npm exits', async () => {
    const dataDir = tempDir('start-data-');
    const { env } = await startEnv(dataDir);
    const npm = launch('npm', ['start'], env);
    const { procs, simPid, next } = await runningWithNext(npm, npm.child.pid!, dataDir);
    expect(procs.map((p) => p.pid)).toEqual(expect.arrayContaining([npm.child.pid, simPid, next.pid]));

    npm.child.kill('SIGTERM'); // npm only, as a supervisor does
    const { code, signal } = await npm.exited;
    expect(stillRunning(procs), npm.err()).toEqual([]);
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    // the simulator stopped cleanly: state flushed, lock released
    expect(readdirSync(dataDir)).toContain('state.json');
    expect(readdirSync(dataDir)).not.toContain('sim.lock');
  }, 300_000);

  it('under a package manager whose shell dies of SIGTERM without passing it on, it notices its parent is gone and stops everything', async () => {
    const dataDir = tempDir('start-data-');
    const { env } = await startEnv(dataDir);
    // what npm does without `exec` in the script: dash does not exec the last command of `sh -c`
    const sh = launch('/bin/sh', ['-c', `${process.execPath} scripts/start.mjs; echo "sh: start exited $?"`], { ...env, npm_lifecycle_event: 'start' });
    const { procs } = await runningWithNext(sh, sh.child.pid!, dataDir);
    const start = procs.find((p) => p.ppid === sh.child.pid)!;
    expect(start.cmd).toContain('scripts/start.mjs');

    sh.child.kill('SIGTERM');
    expect((await sh.exited).signal).toBe('SIGTERM');
    await waitFor('every process start.mjs started to stop', () => stillRunning(procs).length === 0, 30_000);
    expect(readdirSync(dataDir)).not.toContain('sim.lock');
  }, 300_000);

  it('npm run dev: "dashboard on" only once Next answers; SIGTERM to npm stops next dev\'s whole process group and the simulator', async () => {
    const dataDir = tempDir('start-data-');
    const { env, port } = await startEnv(dataDir);
    const npm = launch('npm', ['run', 'dev'], env);
    await waitFor('"dashboard on"', () => npm.out().includes(`[start] dashboard on http://localhost:${port}`) || npm.child.exitCode !== null, 240_000);
    expect(npm.child.exitCode, npm.err()).toBeNull();
    // at the moment it says so, Next answers (one request, no retry)
    expect((await fetch(`http://127.0.0.1:${port}/api/contexts`)).status).toBe(200);
    const simPid = simPidFromLock(dataDir)!;
    const procs = tree(npm.child.pid!);
    const sim = procs.find((p) => p.pid === simPid)!;
    const nextGroup = procs.filter((p) => p.pgid !== sim.pgid && p.pgid !== npm.child.pid && p.pgid === procs.find((q) => q.ppid === sim.ppid && q.pid !== simPid)?.pid);
    expect(nextGroup.length).toBeGreaterThanOrEqual(2); // next dev and the server it forks

    npm.child.kill('SIGTERM');
    expect(await npm.exited).toEqual({ code: 0, signal: null });
    expect(stillRunning(procs)).toEqual([]);
    await expect(fetch(`http://127.0.0.1:${port}/api/contexts`)).rejects.toThrow();
  }, 300_000);

  it('when the simulator dies, says so, stops Next and exits non-zero', async () => {
    const dataDir = tempDir('start-data-');
    const { env } = await startEnv(dataDir);
    const start = launch(process.execPath, [path.join(root, 'scripts', 'start.mjs')], env);
    const { procs, simPid, next } = await runningWithNext(start, start.child.pid!, dataDir);

    process.kill(simPid, 'SIGKILL');
    const { code } = await start.exited;
    expect(code).toBe(1);
    expect(start.err()).toMatch(new RegExp(`\\[start\\] the simulated cluster \\(pid ${simPid}\\) was killed by SIGKILL; stopping next (build|start)\\.`));
    expect(stillRunning(procs)).toEqual([]);
    expect(stillRunning([next])).toEqual([]);
  }, 300_000);

  it('when Next exits before it answers (its port is taken), says which and why, stops the simulator and exits non-zero', async () => {
    const dataDir = tempDir('start-data-');
    const { env, port } = await startEnv(dataDir);
    const taken = createNetServer((socket) => socket.destroy()); // taken, and answers nothing
    await new Promise<void>((r) => taken.listen(port, '0.0.0.0', r));
    cleanups.push(() => new Promise<void>((r) => taken.close(() => r())));
    const start = launch(process.execPath, [path.join(root, 'scripts', 'start.mjs'), '--dev'], env);
    await waitFor('"Simulated cluster running"', () => start.out().includes('Simulated cluster running') || start.child.exitCode !== null, 120_000);
    const simPid = simPidFromLock(dataDir)!;
    const procs = tree(start.child.pid!);
    expect(procs.map((p) => p.pid)).toContain(simPid);
    const { code } = await start.exited;
    expect(code).toBe(1);
    expect(start.err()).toMatch(/\[start\] next dev \(pid \d+\) exited with code 1; stopping the simulated cluster\.\n\[start\] last lines of its stderr:\n[^]*EADDRINUSE/);
    expect(start.out()).not.toContain('dashboard on');
    expect(stillRunning([...procs, ...tree(start.child.pid!)])).toEqual([]);
    expect(readdirSync(dataDir)).not.toContain('sim.lock'); // the simulator stopped cleanly
  }, 300_000);

  it('two starts on one fresh data folder run one simulator between them', async () => {
    const dataDir = tempDir('start-data-');
    const a = launch(process.execPath, [path.join(root, 'scripts', 'start.mjs')], (await startEnv(dataDir)).env);
    const b = launch(process.execPath, [path.join(root, 'scripts', 'start.mjs')], (await startEnv(dataDir)).env);
    const line = /Simulated cluster running \(pid (\d+)/;
    await waitFor('both "Simulated cluster running"', () => (line.test(a.out()) && line.test(b.out())) || a.child.exitCode !== null || b.child.exitCode !== null, 180_000);
    expect(a.child.exitCode, a.err()).toBeNull();
    expect(b.child.exitCode, b.err()).toBeNull();
    const simPid = Number(line.exec(a.out())![1]);
    expect(Number(line.exec(b.out())![1])).toBe(simPid);
    expect(simPidFromLock(dataDir)).toBe(simPid);
    const sims = [...tree(a.child.pid!), ...tree(b.child.pid!)].filter((p) => p.cmd.includes('sim/main.ts'));
    expect(sims.map((p) => p.pid)).toEqual([simPid]);
    expect([a.out(), b.out()].filter((o) => o.includes('already running, reused'))).toHaveLength(1);

    const owner = tree(a.child.pid!).some((p) => p.pid === simPid) ? a : b;
    const other = owner === a ? b : a;
    other.child.kill('SIGTERM');
    expect((await other.exited).code).toBe(0);
    expect(stillRunning(sims)).toHaveLength(1); // the one who started it keeps it
    owner.child.kill('SIGTERM');
    expect((await owner.exited).code).toBe(0);
    expect(stillRunning(sims)).toEqual([]);
  }, 300_000);

  it('reuses a simulator that already serves the data folder, starts no second one, and leaves it running', async () => {
    const dataDir = tempDir('start-data-');
    const sim = launch(process.execPath, ['--import', 'tsx', path.join(root, 'sim', 'main.ts'), '--port', '0', '--data', dataDir], process.env);
    const info = await new Promise<{ url: string; kubeconfig: string }>((resolve, reject) => {
      sim.child.once('exit', (c) => reject(new Error(`the sim exited (${c}): ${sim.err()}`)));
      createInterface({ input: sim.child.stdout! }).once('line', (l) => resolve(JSON.parse(l)));
    });
    const { env } = await startEnv(dataDir);
    const start = launch(process.execPath, [path.join(root, 'scripts', 'start.mjs')], env);
    await waitFor('"Simulated cluster running"', () => start.out().includes('Simulated cluster running') || start.child.exitCode !== null, 120_000);
    expect(start.out()).toContain(`Simulated cluster running (pid ${sim.child.pid}, data ${dataDir}; already running, reused and left running on exit). kubectl --kubeconfig ${info.kubeconfig} get pods -A`);
    expect(tree(start.child.pid!).filter((p) => p.cmd.includes('sim/main.ts'))).toEqual([]);
    expect(start.err()).not.toContain('another simulator'); // found it from the lock, did not even try to start one

    start.child.kill('SIGTERM');
    expect((await start.exited).code).toBe(0);
    expect(sim.child.exitCode).toBeNull();
    expect(await apiServerProblem(info.kubeconfig)).toBeUndefined();

    // a start that reuses it stops (exit 1, saying why) when that simulator goes away
    const again = launch(process.execPath, [path.join(root, 'scripts', 'start.mjs')], (await startEnv(dataDir)).env);
    await waitFor('"Simulated cluster running"', () => again.out().includes('already running, reused') || again.child.exitCode !== null, 120_000);
    sim.child.kill('SIGKILL');
    expect((await again.exited).code).toBe(1);
    expect(again.err()).toContain(`[start] the simulated cluster (pid ${sim.child.pid}, not started by this process) is gone; stopping`);
  }, 300_000);
});
