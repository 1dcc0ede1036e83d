import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { jobManagerDeployment } from '@/e2e/support/flink-deployment';
import { freePort, startSim, stopProcess } from '@/e2e/support/processes';
import { SimClient } from '@/e2e/support/sim-client';
import { SseReader } from '@/e2e/support/sse-reader';
import { countInformers } from '@/lib/k8s/informer-registry';
import { setLogSink } from '@/lib/log';

vi.mock('server-only', () => ({}));

// Route handlers called directly, against a simulated cluster this file starts (free port, temp data).
const clustersRoute = await import('./clusters/route');
const watchRoute = await import('./watch/clusters/route');
const namespacesRoute = await import('./namespaces/route');
const contextsRoute = await import('./contexts/route');
const clusterWatchRoute = await import('./clusters/[namespace]/[id]/watch/route');

let dataDir: string;
let simProcess: ChildProcess;
let sim: SimClient;
let deadPort: number;
const ns = `routes-${Date.now().toString(36)}`;

type DeploymentMeta = { metadata: { uid: string; creationTimestamp: string } };

function get(route: { GET: (req: Request, ctx: unknown) => Promise<Response> }, url: string, signal?: AbortSignal) {
  return route.GET(new Request(`http://dashboard.test${url}`, { signal }), {});
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'flink-dash-routes-'));
  const started = await startSim(path.join(dataDir, 'sim'));
  simProcess = started.child;
  sim = new SimClient(started.info.url, started.info.kubeconfig);
  await sim.createNamespace(ns);
  const token = await sim.tokenWithoutRights(ns, 'nobody');
  deadPort = await freePort();
  const kubeconfig = path.join(dataDir, 'kubeconfig');
  sim.writeKubeconfig(kubeconfig, [
    { name: 'nobody', token },
    { name: 'unreachable', server: `http://127.0.0.1:${deadPort}` },
  ]);
  process.env.FLINK_DASHBOARD_KUBECONFIG = kubeconfig;
});

afterAll(async () => {
  await stopProcess(simProcess);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('GET /api/clusters', () => {
  it('lists JobManager Deployments of the namespace as slim summaries', async () => {
    const empty = await get(clustersRoute, `/api/clusters?namespace=${ns}`);
    expect(empty.status).toBe(200);
    expect(await empty.json()).toEqual({ items: [], scope: { context: 'sim-admin', namespace: ns } });

    await sim.request('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, jobManagerDeployment({ clusterId: 'listed', namespace: ns }));
    await expect
      .poll(async () => ((await (await get(clustersRoute, `/api/clusters?namespace=${ns}`)).json()) as { items: { clusterId: string }[] }).items)
      .toEqual([expect.objectContaining({ clusterId: 'listed', namespace: ns, flinkVersion: '1.20', mode: 'session' })]);
  });

  it('answers 422 with issues for a malformed namespace', async () => {
    const res = await get(clustersRoute, '/api/clusters?namespace=Not_A_Namespace');
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.error.code).toBe('invalid_input');
    expect(body.error.issues[0].path).toBe('namespace');
  });

  it('answers 404 naming the known contexts for an unknown context', async () => {
    const res = await get(clustersRoute, '/api/clusters?context=prod');
    expect(res.status).toBe(404);
    expect((await res.json()).error.message).toMatch(/There is no context "prod".*Known contexts: sim-admin, sim-viewer, nobody, unreachable/);
  });

  it('says plainly when the identity may not list deployments', async () => {
    const res = await get(clustersRoute, `/api/clusters?context=nobody&namespace=${ns}`);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: { code: 'forbidden', message: `You may not list deployments in namespace ${ns}.` },
    });
  });

  it('says plainly when the API server cannot be reached', async () => {
    const res = await get(clustersRoute, '/api/clusters?context=unreachable&namespace=default');
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body.error.code).toBe('unavailable');
    expect(body.error.message).toContain(`Cannot reach the API server at http://127.0.0.1:${deadPort}`);
  });
});

describe('GET /api/namespaces and /api/contexts', () => {
  it('lists namespaces, or refuses clearly when the identity may not', async () => {
    const ok = await get(namespacesRoute, '/api/namespaces');
    expect((await ok.json()).items).toContain(ns);
    const refused = await get(namespacesRoute, '/api/namespaces?context=nobody');
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.message).toBe('You may not list namespaces.');
  });

  it('lists the kubeconfig contexts with the current one marked', async () => {
    const res = await get(contextsRoute, '/api/contexts');
    const items = (await res.json()).items as { name: string; current: boolean }[];
    expect(items.filter((c) => c.current).map((c) => c.name)).toEqual(['sim-admin']);
  });
});

