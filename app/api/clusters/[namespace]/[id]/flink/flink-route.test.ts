import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSim, stopProcess } from '@/e2e/support/processes';
import { SimClient } from '@/e2e/support/sim-client';
import type { FlinkRestSnapshot } from '@/lib/flink-rest/schemas';

vi.mock('server-only', () => ({}));

// The messages a user reads on the cluster page when the JobManager's REST API does not answer,
// through GET /api/clusters/:ns/:id/flink against a sim this file starts: the API server's service
// proxy (no endpoints, connection refused, no Service) and the sim's JobManagers (leader election,
// REST faults, latency), and a Service that leads to something that is not Flink.
const flinkRoute = await import('./route');
const createRoute = await import('../../../route');

let dataDir: string;
let simProcess: ChildProcess;
let sim: SimClient;
/** A context whose API server is not there. */
let goneServer: string;
const ns = `flinkrest-${Date.now().toString(36)}`;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'flink-dash-flinkrest-'));
  const started = await startSim(path.join(dataDir, 'sim'));
  simProcess = started.child;
  sim = new SimClient(started.info.url, started.info.kubeconfig);
  await sim.createNamespace(ns);
  // Two more contexts: a ServiceAccount without any right, and a token the API server does not know.
  goneServer = `https://127.0.0.1:${await closedPort()}`;
  const kubeconfig = path.join(dataDir, 'kubeconfig');
  sim.writeKubeconfig(kubeconfig, [
    { name: 'no-rights', token: await sim.tokenWithoutRights(ns, 'no-rights') },
    { name: 'bad-token', token: 'not-a-token' },
    { name: 'gone', server: goneServer },
  ]);
  process.env.FLINK_DASHBOARD_KUBECONFIG = kubeconfig;
});

afterAll(async () => {
  await stopProcess(simProcess);
  rmSync(dataDir, { recursive: true, force: true });
});

/** A port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function snapshot(id: string, context?: string): Promise<FlinkRestSnapshot> {
  const search = context ? `?${new URLSearchParams({ context })}` : '';
  const res = await flinkRoute.GET(new Request(`http://dashboard.test/api/clusters/${ns}/${id}/flink${search}`), {
    params: Promise.resolve({ namespace: ns, id }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as FlinkRestSnapshot;
}

/** Polls the route until it says `message` (the state it describes comes about on its own time). */
async function waitForMessage(id: string, message: string, timeout = 40_000) {
  await expect.poll(() => snapshot(id), { timeout, interval: 250 }).toEqual({ reachable: false, message });
}

async function createCluster(spec: Record<string, unknown>) {
  const res = await createRoute.POST(
    new Request('http://dashboard.test/api/clusters', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ namespace: ns, ...spec }),
    }),
    {},
  );
  expect(res.status, await res.clone().text()).toBe(201);
}

async function waitReachable(id: string) {
  await expect.poll(() => snapshot(id), { timeout: 120_000, interval: 500 }).toMatchObject({ reachable: true });
}

function restFault(id: string, fault: { latencyMs?: number; failureRate?: number; status?: number }) {
  return sim.request('POST', `/_sim/flink/rest/${ns}/${id}`, fault);
}

/** A Service `<id>-rest` with port `rest` 8081 → targetPort, selecting pods labelled app=<id>. */
async function restService(id: string, targetPort: number) {
  await sim.request('POST', `/api/v1/namespaces/${ns}/services`, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `${id}-rest`, namespace: ns },
    spec: { selector: { app: id }, ports: [{ name: 'rest', port: 8081, targetPort }] },
  });
}

async function pod(id: string, image: string, command?: string[]) {
  await sim.request('POST', `/api/v1/namespaces/${ns}/pods`, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `${id}-pod`, namespace: ns, labels: { app: id } },
    spec: { containers: [{ name: 'main', image, ...(command ? { command } : {}) }] },
  });
}

