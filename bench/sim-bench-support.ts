// Shared pieces of the simulator benchmarks (sim-kube-scale.ts, sim-flink-scale.ts): a sim started as
// its own child process (so /proc/<pid> is the sim alone), raw HTTP with the admin token, watch
// streams, /proc readings, percentiles and a tiny flag parser. Loopback only.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parse as parseYaml } from 'yaml';

export const root = path.resolve(import.meta.dirname, '..');

export function flags<T extends Record<string, number | string>>(defaults: T): T {
  const out: Record<string, number | string> = { ...defaults };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const [k, inline] = a.includes('=') ? [a.slice(2, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a.slice(2), undefined];
    if (!(k in defaults)) throw new Error(`unknown flag --${k}; known: ${Object.keys(defaults).map((x) => `--${x}`).join(' ')}`);
    const v = inline ?? argv[++i];
    out[k] = typeof defaults[k] === 'number' ? Number(v) : v;
    if (typeof defaults[k] === 'number' && !Number.isFinite(out[k])) throw new Error(`--${k} needs a number`);
  }
  return out as T;
}

export interface SimProc {
  url: string;
  token: string;
  pid: number;
  tmp: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * `node --import tsx sim/main.ts --port 0 --data <tmp>/sim`: the same as `npx tsx sim/main.ts`, but
 * without tsx's wrapper process, so child.pid IS the sim (for /proc/<pid>/status and /stat).
 * nodeArgs go to that node (e.g. --cpu-prof --cpu-prof-dir=DIR), simArgs to sim/main.ts (e.g. --heap-growing-percent 0).
 */
export async function startSimProcess(prefix: string, nodeArgs: string[] = [], simArgs: string[] = []): Promise<SimProc> {
  const tmp = mkdtempSync(path.join(tmpdir(), `sim-bench-${prefix}-`));
  const child = spawn(process.execPath, ['--import', 'tsx', ...nodeArgs, 'sim/main.ts', '--port', '0', '--data', path.join(tmp, 'sim'), ...simArgs], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
  });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`sim did not start in 120 s: ${stderr}`)), 120_000);
    rl.once('line', (l) => {
      clearTimeout(timer);
      resolve(l);
    });
    child.once('exit', (code) => reject(new Error(`sim exited (${code}): ${stderr}`)));
  });
  child.stdout!.resume();
  const info = JSON.parse(line) as { url: string; kubeconfig: string };
  const kc = parseYaml(readFileSync(info.kubeconfig, 'utf8')) as { users: { name: string; user: { token: string } }[] };
  const token = kc.users.find((u) => u.name === 'sim-admin')!.user.token;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 90_000);
      await exited;
      clearTimeout(t);
    }
    rmSync(tmp, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  };
  return { url: info.url, token, pid: child.pid!, tmp, child, stop };
}

/** Stops the sim and removes its folder on Ctrl-C, uncaught errors and normal exit. */
export function cleanupOnExit(sim: SimProc): void {
  const bail = (why: string, code: number) => {
    process.stderr.write(`\n${why}; stopping the sim\n`);
    void sim.stop().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => bail('interrupted', 130));
  process.once('SIGTERM', () => bail('terminated', 143));
  process.once('uncaughtException', (e) => bail(`error: ${e.stack ?? e}`, 1));
  process.once('unhandledRejection', (e) => bail(`error: ${e instanceof Error ? e.stack : String(e)}`, 1));
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** The parts of Kubernetes objects, lists and Flink REST answers the benchmarks read. */
export interface ApiObject {
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    deletionTimestamp?: string;
  };
  spec?: { nodeName?: string };
  status?: { phase?: string; podIP?: string };
  data?: Record<string, string>;
  items?: ApiObject[];
  reason?: string;
  filename?: string;
  jobid?: string;
}

export interface Resp {
  status: number;
  /** the parsed JSON answer; an object with empty metadata when the answer was not JSON */
  body: ApiObject;
  text: string;
}

