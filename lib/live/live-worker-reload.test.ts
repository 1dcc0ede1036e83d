import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeEventSource } from '@/lib/live/testing/fake-event-source';
import { startLiveWorkerVm } from '@/lib/live/testing/live-worker-vm';

// The shared worker (public/live-worker.js) while tabs reload and load other pages, run in a VM
// context with a stand-in EventSource and a fake clock (the worker's setTimeout and Date.now).
// A tab's page that goes says `bye`; its next page subscribes again from a new port. The topics the
// old page held must still be in the stream when the new page asks, even when another tab's new
// topic reopened the stream meanwhile: then the new page's views are answered at once from the
// worker's copy, Live, and no stream is reopened for them.

type Message = { sub: number; event: string; state?: string; items?: unknown[] };


function startWorker() {
  return {
    ...startLiveWorkerVm<Message>(),
    /** The stream open now. */
    current(): FakeEventSource {
      const es = FakeEventSource.instances.at(-1);
      if (!es || es.closed) throw new Error('no stream is open');
      return es;
    },
  };
}

const listTopic = '/api/watch/clusters?context=x&namespace=ns';
const haTopic = '/api/ha-health/watch?context=x&namespace=ns';
const clusterTopic = '/api/clusters/ns/c0/watch?context=x';
const item = { key: 'ns/c0', resourceVersion: '1' };

/** The server's answer to a (re)opened stream: each topic's snapshot, then Live. */
function answer(es: FakeEventSource) {
  es.onopen?.();
  for (const topic of es.topics().sort()) {
    es.emit('snapshot', { topic, items: [item] });
    es.emit('status', { topic, state: 'live' });
  }
}

describe('the live worker while tabs reload and navigate', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("keeps a reloading tab's topics in the stream when another tab's new topic reopens it meanwhile", async () => {
    const worker = startWorker();
    const list = worker.connect();
    list.send({ type: 'subscribe', sub: 1, topic: listTopic });
    list.send({ type: 'subscribe', sub: 2, topic: haTopic });
    await vi.advanceTimersByTimeAsync(30);
    answer(worker.current());
    expect(list.received.filter((m) => m.event === 'status').at(-1)).toMatchObject({ state: 'live' });

    // The list tab reloads: its page says bye. Meanwhile another tab opens a cluster page.
    list.send({ type: 'bye' });
    await vi.advanceTimersByTimeAsync(500);
    const cluster = worker.connect();
    cluster.send({ type: 'subscribe', sub: 1, topic: clusterTopic });
    await vi.advanceTimersByTimeAsync(30);
    // The stream reopens for the cluster page's topic, and still carries the list's.
    expect(worker.current().topics().sort()).toEqual([clusterTopic, haTopic, listTopic].sort());
    answer(worker.current());
    const streams = FakeEventSource.instances.length;

    // The reloaded page (a new port) subscribes 1.2 s after its old page left: answered at once, Live.
    await vi.advanceTimersByTimeAsync(700);
    const reloaded = worker.connect();
    reloaded.send({ type: 'subscribe', sub: 1, topic: listTopic });
    reloaded.send({ type: 'subscribe', sub: 2, topic: haTopic });
    expect(reloaded.received.filter((m) => m.sub === 1).map((m) => m.event)).toEqual(['snapshot', 'status']);
    expect(reloaded.received.find((m) => m.sub === 1 && m.event === 'status')).toMatchObject({ state: 'live' });
    expect(reloaded.received.find((m) => m.sub === 1 && m.event === 'snapshot')).toMatchObject({ items: [item] });
    // And no stream was reopened for it, now or after the drop delay.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(FakeEventSource.instances.length).toBe(streams);
    expect(worker.current().topics().sort()).toEqual([clusterTopic, haTopic, listTopic].sort());
  });

  it('drops the topics of a page that went, 2 s after it left, though another tab reopened the stream meanwhile', async () => {
    const worker = startWorker();
    const list = worker.connect();
    list.send({ type: 'subscribe', sub: 1, topic: listTopic });
    await vi.advanceTimersByTimeAsync(30);
    answer(worker.current());

    list.send({ type: 'bye' });
    await vi.advanceTimersByTimeAsync(500);
    const cluster = worker.connect();
    cluster.send({ type: 'subscribe', sub: 1, topic: clusterTopic });
    await vi.advanceTimersByTimeAsync(30);
    expect(worker.current().topics().sort()).toEqual([clusterTopic, listTopic].sort());
    answer(worker.current());

    // Nobody came back for the list: 2 s after its page left, it leaves the stream.
    await vi.advanceTimersByTimeAsync(1_469);
    expect(worker.current().topics().sort()).toEqual([clusterTopic, listTopic].sort());
    await vi.advanceTimersByTimeAsync(2);
    expect(worker.current().topics().sort()).toEqual([clusterTopic]);
    // A page that asks for it later gets it back on a reopened stream, Live with its snapshot.
    const later = worker.connect();
    later.send({ type: 'subscribe', sub: 1, topic: listTopic });
    expect(later.received).toEqual([{ sub: 1, event: 'status', state: 'connecting' }]);
    await vi.advanceTimersByTimeAsync(30);
    answer(worker.current());
    expect(later.received.map((m) => m.event)).toEqual(['status', 'snapshot', 'status']);
    expect(later.received.at(-1)).toMatchObject({ state: 'live' });
  });
  it('gives up a stream that neither opens nor fails within 10 s, says so, and opens another', async () => {
    const worker = startWorker();
    const tab = worker.connect();
    tab.send({ type: 'subscribe', sub: 1, topic: clusterTopic });
    await vi.advanceTimersByTimeAsync(30);
    const stalled = worker.current();
    // No answer, no error: a stalled request.
    await vi.advanceTimersByTimeAsync(9_900);
    expect(stalled.closed).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    expect(stalled.closed).toBe(true);
    expect(tab.received.at(-1)).toMatchObject({ event: 'status', state: 'reconnecting', message: 'The dashboard server did not answer; trying again.' });
    // Reopened after the first backoff step, and Live once the server answers.
    await vi.advanceTimersByTimeAsync(1_000);
    const next = worker.current();
    expect(next).not.toBe(stalled);
    answer(next);
    expect(tab.received.at(-1)).toMatchObject({ event: 'status', state: 'live' });
    // An open stream is left alone.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(worker.current()).toBe(next);
  });

  it('watches a dropped stream that EventSource reopens by itself the same way', async () => {
    const worker = startWorker();
    const tab = worker.connect();
    tab.send({ type: 'subscribe', sub: 1, topic: clusterTopic });
    await vi.advanceTimersByTimeAsync(30);
    const es = worker.current();
    answer(es);
    // The server went away: EventSource reconnects (still CONNECTING), and its attempts never get through.
    es.readyState = 0;
    es.onerror?.();
    expect(tab.received.at(-1)).toMatchObject({ state: 'reconnecting' });
    await vi.advanceTimersByTimeAsync(5_000);
    es.onerror?.();
    await vi.advanceTimersByTimeAsync(5_100);
    expect(es.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000);
    answer(worker.current());
    expect(tab.received.at(-1)).toMatchObject({ state: 'live' });
  });
});