describe('GET /api/watch/clusters', () => {
  it('streams a snapshot, then upserts and deletes, and stops when the client goes away', async () => {
    // The snapshot carries the clusters that exist, as summaries of what was created.
    const snapNs = `${ns}-snap`;
    await sim.createNamespace(snapNs);
    const created = [
      jobManagerDeployment({ clusterId: 'app-one', namespace: snapNs, mode: 'application', image: 'flink:1.19.1-java11' }),
      jobManagerDeployment({ clusterId: 'session-two', namespace: snapNs, image: 'flink:2.0' }),
    ];
    const stored: DeploymentMeta[] = [];
    for (const d of created) stored.push((await sim.request('POST', `/apis/apps/v1/namespaces/${snapNs}/deployments`, d)) as DeploymentMeta);
    // A Deployment without Flink's labels is not a Flink cluster.
    await sim.request('POST', `/apis/apps/v1/namespaces/${snapNs}/deployments`, { ...created[1], metadata: { name: 'not-flink', labels: { app: 'web' } } });
    const snapAbort = new AbortController();
    const snapStream = new SseReader((await get(watchRoute, `/api/watch/clusters?namespace=${snapNs}`, snapAbort.signal)).body!);
    const first = (await snapStream.next((f) => f.event === 'snapshot')).data as { items: { clusterId: string }[] };
    snapAbort.abort();
    expect([...first.items].sort((a, b) => a.clusterId.localeCompare(b.clusterId))).toEqual([
      {
        key: `${snapNs}/app-one`,
        resourceVersion: expect.stringMatching(/^\d+\.\w+$/),
        uid: stored[0].metadata.uid,
        clusterId: 'app-one',
        namespace: snapNs,
        image: 'flink:1.19.1-java11',
        flinkVersion: '1.19.1',
        mode: 'application',
        readyReplicas: expect.any(Number),
        desiredReplicas: 1,
        health: expect.any(String),
        createdAt: stored[0].metadata.creationTimestamp,
        status: expect.any(String),
        taskManagers: expect.any(Number),
        ha: expect.any(String),
      },
      {
        key: `${snapNs}/session-two`,
        resourceVersion: expect.stringMatching(/^\d+\.\w+$/),
        uid: stored[1].metadata.uid,
        clusterId: 'session-two',
        namespace: snapNs,
        image: 'flink:2.0',
        flinkVersion: '2.0',
        mode: 'session',
        readyReplicas: expect.any(Number),
        desiredReplicas: 1,
        health: expect.any(String),
        createdAt: stored[1].metadata.creationTimestamp,
        status: expect.any(String),
        taskManagers: expect.any(Number),
        ha: expect.any(String),
      },
    ]);

    const abort = new AbortController();
    const res = await get(watchRoute, `/api/watch/clusters?namespace=${ns}`, abort.signal);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const stream = new SseReader(res.body!);
    const snapshot = await stream.next((f) => f.event === 'snapshot');
    expect(snapshot.data).toEqual({ items: [expect.objectContaining({ key: `${ns}/listed`, clusterId: 'listed', namespace: ns, flinkVersion: '1.20', mode: 'session' })] });
    expect(await stream.next((f) => f.event === 'status')).toEqual({ event: 'status', data: { state: 'live' } });

    await sim.request('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, jobManagerDeployment({ clusterId: 'streamed', namespace: ns, mode: 'application' }));
    const upsert = await stream.next((f) => f.event === 'upsert' && JSON.stringify(f.data).includes('"streamed"'));
    expect(upsert.data).toEqual({ item: expect.objectContaining({ key: `${ns}/streamed`, mode: 'application' }) });
    expect(JSON.stringify(upsert.data)).not.toContain('managedFields');

    await sim.request('DELETE', `/apis/apps/v1/namespaces/${ns}/deployments/streamed`);
    const deleted = await stream.next((f) => f.event === 'delete');
    expect(deleted.data).toEqual({ item: expect.objectContaining({ key: `${ns}/streamed` }) });

    abort.abort();
    await expect.poll(() => stream.isEnded).toBe(true);
  });

  it('answers the JSON error instead of a stream when the first list is refused', async () => {
    const res = await get(watchRoute, `/api/watch/clusters?context=nobody&namespace=${ns}`);
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('forbidden');
  });

  it('shares one list+watch between streams of the same scope', async () => {
    const a = new AbortController();
    const b = new AbortController();
    const first = new SseReader((await get(watchRoute, `/api/watch/clusters?namespace=${ns}`, a.signal)).body!);
    await first.next((f) => f.event === 'snapshot');
    const before = countInformers();
    const second = new SseReader((await get(watchRoute, `/api/watch/clusters?namespace=${ns}`, b.signal)).body!);
    await second.next((f) => f.event === 'snapshot');
    expect(countInformers()).toBe(before);
    a.abort();
    b.abort();
  });

  it('releases its informer when the client goes away, once the linger for a reload is over', async () => {
    const releaseNs = `${ns}-release`;
    await sim.createNamespace(releaseNs);
    const before = countInformers();
    const abort = new AbortController();
    const stream = new SseReader((await get(watchRoute, `/api/watch/clusters?namespace=${releaseNs}`, abort.signal)).body!);
    await stream.next((f) => f.event === 'snapshot');
    // The list's three: JobManager Deployments, Flink pods, Flink ConfigMaps.
    expect(countInformers()).toBe(before + 3);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      abort.abort();
      // Kept for 30 s, so a page reload does not list again...
      vi.advanceTimersByTime(29_000);
      expect(countInformers()).toBe(before + 3);
      // ...then stopped.
      vi.advanceTimersByTime(1_000);
      expect(countInformers()).toBe(before);
    } finally {
      vi.useRealTimers();
    }
    await expect.poll(() => stream.isEnded).toBe(true);
  });

  it('releases its informer when the client cancels the stream', async () => {
    const cancelNs = `${ns}-cancel`;
    await sim.createNamespace(cancelNs);
    const before = countInformers();
    const res = await get(watchRoute, `/api/watch/clusters?namespace=${cancelNs}`);
    expect(countInformers()).toBe(before + 3);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      await res.body!.cancel();
      vi.advanceTimersByTime(30_000);
      expect(countInformers()).toBe(before);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps no informer for a stream it refused, and logs no internal error for the ones it stopped', async () => {
    // Server errors are JSON lines through lib/log.
    const errors: string[] = [];
    const previous = setLogSink((line, level) => void (level === 'error' && errors.push(line)));
    try {
      await refuseStreams();
      expect(errors).toEqual([]);
    } finally {
      setLogSink(previous);
    }
  });

  async function refuseStreams() {
    const before = countInformers();
    const list = await get(watchRoute, `/api/watch/clusters?context=nobody&namespace=${ns}`);
    expect(list.status).toBe(403);
    expect(countInformers()).toBe(before);
    // The cluster page's stream: six informers (Deployment, ReplicaSets, pods, ConfigMaps, Services, events).
    const page = await clusterWatchRoute.GET(new Request(`http://dashboard.test/api/clusters/${ns}/listed/watch?context=nobody`), {
      params: Promise.resolve({ namespace: ns, id: 'listed' }),
    });
    expect(page.status).toBe(403);
    expect(countInformers()).toBe(before);
    const unreachable = await get(watchRoute, '/api/watch/clusters?context=unreachable&namespace=default');
    expect(unreachable.status).toBe(503);
    expect(countInformers()).toBe(before);
  }

  // Last: it takes the API server down for this file's sim.
  it('says reconnecting while the API server restarts, then sends a fresh snapshot by itself', async () => {
    const abort = new AbortController();
    const stream = new SseReader((await get(watchRoute, `/api/watch/clusters?namespace=${ns}`, abort.signal)).body!);
    await stream.next((f) => f.event === 'snapshot');
    await stream.next((f) => f.event === 'status' && (f.data as { state: string }).state === 'live');

    await sim.request('POST', '/_sim/apiserver/restart', { downMs: 2000 });
    const down = await stream.next((f) => f.event === 'status' && (f.data as { state: string }).state === 'reconnecting');
    expect((down.data as { message: string }).message).toMatch(/API server/);
    await stream.next((f) => f.event === 'snapshot', 60_000);
    await stream.next((f) => f.event === 'status' && (f.data as { state: string }).state === 'live', 60_000);

    await sim.request('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, jobManagerDeployment({ clusterId: 'after-restart', namespace: ns }));
    await stream.next((f) => f.event === 'upsert' && JSON.stringify(f.data).includes('"after-restart"'));
    abort.abort();
  });
});