/** One request with the admin token; never throws on HTTP errors. */
export function request(sim: SimProc, method: string, p: string, body?: unknown, contentType = 'application/json'): Promise<Resp> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    const req = http.request(
      `${sim.url}${p}`,
      {
        method,
        agent,
        headers: {
          Authorization: `Bearer ${sim.token}`,
          Accept: 'application/json',
          ...(payload ? { 'Content-Type': contentType, 'Content-Length': payload.length } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let parsed: ApiObject = { metadata: { name: '' } };
          try {
            parsed = JSON.parse(text) as ApiObject;
          } catch {
            /* not JSON: the caller reads text */
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, text });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

export async function ok(sim: SimProc, method: string, p: string, body?: unknown, contentType?: string): Promise<ApiObject> {
  const r = await request(sim, method, p, body, contentType);
  if (r.status < 200 || r.status >= 300) throw new Error(`${method} ${p} -> ${r.status}: ${r.text.slice(0, 500)}`);
  return r.body;
}

/** Same as ok(), but retries 409/429/5xx and connection errors a few times (the machine is busy). */
export async function okRetry(sim: SimProc, method: string, p: string, body?: unknown, tries = 5): Promise<ApiObject> {
  for (let i = 1; ; i++) {
    try {
      const r = await request(sim, method, p, body);
      if (r.status >= 200 && r.status < 300) return r.body;
      if (r.status === 409 && method === 'POST' && r.body?.reason === 'AlreadyExists') return r.body;
      if (i >= tries || !(r.status === 429 || r.status >= 500)) throw new Error(`${method} ${p} -> ${r.status}: ${r.text.slice(0, 500)}`);
    } catch (e) {
      if (i >= tries || !(e instanceof Error && /ECONNRESET|ECONNREFUSED|socket hang up/.test(e.message))) throw e;
    }
    await sleep(200 * i);
  }
}

export interface WatchHandle {
  /** ms (performance.now) of when the server answered the watch request */
  opened: Promise<void>;
  close(): void;
  done: Promise<void>;
}

/** A watch stream on its own socket; onEvent gets each event with its arrival time (performance.now()). */
export function watch(sim: SimProc, p: string, onEvent: (type: string, obj: ApiObject, at: number) => void): WatchHandle {
  let req: http.ClientRequest;
  let closed = false;
  let openedResolve!: () => void;
  let openedReject!: (e: unknown) => void;
  const opened = new Promise<void>((a, b) => {
    openedResolve = a;
    openedReject = b;
  });
  const done = new Promise<void>((resolve) => {
    req = http.get(`${sim.url}${p}${p.includes('?') ? '&' : '?'}watch=1`, { headers: { Authorization: `Bearer ${sim.token}` }, agent: false }, (res) => {
      if (res.statusCode !== 200) {
        openedReject(new Error(`watch ${p} -> ${res.statusCode}`));
        res.resume();
        return resolve();
      }
      openedResolve();
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const at = performance.now();
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (!line.trim()) continue;
          const ev = JSON.parse(line) as { type: string; object: ApiObject };
          onEvent(ev.type, ev.object, at);
        }
      });
      res.on('end', () => resolve());
      res.on('error', () => resolve());
      res.on('close', () => resolve());
    });
    req.on('error', (e) => {
      if (!closed) openedReject(e);
      resolve();
    });
  });
  return {
    opened,
    done,
    close: () => {
      closed = true;
      req.destroy();
    },
  };
}

/** Runs fn over items with at most `limit` in flight. */
export async function pool<T>(items: T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  });
  await Promise.all(workers);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** VmRSS and VmHWM (peak) of a process, in MiB. */
export function memoryOf(pid: number): { rssMiB: number; peakMiB: number } {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN);
  return { rssMiB: kb('VmRSS') / 1024, peakMiB: kb('VmHWM') / 1024 };
}

/** utime+stime of a process in seconds (clock ticks of 1/100 s on Linux). */
export function cpuSecondsOf(pid: number): number {
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = s.slice(s.lastIndexOf(')') + 2).split(' ');
  // after "pid (comm) ": state is field 3, utime field 14, stime field 15
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

export function percentiles(xs: number[]): { n: number; p50: number; p95: number; max: number; min: number } {
  if (!xs.length) return { n: 0, p50: NaN, p95: NaN, max: NaN, min: NaN };
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return { n: s.length, p50: at(0.5), p95: at(0.95), max: s[s.length - 1], min: s[0] };
}

export const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : 'n/a');

export function table(rows: (string | number)[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows.map((r) => r.map((v, c) => String(v).padEnd(widths[c])).join('  ')).join('\n');
}

export function log(msg: string): void {
  process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}
