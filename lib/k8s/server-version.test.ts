import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { isValidElement, type ReactElement, type ReactNode } from 'react';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSim, stopProcess } from '@/e2e/support/processes';
import { SimClient } from '@/e2e/support/sim-client';

vi.mock('server-only', () => ({}));

const { getServerVersion, isSimulatedVersion } = await import('./server-version');
const { ScopeBar } = await import('@/components/shell/scope-bar');
const { SimulatedBadge } = await import('@/components/shell/simulated-badge');

// /version as real managed clusters answer it (vendor suffixes in gitVersion, "28+" minors).
const realClusters: Record<string, { major: string; minor: string; gitVersion: string }> = {
  eks: { major: '1', minor: '28+', gitVersion: 'v1.28.3-eks-4f4795d' },
  gke: { major: '1', minor: '28', gitVersion: 'v1.28.9-gke.1000' },
  k3s: { major: '1', minor: '28', gitVersion: 'v1.28.5+k3s1' },
  openshift: { major: '1', minor: '28', gitVersion: 'v1.28.6+6216ea1' },
  kind: { major: '1', minor: '28', gitVersion: 'v1.28.0' },
};

let dataDir: string;
let simProcess: ChildProcess;
let fake: Server;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'flink-dash-version-'));
  const started = await startSim(path.join(dataDir, 'sim'));
  simProcess = started.child;
  // One server standing in for each vendor's API server: http://host/<vendor>/version.
  fake = createServer((req, res) => {
    const [, vendor, ...rest] = (req.url ?? '').split('/');
    const route = `/${rest.join('/')}`;
    const version = realClusters[vendor];
    res.setHeader('content-type', 'application/json');
    if (version && route === '/version') {
      res.end(JSON.stringify({ ...version, gitTreeState: 'clean', goVersion: 'go1.20.10', compiler: 'gc', platform: 'linux/amd64' }));
    } else if (version && route === '/api/v1/namespaces') {
      res.end(JSON.stringify({ kind: 'NamespaceList', apiVersion: 'v1', metadata: {}, items: [{ metadata: { name: 'default' } }] }));
    } else {
      res.statusCode = 404;
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }));
    }
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', () => resolve()));
  const { port } = fake.address() as AddressInfo;
  const kubeconfig = path.join(dataDir, 'kubeconfig');
  new SimClient(started.info.url, started.info.kubeconfig).writeKubeconfig(
    kubeconfig,
    Object.keys(realClusters).map((name) => ({ name, server: `http://127.0.0.1:${port}/${name}` })),
  );
  process.env.FLINK_DASHBOARD_KUBECONFIG = kubeconfig;
});

afterAll(async () => {
  await new Promise<void>((resolve) => (fake ? fake.close(() => resolve()) : resolve()));
  await stopProcess(simProcess);
  rmSync(dataDir, { recursive: true, force: true });
});

/** Every element of a rendered tree (server components already awaited), depth first. */
function elements(node: ReactNode): ReactElement[] {
  if (Array.isArray(node)) return node.flatMap(elements);
  if (!isValidElement(node)) return [];
  const children = (node.props as { children?: ReactNode }).children;
  return [node, ...elements(children)];
}

async function scopeBarBadges(context: string): Promise<string[]> {
  const tree = await ScopeBar({ scope: { context, namespace: 'default' } });
  return elements(tree)
    .filter((e) => e.type === SimulatedBadge)
    .map((e) => (e.props as { gitVersion: string }).gitVersion);
}

describe('the server version and the "Simulated cluster" badge', () => {
  it.each(Object.entries(realClusters))('reads %s\'s /version and shows no badge for that real cluster', async (name, version) => {
    const read = await getServerVersion(name);
    expect(read).toEqual(version);
    expect(isSimulatedVersion(read)).toBe(false);
    expect(await scopeBarBadges(name)).toEqual([]);
  });

  it('shows the badge for the embedded simulator', async () => {
    const read = await getServerVersion('sim-admin');
    expect(read.gitVersion).toMatch(/^v1\.28\.\d+-sim$/);
    expect(isSimulatedVersion(read)).toBe(true);
    expect(await scopeBarBadges('sim-admin')).toEqual([read.gitVersion]);
  });
});
