// One simulator per data folder: <data>/sim.lock names the process that serves it.
//
// The lock is a JSON file {pid, nonce, startedAt[, port, url, kubeconfig]} created atomically: it is
// written whole to a temporary file and hard-linked to sim.lock (link fails with EEXIST when the lock
// exists), so nobody ever reads half a lock. Once the API server listens, ready() adds its address
// (rename over the lock, same nonce). release() removes it if it is still ours.
//
// A lock is *held* while its process is a simulator serving this folder: the pid is alive and
// either it has not published an address yet (it is starting, for at most startupGraceMs) or
// GET <url>/_sim/info (admin token of <data>/kubeconfig) answers with this data folder. It is
// *stale* when the pid is gone, when something else answers on its port (the pid was reused), when
// it never published an address within startupGraceMs, or when nothing has answered on its port
// for downGraceMs (a simulator that is stopping flushes its state and exits well within that).
//
// Taking over a stale lock: only the process that creates sim.lock.takeover-<nonce of the stale
// lock> (O_EXCL) may remove that lock; it then links its own like any starter. Everyone else
// waits for the lock to change, so two starters that found the same stale lock cannot both win.
import { createHash, randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, openSync, closeSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';

export const LOCK_FILE = 'sim.lock';

export interface SimLockInfo {
  pid: number;
  nonce: string;
  startedAt: string;
  port?: number;
  url?: string;
  kubeconfig?: string;
}

export interface SimLock {
  readonly path: string;
  readonly info: SimLockInfo;
  /** Publishes the address once the API server listens. */
  ready(address: { port: number; url: string; kubeconfig: string }): void;
  /** Removes the lock if it is still ours (idempotent). */
  release(): void;
}

export interface AcquireOptions {
  /** How long a live pid may hold the lock without an address (default 120 s). */
  startupGraceMs?: number;
  /** How long a live pid's port may answer nothing before the lock counts as stale (default 15 s). */
  downGraceMs?: number;
  /** A takeover guard older than this belongs to a starter that died mid-takeover (default 10 s). */
  guardStaleMs?: number;
}

/** Thrown by acquireLock when a running simulator holds the folder. */
export class SimLockHeldError extends Error {
  constructor(
    readonly holder: SimLockInfo,
    readonly lockPath: string,
    readonly dataDir: string,
  ) {
    super(
      holder.port
        ? `another simulator (pid ${holder.pid}) is already serving the data folder ${dataDir} on port ${holder.port} (${holder.url}; kubeconfig ${holder.kubeconfig}). Stop it first, or use another --data folder.`
        : `another simulator (pid ${holder.pid}) is starting on the data folder ${dataDir}. Stop it first, or use another --data folder. If no simulator runs, remove ${lockPath}.`,
    );
    this.name = 'SimLockHeldError';
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function errCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errCode(e) === 'EPERM'; // alive, another user's
  }
}

function parseInfo(raw: string): SimLockInfo | undefined {
  try {
    const v = JSON.parse(raw) as Partial<SimLockInfo> | null;
    if (!v || typeof v !== 'object' || !Number.isInteger(v.pid) || typeof v.nonce !== 'string' || typeof v.startedAt !== 'string') return undefined;
    if (v.port !== undefined && (!Number.isInteger(v.port) || typeof v.url !== 'string')) return undefined;
    return v as SimLockInfo;
  } catch {
    return undefined;
  }
}

/** The lock's content, or undefined when there is none; `info` is undefined when it is not a valid lock. */
function readRaw(lockPath: string): { raw: string; info: SimLockInfo | undefined; id: string } | undefined {
  let raw: string;
  try {
    raw = readFileSync(lockPath, 'utf8');
  } catch (e) {
    if (errCode(e) === 'ENOENT') return undefined;
    throw e;
  }
  const info = parseInfo(raw);
  return { raw, info, id: info?.nonce ?? createHash('sha256').update(raw).digest('hex').slice(0, 32) };
}

/** The lock of a data folder as written, or undefined (none, or not a valid lock). */
export function readLock(dataDir: string): SimLockInfo | undefined {
  return readRaw(path.join(path.resolve(dataDir), LOCK_FILE))?.info;
}

/** Creates `target` with `content` only if it does not exist, never visible half-written. */
function createExclusive(target: string, content: string): boolean {
  const tmp = `${target}.${process.pid}.${randomUUID()}.tmp`;
  writeFileSync(tmp, content, { mode: 0o644 });
  try {
    linkSync(tmp, target);
    return true;
  } catch (e) {
    if (errCode(e) === 'EEXIST') return false;
    throw e;
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
  }
}

function adminToken(kubeconfig: string | undefined): string | undefined {
  if (!kubeconfig) return undefined;
  try {
    const text = readFileSync(kubeconfig, 'utf8');
    // users[].user.token of sim-admin (the kubeconfig sim/kube/kubeconfig.ts writes; the first token is the admin's)
    return /^\s*token:\s*(\S+)\s*$/m.exec(text)?.[1];
  } catch {
    return undefined;
  }
}

/** What answers at the lock's address: this folder's simulator, something else, or nothing. */
export function probeSim(info: SimLockInfo, dataDir: string, timeoutMs = 2000): Promise<'sim' | 'other' | 'down'> {
  const url = info.url;
  if (!url) return Promise.resolve('down');
  const token = adminToken(info.kubeconfig ?? path.join(dataDir, 'kubeconfig'));
  return new Promise((resolve) => {
    let done = false;
    const finish = (v: 'sim' | 'other' | 'down') => {
      if (!done) {
        done = true;
        resolve(v);
      }
    };
    let req;
    try {
      req = request(new URL('/_sim/info', url), { method: 'GET', headers: token ? { Authorization: `Bearer ${token}` } : {}, timeout: timeoutMs }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => {
          if (res.statusCode !== 200) return finish('other');
          try {
            const parsed = JSON.parse(body) as { dataDir?: unknown };
            finish(typeof parsed.dataDir === 'string' && path.resolve(parsed.dataDir) === path.resolve(dataDir) ? 'sim' : 'other');
          } catch {
            finish('other');
          }
        });
        res.on('error', () => finish('other'));
      });
    } catch {
      return finish('other'); // not a URL we can ask
    }
    req.on('timeout', () => {
      req.destroy();
      finish('down');
    });
    req.on('error', () => finish('down'));
    req.end();
  });
}