describe('GET /api/clusters/:ns/:id/flink when the REST API does not answer', () => {
  it('no Service at all', async () => {
    expect(await snapshot('nothing-here')).toEqual({ reachable: false, message: 'Service "nothing-here-rest" (the JobManager\'s REST API) does not exist.' });
  });

  it('an API server that fails or is not there', async () => {
    await sim.request('POST', '/_sim/faults', { failureRate: 1, pathPrefix: `/api/v1/namespaces/${ns}/services/nothing-here-rest` });
    try {
      expect(await snapshot('nothing-here')).toEqual({
        reachable: false,
        message: 'The Kubernetes API server answered 500: Internal error occurred: injected fault',
      });
    } finally {
      await sim.request('POST', '/_sim/faults', {});
    }
    expect(await snapshot('nothing-here', 'gone')).toEqual({ reachable: false, message: `Cannot reach the Kubernetes API server at ${goneServer}.` });
  });

  it('a JobManager that never starts (image typo): the proxy has no endpoints', async () => {
    await createCluster({ clusterId: 'typo', image: 'flink:1.20.99' });
    await waitForMessage('typo', 'The JobManager is not ready yet: Service "typo-rest" has no ready endpoint.');
  });

  it('a pod that is up but does not listen on the REST port: connection refused', async () => {
    await restService('refused', 8081);
    await pod('refused', 'busybox', ['sleep', 'infinity']);
    await waitForMessage('refused', 'The JobManager pod is running but its REST API does not accept connections (yet).');
  });

  it('a Service that leads to something that is not Flink (an HTML page)', async () => {
    await restService('html', 80);
    await pod('html', 'nginx:1.25');
    await waitForMessage('html', 'Service "html-rest" answered with something that is not JSON: it does not look like Flink\'s REST API.');
  });

  it('a running JobManager: its REST errors and a REST API too slow to answer', async () => {
    await createCluster({ clusterId: 'good' });
    await waitReachable('good');

    await restFault('good', { failureRate: 1, status: 500 });
    expect(await snapshot('good')).toEqual({ reachable: false, message: "The JobManager's REST API answered 500: Internal server error." });

    await restFault('good', { failureRate: 1, status: 503 });
    expect(await snapshot('good')).toEqual({ reachable: false, message: "The JobManager's REST API answered 503: Internal server error." });

    await restFault('good', { latencyMs: 6_000 });
    expect(await snapshot('good')).toEqual({ reachable: false, message: "The JobManager's REST API did not answer within 5 seconds." });

    await restFault('good', {});
    expect(await snapshot('good')).toMatchObject({ reachable: true, flinkVersion: expect.stringMatching(/^1\.20/) });

    // The same cluster, as a user without services/proxy, and with credentials the API server refuses.
    expect(await snapshot('good', 'no-rights')).toEqual({
      reachable: false,
      message: `You may not get services/proxy in namespace ${ns}, which reaching the JobManager's REST API needs.`,
    });
    const server = sim.kubeconfig.clusters[0].cluster.server;
    expect(await snapshot('good', 'bad-token')).toEqual({
      reachable: false,
      message: `The API server at ${server} did not accept the credentials of this context.`,
    });
  }, 180_000);

  it('an HA JobManager that lost its leader lease: 503 during the leader election', async () => {
    await createCluster({
      clusterId: 'ha',
      ha: { enabled: true, storageDir: 's3://flink-ha/ha', leaseDuration: '4 s', renewDeadline: '3 s', retryPeriod: '1 s' },
    });
    await waitReachable('ha');
    const pods = (await sim.request('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=app%3Dha,component%3Djobmanager`)) as {
      items: { metadata: { name: string } }[];
    };
    expect(pods.items).toHaveLength(1);
    await sim.request('POST', `/_sim/flink/leases/${ns}/${pods.items[0].metadata.name}`, { paused: true });
    await waitForMessage(
      'ha',
      "The JobManager's REST API answered 503: Service temporarily unavailable due to an ongoing leader election. Please refresh.",
      60_000,
    );
    await sim.request('POST', `/_sim/flink/leases/${ns}/${pods.items[0].metadata.name}`, { paused: false });
    await waitReachable('ha');
  }, 240_000);
});
