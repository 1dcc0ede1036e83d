import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { jobManagerDeployment } from '@/e2e/support/flink-deployment';
import { freePort, startSim, stopProcess } from '@/e2e/support/processes';
import { SimClient } from '@/e2e/support/sim-client';

vi.mock('server-only', () => ({}));

// The rows the cluster list's page renders on the server (peekClusterSummaries), against a
// simulated cluster this file starts: only what the informers already hold, never a wait.
const { listClusterSummaries, peekClusterSummaries } = await import('./flink-clusters');

let dataDir: string;
let simProcess: ChildProcess;
let sim: SimClient;
const ns = `peek-${Date.now().toString(36)}`;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'flink-dash-peek-'));
  const started = await startSim(path.join(dataDir, 'sim'));
  simProcess = started.child;
  sim = new SimClient(started.info.url, started.info.kubeconfig);
  await sim.createNamespace(ns);
  const kubeconfig = path.join(dataDir, 'kubeconfig');
  sim.writeKubeconfig(kubeconfig, [{ name: 'unreachable', server: `http://127.0.0.1:${await freePort()}` }]);
  process.env.FLINK_DASHBOARD_KUBECONFIG = kubeconfig;
  for (const clusterId of ['peek-b', 'peek-a']) await sim.request('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, jobManagerDeployment({ clusterId, namespace: ns }));
});

afterAll(async () => {
  await stopProcess(simProcess);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('peekClusterSummaries', () => {
  it('answers nothing before the informers listed, then the same rows as the list, sorted', async () => {
    const scope = { context: 'sim-admin', namespace: ns };
    // Nothing listed this scope yet: no rows, and no wait for the first list.
    expect(await peekClusterSummaries(scope)).toBeUndefined();
    const listed = await listClusterSummaries(scope);
    expect(listed.map((c) => c.clusterId)).toEqual(['peek-a', 'peek-b']);
    // The informers linger after the list: their rows are there at once.
    expect(await peekClusterSummaries(scope)).toEqual(listed);
  });

  it('answers nothing, without waiting, when the API server cannot be reached', async () => {
    const started = Date.now();
    expect(await peekClusterSummaries({ context: 'unreachable', namespace: ns })).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
