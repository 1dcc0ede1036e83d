import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { jobManagerDeployment } from '@/e2e/support/flink-deployment';
import { startSim, stopProcess } from '@/e2e/support/processes';
import { SimClient } from '@/e2e/support/sim-client';
import { SseReader } from '@/e2e/support/sse-reader';
import type { ClusterObject, PodDto } from '@/lib/flink/cluster-detail-objects';
import { deriveClusterStatus } from '@/lib/flink/cluster-status';
import type { FlinkRestSnapshot } from '@/lib/flink-rest/schemas';

vi.mock('server-only', () => ({}));

// The cluster page's routes called directly, against a simulated cluster this file starts.
const detailRoute = await import('./route');
const watchRoute = await import('./watch/route');
const flinkRoute = await import('./flink/route');
const createRoute = await import('../../route');

type Route = { GET: (req: Request, ctx: { params: Promise<{ namespace: string; id: string }> }) => Promise<Response> };

let dataDir: string;
let simProcess: ChildProcess;
let sim: SimClient;
const ns = `detail-${Date.now().toString(36)}`;

function get(route: Route, id: string, suffix = '', signal?: AbortSignal, namespace = ns) {
  return route.GET(new Request(`http://dashboard.test/api/clusters/${namespace}/${id}${suffix}`, { signal }), {
    params: Promise.resolve({ namespace, id }),
  });
}
async function objects(id: string): Promise<ClusterObject[]> {
  return ((await (await get(detailRoute, id)).json()) as { items: ClusterObject[] }).items;
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'flink-dash-detail-'));
  const started = await startSim(path.join(dataDir, 'sim'));
  simProcess = started.child;
  sim = new SimClient(started.info.url, started.info.kubeconfig);
  await sim.createNamespace(ns);
  process.env.FLINK_DASHBOARD_KUBECONFIG = started.info.kubeconfig;
});

afterAll(async () => {
  await stopProcess(simProcess);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('cluster detail routes', () => {
  it('stream the Deployment and its JobManager pod, then the REST API answers with the version', async () => {
    const abort = new AbortController();
    const res = await get(watchRoute, 'good', '/watch', abort.signal);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const stream = new SseReader(res.body!);
    const first = await stream.next((f) => f.event === 'snapshot');
    expect(first.data).toEqual({ items: [] });

    // Created the way the form does (POST /api/clusters): ConfigMap, Services, account and all.
    const created = await createRoute.POST(
      new Request('http://dashboard.test/api/clusters', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clusterId: 'good', namespace: ns }) }),
      {},
    );
    expect(created.status).toBe(201);
    const upsert = await stream.next((f) => f.event === 'upsert' && (f.data as { item: ClusterObject }).item.kind === 'Pod');
    const pod = (upsert.data as { item: PodDto }).item;
    expect(pod).toMatchObject({ kind: 'Pod', component: 'jobmanager', key: expect.stringMatching(new RegExp(`^Pod/${ns}/good-`)) });
    expect(JSON.stringify(upsert.data)).not.toContain('managedFields');
    abort.abort();

    await expect.poll(async () => deriveClusterStatus(await objects('good')).phase, { timeout: 60_000 }).toBe('running');
    await expect
      .poll(async () => ((await (await get(flinkRoute, 'good', '/flink')).json()) as FlinkRestSnapshot), { timeout: 60_000 })
      .toMatchObject({ reachable: true, flinkVersion: expect.stringMatching(/^1\.20/), jobs: [] });
  }, 180_000);

  it('a wrong image is failing with the pull error, and REST is not reachable', async () => {
    await sim.request('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, jobManagerDeployment({ clusterId: 'typo', namespace: ns, image: 'flink:1.20.99' }));
    await expect.poll(async () => deriveClusterStatus(await objects('typo')).label, { timeout: 60_000 }).toMatch(/^(ErrImagePull|ImagePullBackOff)$/);
    const snapshot = (await (await get(flinkRoute, 'typo', '/flink')).json()) as FlinkRestSnapshot;
    expect(snapshot.reachable).toBe(false);
  });

  it('an unknown cluster is an empty list, and a malformed id is 422', async () => {
    expect(await objects('nothing-here')).toEqual([]);
    const bad = await get(detailRoute, 'Bad_Id');
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: { issues: { path: string }[] } }).error.issues[0].path).toBe('id');
  });
});
