import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { jobManagerDeployment } from '@/e2e/support/flink-deployment';
import { startSim, stopProcess } from '@/e2e/support/processes';
import { SimClient } from '@/e2e/support/sim-client';
import { SseReader, type SseFrame } from '@/e2e/support/sse-reader';
import { countInformers } from '@/lib/k8s/informer-registry';

vi.mock('server-only', () => ({}));

// GET /api/live, the one stream a browser holds (lib/live/README.md), called directly against a
// simulated cluster this file starts (free port, temp data).
const liveRoute = await import('./route');
const statsRoute = await import('./stats/route');

let dataDir: string;
let simProcess: ChildProcess;
let sim: SimClient;
const ns = `live-${Date.now().toString(36)}`;

function open(topics: string[], signal?: AbortSignal) {
  const query = topics.map((t) => `topic=${encodeURIComponent(t)}`).join('&');
  return liveRoute.GET(new Request(`http://dashboard.test/api/live?${query}`, { signal }), {});
}
async function stats(): Promise<{ streams: number; subscriptions: number; informers: number }> {
  return (await statsRoute.GET(new Request('http://dashboard.test/api/live/stats'), {})).json();
}
const of = (topic: string, event: string) => (f: SseFrame) => f.event === event && (f.data as { topic: string }).topic === topic;
const listTopic = (namespace: string, context?: string) =>
  `/api/watch/clusters?${new URLSearchParams({ ...(context ? { context } : {}), namespace })}`;
const clusterTopic = (namespace: string, id: string) => `/api/clusters/${namespace}/${id}/watch?context=sim-admin`;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'flink-dash-live-'));
  const started = await startSim(path.join(dataDir, 'sim'));
  simProcess = started.child;
  sim = new SimClient(started.info.url, started.info.kubeconfig);
  await sim.createNamespace(ns);
  const token = await sim.tokenWithoutRights(ns, 'nobody');
  const kubeconfig = path.join(dataDir, 'kubeconfig');
  sim.writeKubeconfig(kubeconfig, [{ name: 'nobody', token }]);
  process.env.FLINK_DASHBOARD_KUBECONFIG = kubeconfig;
});