/** Whether the lock's process is a running simulator of this folder (waits out a short outage). */
export async function lockIsHeld(info: SimLockInfo, dataDir: string, opts: AcquireOptions = {}): Promise<boolean> {
  const startupGraceMs = opts.startupGraceMs ?? 120_000;
  const downGraceMs = opts.downGraceMs ?? 15_000;
  if (!pidAlive(info.pid)) return false;
  if (info.port === undefined) return Date.now() - Date.parse(info.startedAt) < startupGraceMs;
  const deadline = Date.now() + downGraceMs;
  for (;;) {
    const seen = await probeSim(info, dataDir);
    if (seen === 'sim') return true;
    if (seen === 'other') return false;
    // nothing answers: restarting its listener, or stopping; wait for it to answer or to exit
    if (!pidAlive(info.pid) || Date.now() >= deadline) return false;
    await delay(100);
  }
}

function removeOldGuards(dataDir: string, guardStaleMs: number): void {
  let names: string[];
  try {
    names = readdirSync(dataDir);
  } catch {
    return;
  }
  for (const n of names) {
    if (!n.startsWith(`${LOCK_FILE}.takeover-`)) continue;
    const p = path.join(dataDir, n);
    try {
      if (Date.now() - statSync(p).mtimeMs > guardStaleMs) unlinkSync(p);
    } catch {
      // gone
    }
  }
}

/**
 * Takes the lock of `dataDir` for this process, taking over a stale one. Throws SimLockHeldError
 * when a running simulator holds it.
 */
export async function acquireLock(dataDir: string, opts: AcquireOptions = {}): Promise<SimLock> {
  const dir = path.resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const lockPath = path.join(dir, LOCK_FILE);
  const guardStaleMs = opts.guardStaleMs ?? 10_000;
  let info: SimLockInfo = { pid: process.pid, nonce: randomUUID(), startedAt: new Date().toISOString() };
  const content = () => JSON.stringify(info) + '\n';

  for (;;) {
    if (createExclusive(lockPath, content())) break;
    const current = readRaw(lockPath);
    if (!current) continue; // released meanwhile
    if (current.info && (await lockIsHeld(current.info, dir, opts))) throw new SimLockHeldError(current.info, lockPath, dir);
    // stale: whoever creates the guard for this very lock removes it
    const guard = `${lockPath}.takeover-${current.id}`;
    let guardFd: number | undefined;
    try {
      guardFd = openSync(guard, 'wx');
    } catch (e) {
      if (errCode(e) !== 'EEXIST') throw e;
    }
    if (guardFd === undefined) {
      // another starter is taking this stale lock over: wait until the lock changes
      removeOldGuards(dir, guardStaleMs);
      await delay(20);
      continue;
    }
    try {
      closeSync(guardFd);
      if (readRaw(lockPath)?.id === current.id) unlinkSync(lockPath);
      if (createExclusive(lockPath, content())) break;
    } finally {
      try {
        unlinkSync(guard);
      } catch {
        // gone
      }
    }
  }

  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    try {
      if (readRaw(lockPath)?.id === info.nonce) unlinkSync(lockPath);
    } catch {
      // gone
    }
  };
  process.on('exit', release);
  return {
    path: lockPath,
    get info() {
      return info;
    },
    ready(address) {
      info = { ...info, port: address.port, url: address.url, kubeconfig: address.kubeconfig };
      const tmp = `${lockPath}.${process.pid}.${randomUUID()}.tmp`;
      writeFileSync(tmp, content(), { mode: 0o644 });
      renameSync(tmp, lockPath);
    },
    release,
  };
}
