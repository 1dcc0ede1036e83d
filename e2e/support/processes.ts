import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';

export const root = path.resolve(import.meta.dirname, '..', '..');

export type SimInfo = { url: string; kubeconfig: string; dataDir: string };

/** A free TCP port on loopback (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Spawns in its own process group so stopProcess ends it and everything it started. */
export function spawnGroup(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  stdout: 'pipe' | 'inherit' = 'inherit',
  stderr: 'ignore' | 'inherit' = 'inherit',
) {
  return spawn(cmd, args, { cwd: root, detached: true, stdio: ['ignore', stdout, stderr], env });
}

export async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // gone
    }
  }, 10_000);
  await exited;
  clearTimeout(timer);
}

/** Starts `tsx sim/main.ts --port 0 --data dir` and waits for its JSON ready line. */
export async function startSim(dataDir: string): Promise<{ child: ChildProcess; info: SimInfo }> {
  const tsx = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  // The sim's own log (controllers retrying while a test restarts it) only with SIM_LOGS=1.
  const stderr = process.env.SIM_LOGS ? 'inherit' : 'ignore';
  const child = spawnGroup(process.execPath, [tsx, 'sim/main.ts', '--port', '0', '--data', dataDir], process.env, 'pipe', stderr);
  const info = await new Promise<SimInfo>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the sim did not start in 120 s')), 120_000);
    child.once('exit', (code) => reject(new Error(`the sim exited (${code}) before it was ready`)));
    const lines = createInterface({ input: child.stdout! });
    let ready = false;
    lines.on('line', (line) => {
      if (ready) return;
      try {
        const parsed = JSON.parse(line) as SimInfo;
        if (typeof parsed.kubeconfig === 'string') {
          ready = true;
          clearTimeout(timer);
          resolve(parsed);
        }
      } catch {
        // a log line
      }
    });
  });
  child.stdout?.resume();
  return { child, info };
}

/** Polls until `url` answers 2xx, failing early if `child` exits. */
export async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.once('exit', () => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`the process serving ${url} exited`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}
