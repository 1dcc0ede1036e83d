// sim/main.ts as a process: one JSON line on stdout, a working kubeconfig, clean exit on SIGTERM.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('sim/main.ts', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sim-cli-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints {url, kubeconfig, dataDir}, serves, and flushes state on SIGTERM', async () => {
    const p = spawn(process.execPath, ['--import', 'tsx', path.join(repo, 'sim/main.ts'), '--port', '0', '--data', dataDir], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((resolve) => p.on('exit', (code) => resolve(code)));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no JSON line; stderr: ${err}`)), 60_000);
        p.stdout.on('data', () => {
          const nl = out.indexOf('\n');
          if (nl >= 0) {
            clearTimeout(timer);
            resolve(out.slice(0, nl));
          }
        });
      });
      const info = JSON.parse(line);
      expect(Object.keys(info)).toEqual(['url', 'kubeconfig', 'dataDir']);
      expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(info.kubeconfig).toBe(path.join(dataDir, 'kubeconfig'));
      expect(info.dataDir).toBe(dataDir);
      const kubeconfig = readFileSync(info.kubeconfig, 'utf8');
      expect(kubeconfig).toContain(`server: ${info.url.replace('http:', 'https:')}`);
      expect(kubeconfig).toContain('current-context: sim-admin');
      const token = /token: (\S+)/.exec(kubeconfig)![1];
      const r = await fetch(`${info.url}/api/v1/namespaces/default`, { headers: { Authorization: `Bearer ${token}` } });
      expect(r.status).toBe(200);
      await fetch(`${info.url}/api/v1/namespaces/default/configmaps`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ metadata: { name: 'before-exit' } }),
      });
      p.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(existsSync(path.join(dataDir, 'state.json'))).toBe(true);
      expect(readFileSync(path.join(dataDir, 'state.json'), 'utf8')).toContain('"before-exit"');
      expect(out.trim().split('\n')).toHaveLength(1);
    } finally {
      if (p.exitCode === null) p.kill('SIGKILL');
    }
  });

  it('refuses a bad --heap-growing-percent with exit code 2 and a message', async () => {
    const p = spawn(process.execPath, ['--import', 'tsx', path.join(repo, 'sim/main.ts'), '--heap-growing-percent', '-5', '--data', dataDir], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => p.on('exit', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(err).toContain('invalid --heap-growing-percent');
  });
});
