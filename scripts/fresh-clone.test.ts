// A fresh clone: the tracked files (git ls-files) copied into a folder under os.tmpdir(), with no shared/
// folder above it and node_modules linked. The sim started from there must serve kubectl (create, explain)
// and run a Flink session cluster created by the copy's own route handler: every data file the code
// reads has to be in the repository.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '..');
const run = promisify(execFile);

type SimInfo = { url: string; kubeconfig: string; dataDir: string };

/** Copies the tracked files the filter keeps into a new folder under os.tmpdir() and links node_modules. */
function cloneInto(prefix: string, keep: (file: string) => boolean = () => true): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: repo, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const f of files) {
    const src = path.join(repo, f);
    if (!keep(f) || !existsSync(src)) continue; // a file deleted in the work tree is not in a clone of it
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    copyFileSync(src, path.join(dir, f));
  }
  symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

/** `node node_modules/tsx/dist/cli.mjs sim/main.ts --port 0 --data <dir>/.data` in `dir`; resolves with its ready line. */
function startSim(dir: string): { child: ChildProcess; ready: Promise<SimInfo>; stderr: () => string } {
  const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'sim/main.ts', '--port', '0', '--data', path.join(dir, '.data')], {
    cwd: dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  const ready = new Promise<SimInfo>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve(JSON.parse(line) as SimInfo));
    child.once('exit', (code, signal) => reject(new Error(`the sim exited (code ${code}, signal ${signal}) before its ready line: ${err}`)));
  });
  return { child, ready, stderr: () => err };
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid, 'SIGTERM');
  await exited;
}

/** Polls a real condition every 250 ms until it holds or `ms` pass. */
async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms${last ? ` (${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('a fresh clone (no shared/ above it)', () => {
  let dir: string;
  let sim: ReturnType<typeof startSim> | undefined;
  let info: SimInfo;
  const kubectl = async (...args: string[]) => (await run('kubectl', ['--kubeconfig', info.kubeconfig, ...args], { encoding: 'utf8' })).stdout;

  beforeAll(async () => {
    dir = cloneInto('fresh-clone-');
    for (let d = dir; ; d = path.dirname(d)) {
      expect(existsSync(path.join(d, 'shared')), `${d}/shared`).toBe(false);
      if (path.dirname(d) === d) break;
    }
    sim = startSim(dir);
    info = await sim.ready;
  });

  afterAll(async () => {
    await stop(sim?.child);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves kubectl: version, create namespace, explain', async () => {
    expect(info.kubeconfig).toBe(path.join(dir, '.data', 'kubeconfig'));
    expect(await kubectl('version', '-o', 'json')).toContain('"gitVersion": "v1.28.0-sim"');
    expect(await kubectl('create', 'namespace', 'x')).toBe('namespace/x created\n');
    const explained = await kubectl('explain', 'deployment.spec');
    expect(explained).toContain('FIELD: spec <DeploymentSpec>');
    expect(explained).toMatch(/template\s+<PodTemplateSpec> -required-/);
  });

  // ~12 s alone; the margin is for a machine busy with the rest of the suite
  it("runs a Flink session cluster created by the copy's route handler", { timeout: 120_000 }, async () => {
    await kubectl('create', 'namespace', 'flink');
    // The copy's app/api/clusters/route.ts (its lib/, its tsconfig paths), outside Next as the route tests call it.
    writeFileSync(
      path.join(dir, 'create-cluster.ts'),
      [
        "const { POST } = await import('./app/api/clusters/route.ts');",
        "const body = JSON.stringify({ clusterId: 'fresh', namespace: 'flink' });",
        "const req = new Request('http://dashboard.test/api/clusters?context=sim-admin', { method: 'POST', headers: { 'content-type': 'application/json' }, body });",
        'const res = await POST(req, { params: Promise.resolve({}) } as never);',
        "process.stdout.write('\\nRESULT ' + JSON.stringify({ status: res.status, body: await res.json() }) + '\\n');",
        '',
      ].join('\n'),
    );
    const out = await run(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'create-cluster.ts'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, FLINK_DASHBOARD_KUBECONFIG: info.kubeconfig },
    });
    // The server's JSON log lines (lib/log: the audit record) share stdout with the answer.
    const created = JSON.parse(/^RESULT (.*)$/m.exec(out.stdout)?.[1] ?? out.stdout) as { status: number; body: { clusterId: string } };
    expect(created).toMatchObject({ status: 201, body: { namespace: 'flink', clusterId: 'fresh' } });

    const phase = await until('the JobManager pod runs', 40_000, async () => {
      const p = await kubectl('get', 'pods', '-n', 'flink', '-l', 'app=fresh,component=jobmanager', '-o', 'jsonpath={.items[*].status.phase}');
      return p === 'Running' ? p : undefined;
    });
    expect(phase).toBe('Running');
  });
});

describe('a clone missing a data file', () => {
  const missing = 'sim/kube/specs/kubernetes-1.28/captured/discovery_version.json';
  let dir: string | undefined;
  let sim: ReturnType<typeof startSim> | undefined;
  afterAll(async () => {
    await stop(sim?.child);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('makes the sim refuse to start, naming the file, before its ready line', async () => {
    dir = cloneInto('fresh-clone-missing-', (f) => f !== missing && (f.startsWith('sim/') || f === 'package.json' || f === 'tsconfig.json'));
    sim = startSim(dir);
    const error = await sim.ready.then(
      (i) => new Error(`the sim started: ${JSON.stringify(i)}`),
      (e: Error) => e,
    );
    expect(error.message).toMatch(/^the sim exited \(code 1, signal null\) before its ready line: sim: cannot start: missing data file: /);
    expect(error.message).toContain(path.join(dir, missing));
    expect(existsSync(path.join(dir, '.data', 'kubeconfig'))).toBe(false);
  });
});