afterAll(async () => {
  await stopProcess(simProcess);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('GET /api/live', () => {
  it('carries several topics over one stream, each frame tagged with its topic', async () => {
    await sim.request('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, jobManagerDeployment({ clusterId: 'first', namespace: ns }));
    const before = await stats();
    const abort = new AbortController();
    const list = listTopic(ns);
    const cluster = clusterTopic(ns, 'first');
    const res = await open([list, cluster], abort.signal);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const stream = new SseReader(res.body!);

    const listSnapshot = (await stream.next(of(list, 'snapshot'))).data as { items: { clusterId: string }[] };
    expect(listSnapshot.items.map((i) => i.clusterId)).toEqual(['first']);
    const clusterSnapshot = (await stream.next(of(cluster, 'snapshot'))).data as { items: { kind: string; name: string }[] };
    expect(clusterSnapshot.items).toContainEqual(expect.objectContaining({ kind: 'Deployment', name: 'first' }));
    expect((await stream.next(of(list, 'status'))).data).toEqual({ topic: list, state: 'live' });
    expect((await stream.next(of(cluster, 'status'))).data).toEqual({ topic: cluster, state: 'live' });
    expect(await stats()).toMatchObject({ streams: before.streams + 1, subscriptions: before.subscriptions + 2 });

    // A new cluster reaches the list's topic; the cluster page's topic is about another cluster.
    await sim.request('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, jobManagerDeployment({ clusterId: 'second', namespace: ns }));
    // (rows of "first" may change meanwhile too: its JobManager pod starts)
    const upsert = (await stream.next((f) => of(list, 'upsert')(f) && (f.data as { item: { clusterId: string } }).item.clusterId === 'second')).data as {
      item: { clusterId: string; namespace: string };
    };
    expect(upsert.item).toMatchObject({ clusterId: 'second', namespace: ns });
    // A ConfigMap of the first cluster reaches the cluster page's topic.
    await sim.request('POST', `/api/v1/namespaces/${ns}/configmaps`, {
      metadata: { name: 'flink-config-first', labels: { app: 'first', type: 'flink-native-kubernetes' } },
      data: { 'config.yaml': '' },
    });
    const added = (await stream.next((f) => of(cluster, 'upsert')(f) && (f.data as { item: { kind: string } }).item.kind === 'ConfigMap')).data as {
      item: { name: string };
    };
    expect(added.item.name).toBe('flink-config-first');

    abort.abort();
    await expect.poll(() => stream.isEnded).toBe(true);
    expect(await stats()).toMatchObject({ streams: before.streams, subscriptions: before.subscriptions });
  });

  it("carries the cluster list's HA column (/api/ha-health/watch) too", async () => {
    const topic = `/api/ha-health/watch?${new URLSearchParams({ context: 'sim-admin', namespace: ns })}`;
    const abort = new AbortController();
    const res = await open([topic], abort.signal);
    expect(res.status).toBe(200);
    const stream = new SseReader(res.body!);
    expect((await stream.next(of(topic, 'snapshot'))).data).toMatchObject({ topic });
    expect((await stream.next(of(topic, 'status'))).data).toEqual({ topic, state: 'live' });
    abort.abort();
    await expect.poll(() => stream.isEnded).toBe(true);
  });

  it('a topic it cannot start says why in its own status and leaves the others live', async () => {
    const abort = new AbortController();
    const good = listTopic(ns);
    const unknown = '/api/nothing-here?x=1';
    const forbidden = listTopic(ns, 'nobody');
    const stream = new SseReader((await open([good, unknown, forbidden], abort.signal)).body!);
    expect((await stream.next(of(unknown, 'status'))).data).toEqual({
      topic: unknown,
      state: 'reconnecting',
      message: '"/api/nothing-here" is not a live view the dashboard knows.',
    });
    expect((await stream.next(of(forbidden, 'status'))).data).toEqual({
      topic: forbidden,
      state: 'reconnecting',
      message: `You may not list deployments in namespace ${ns}.`,
    });
    await stream.next(of(good, 'snapshot'));
    expect((await stream.next(of(good, 'status'))).data).toEqual({ topic: good, state: 'live' });
    abort.abort();
  });

  it('refuses a request without topics, or with one that is not a path, in plain words', async () => {
    const none = await liveRoute.GET(new Request('http://dashboard.test/api/live'), {});
    expect(none.status).toBe(422);
    expect((await none.json()).error.issues).toEqual([
      expect.objectContaining({ message: 'name at least one topic (?topic=/api/watch/clusters?namespace=…)' }),
    ]);
    const bad = await open(['https://elsewhere.example/x']);
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.issues).toEqual([
      expect.objectContaining({ message: 'a topic is the path of a live view, starting with /api/' }),
    ]);
  });

  it('shares one informer per (kind, namespace, selector) between streams and topics, and releases what nobody wants', async () => {
    const a = `${ns}-a`;
    const b = `${ns}-b`;
    await sim.createNamespace(a);
    await sim.createNamespace(b);
    const before = countInformers();
    const perList = 3; // a list scope joins its JobManager Deployments, Flink pods and Flink ConfigMaps
    // The worker's stream with two topics...
    const first = new AbortController();
    const one = new SseReader((await open([listTopic(a), listTopic(b)], first.signal)).body!);
    await one.next(of(listTopic(a), 'snapshot'));
    await one.next(of(listTopic(b), 'snapshot'));
    expect(countInformers()).toBe(before + 2 * perList);
    // ...is reopened without b when its last tab unsubscribes: a's informer is shared, not listed again.
    const second = new AbortController();
    const two = new SseReader((await open([listTopic(a)], second.signal)).body!);
    await two.next(of(listTopic(a), 'snapshot'));
    expect(countInformers()).toBe(before + 2 * perList);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      first.abort();
      // Kept for 30 s, so a reload does not list again...
      vi.advanceTimersByTime(29_000);
      expect(countInformers()).toBe(before + 2 * perList);
      // ...then b's informer stops; a's is still held by the new stream.
      vi.advanceTimersByTime(1_000);
      expect(countInformers()).toBe(before + perList);
      second.abort();
      vi.advanceTimersByTime(30_000);
      expect(countInformers()).toBe(before);
    } finally {
      vi.useRealTimers();
    }
    await expect.poll(() => one.isEnded && two.isEnded).toBe(true);
  });
});
