// sim/lock.ts: one simulator per data folder (held, stale, racing starters) and sim/main.ts refusing
// a folder that a running simulator holds.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { acquireLock, LOCK_FILE, readLock, SimLockHeldError, type SimLock, type SimLockInfo } from './lock';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const dirs: string[] = [];
const locks: SimLock[] = [];

function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'sim-lock-'));
  dirs.push(d);
  return d;
}

afterEach(() => {
  for (const l of locks.splice(0)) l.release();
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A pid that certainly belongs to no process any more: a child that has exited and been reaped. */
async function deadPid(): Promise<number> {
  const p = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => p.once('exit', r));
  return p.pid!;
}

function writeLock(dir: string, info: Partial<SimLockInfo>): void {
  writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ nonce: 'old', startedAt: new Date().toISOString(), ...info }));
}

async function take(dir: string, opts?: Parameters<typeof acquireLock>[1]): Promise<SimLock> {
  const l = await acquireLock(dir, opts);
  locks.push(l);
  return l;
}

describe('acquireLock', () => {
  it('creates the lock with this pid, publishes the address, and release removes it', async () => {
    const dir = tempDir();
    const lock = await take(dir);
    expect(readLock(dir)).toEqual({ pid: process.pid, nonce: lock.info.nonce, startedAt: lock.info.startedAt });
    lock.ready({ port: 1234, url: 'http://127.0.0.1:1234', kubeconfig: path.join(dir, 'kubeconfig') });
    expect(readLock(dir)).toMatchObject({ pid: process.pid, nonce: lock.info.nonce, port: 1234, url: 'http://127.0.0.1:1234' });
    lock.release();
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });

  it('release leaves a lock that is no longer ours', async () => {
    const dir = tempDir();
    const lock = await take(dir);
    writeLock(dir, { pid: process.pid, nonce: 'someone-else' });
    lock.release();
    expect(readLock(dir)?.nonce).toBe('someone-else');
  });

  it('a live process without an address yet holds the lock (it is starting)', async () => {
    const dir = tempDir();
    await take(dir);
    const err = await acquireLock(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SimLockHeldError);
    expect((err as SimLockHeldError).holder.pid).toBe(process.pid);
    expect((err as Error).message).toContain(`another simulator (pid ${process.pid}) is starting on the data folder ${dir}`);
  });

  it('takes over a lock whose pid is gone', async () => {
    const dir = tempDir();
    writeLock(dir, { pid: await deadPid() }); // no address: were the pid alive, it would be starting
    const lock = await take(dir);
    expect(readLock(dir)).toMatchObject({ pid: process.pid, nonce: lock.info.nonce });
  });

  it('takes over a lock whose pid is alive when something other than this folder\'s sim answers on its port', async () => {
    const dir = tempDir();
    const server: Server = createServer((_req, res) => res.writeHead(404).end('not a sim'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as { port: number }).port;
      writeLock(dir, { pid: process.pid, port, url: `http://127.0.0.1:${port}` });
      const lock = await take(dir);
      expect(readLock(dir)?.nonce).toBe(lock.info.nonce);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('takes over a lock whose live pid has answered nothing on its port for downGraceMs', async () => {
    const dir = tempDir();
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise((r) => server.close(r)); // nothing listens there now
    writeLock(dir, { pid: process.pid, port, url: `http://127.0.0.1:${port}` });
    const started = Date.now();
    const lock = await take(dir, { downGraceMs: 300 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(readLock(dir)?.nonce).toBe(lock.info.nonce);
  });

  it('takes over a lock that never published an address within startupGraceMs, and one that is not a lock', async () => {
    const dir = tempDir();
    writeLock(dir, { pid: process.pid, startedAt: new Date(Date.now() - 10_000).toISOString() });
    const first = await take(dir, { startupGraceMs: 5000 });
    expect(readLock(dir)?.nonce).toBe(first.info.nonce);
    first.release();
    writeFileSync(path.join(dir, LOCK_FILE), 'garbage');
    const second = await take(dir);
    expect(readLock(dir)?.nonce).toBe(second.info.nonce);
  });

  /**
   * Starters in separate processes, released together by one line on stdin; each prints
   * "won <pid>" or "held <holder pid>" and keeps its lock until stdin closes.
   */
  async function race(dir: string, n: number): Promise<{ won: number[]; held: number[]; pids: number[] }> {
    const script = `
      import { acquireLock, SimLockHeldError } from ${JSON.stringify(pathToFileURL(path.join(here, 'lock.ts')).href)};
      import { createInterface } from 'node:readline';
      const lines = createInterface({ input: process.stdin });
      console.log('ready');
      lines.once('line', async () => {
        try {
          const lock = await acquireLock(process.argv[1]);
          console.log('won ' + process.pid);
          process.stdin.once('end', () => { lock.release(); process.exit(0); });
        } catch (e) {
          if (!(e instanceof SimLockHeldError)) { console.error(e); process.exit(1); }
          console.log('held ' + e.holder.pid);
          process.exit(0);
        }
      });`;
    const procs: ChildProcessWithoutNullStreams[] = [];
    const results: string[] = [];
    try {
      const outcomes = Array.from({ length: n }, () => {
        const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, dir], { cwd: repo });
        procs.push(p);
        let err = '';
        p.stderr.on('data', (d) => (err += d));
        const lines = createInterface({ input: p.stdout });
        const ready = new Promise<void>((resolve, reject) => {
          lines.once('line', (l) => (l === 'ready' ? resolve() : reject(new Error(l))));
          p.once('exit', () => reject(new Error(`starter exited before it was ready: ${err}`)));
        });
        const outcome = ready.then(
          () =>
            new Promise<string>((resolve, reject) => {
              lines.once('line', resolve);
              p.once('exit', (code) => reject(new Error(`starter exited (${code}) without an outcome: ${err}`)));
            }),
        );
        return { ready, outcome };
      });
      await Promise.all(outcomes.map((o) => o.ready));
      for (const p of procs) p.stdin.write('go\n');
      results.push(...(await Promise.all(outcomes.map((o) => o.outcome))));
    } finally {
      for (const p of procs) p.stdin.end();
      await Promise.all(procs.map((p) => (p.exitCode !== null ? undefined : new Promise((r) => p.once('exit', r)))));
    }
    const won = results.filter((r) => r.startsWith('won ')).map((r) => Number(r.slice(4)));
    const held = results.filter((r) => r.startsWith('held ')).map((r) => Number(r.slice(5)));
    return { won, held, pids: procs.map((p) => p.pid!) };
  }

  it('exactly one of several racing starters wins a free folder', async () => {
    const dir = tempDir();
    const { won, held, pids } = await race(dir, 5);
    expect(won).toHaveLength(1);
    expect(pids).toContain(won[0]);
    expect(held).toEqual(Array(4).fill(won[0]));
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false); // the winner released it on exit
  });

  it('exactly one of several racing starters takes over a stale lock', async () => {
    const dir = tempDir();
    // The stale lock's pid is alive, but what answers on its port is not a sim. That server answers
    // only once every starter has asked, so all of them find the lock stale at the same moment.
    const n = 5;
    const waiting: (() => void)[] = [];
    let asked = 0;
    const server = createServer((_req, res) => {
      asked++;
      waiting.push(() => res.writeHead(404).end('not a sim'));
      if (asked >= n) for (const answer of waiting.splice(0)) answer();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as { port: number }).port;
      writeLock(dir, { pid: process.pid, port, url: `http://127.0.0.1:${port}` });
      const { won, held } = await race(dir, n);
      expect(asked).toBeGreaterThanOrEqual(n);
      expect(won).toHaveLength(1);
      expect(held).toEqual(Array(n - 1).fill(won[0]));
      expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('sim/main.ts on a folder another simulator holds', () => {
  it('exits 3 naming the running one\'s pid and port; the running one keeps serving and releases the lock on SIGTERM', async () => {
    const dir = tempDir();
    const first = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'main.ts'), '--port', '0', '--data', dir], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((r) => first.once('exit', (c) => r(c)));
    try {
      const info = await new Promise<{ url: string; kubeconfig: string }>((resolve, reject) => {
        first.once('exit', (c) => reject(new Error(`the first sim exited (${c})`)));
        createInterface({ input: first.stdout }).once('line', (l) => resolve(JSON.parse(l)));
      });
      const port = Number(new URL(info.url).port);
      expect(readLock(dir)).toMatchObject({ pid: first.pid, port, url: info.url, kubeconfig: info.kubeconfig });

      const second = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'main.ts'), '--port', '0', '--data', dir], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      second.stdout.on('data', (d) => (out += d));
      second.stderr.on('data', (d) => (err += d));
      const code = await new Promise<number | null>((r) => second.once('exit', (c) => r(c)));
      expect(code).toBe(3);
      expect(out).toBe('');
      expect(err).toContain(`sim: another simulator (pid ${first.pid}) is already serving the data folder ${dir} on port ${port}`);

      expect((await fetch(`${info.url}/readyz`)).status).toBe(200);
      expect(readLock(dir)?.pid).toBe(first.pid);
      const token = /token: (\S+)/.exec(readFileSync(info.kubeconfig, 'utf8'))![1];
      expect(((await (await fetch(`${info.url}/_sim/info`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { dataDir: string }).dataDir).toBe(dir);

      first.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    } finally {
      if (first.exitCode === null) first.kill('SIGKILL');
    }
  });
});
