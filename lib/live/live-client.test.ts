// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// The page's side of the live connection (lib/live/live-client.ts) with stand-in workers: a worker
// that never answers (gone, or a shared worker shutting down as the tab's last page left) is
// replaced, and every subscription moves to the new one; a worker that answers is kept.

type Sent = { type: string; sub?: number; topic?: string };

class StandInWorker {
  static instances: StandInWorker[] = [];
  /** Whether this worker answers subscribes (set before it is made). */
  static answers: boolean[] = [];
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onerror: (() => void) | null = null;
  readonly sent: Sent[] = [];
  readonly answers: boolean;
  constructor() {
    this.answers = StandInWorker.answers.shift() ?? true;
    StandInWorker.instances.push(this);
  }
  postMessage(m: Sent) {
    this.sent.push(m);
    if (this.answers && m.type === 'subscribe') setTimeout(() => this.onmessage?.({ data: { sub: m.sub, event: 'status', state: 'connecting' } }), 5);
  }
  /** Speaks for the worker: an event of `sub`. */
  emit(sub: number, message: object) {
    this.onmessage?.({ data: { sub, ...message } });
  }
}

async function freshClient() {
  vi.resetModules();
  return import('./live-client');
}

describe('the page side of the live connection', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    StandInWorker.instances = [];
    StandInWorker.answers = [];
    vi.stubGlobal('SharedWorker', undefined);
    vi.stubGlobal('Worker', StandInWorker);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('replaces a worker that does not answer, and subscribes every topic again there', async () => {
    StandInWorker.answers = [false, true];
    const { subscribeLive, WORKER_ANSWER_TIMEOUT_MS } = await freshClient();
    const a: unknown[] = [];
    const b: unknown[] = [];
    subscribeLive('/api/watch/clusters?namespace=ns', (m) => a.push(m));
    const unsubscribeB = subscribeLive('/api/clusters/ns/c/watch', (m) => b.push(m));
    const [hung] = StandInWorker.instances;
    expect(hung.sent.map((m) => m.type)).toEqual(['subscribe', 'subscribe']);

    await vi.advanceTimersByTimeAsync(WORKER_ANSWER_TIMEOUT_MS - 100);
    expect(StandInWorker.instances).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(200);
    // The hung worker is told this page left; a new one gets both subscriptions.
    expect(hung.sent.at(-1)).toEqual({ type: 'bye' });
    expect(StandInWorker.instances).toHaveLength(2);
    const next = StandInWorker.instances[1];
    expect(next.sent).toEqual([
      { type: 'subscribe', sub: expect.any(Number), topic: '/api/watch/clusters?namespace=ns' },
      { type: 'subscribe', sub: expect.any(Number), topic: '/api/clusters/ns/c/watch' },
    ]);
    await vi.advanceTimersByTimeAsync(10);
    expect(a).toEqual([{ event: 'status', state: 'connecting' }]);
    next.emit(next.sent[1].sub!, { event: 'status', state: 'live' });
    expect(b.at(-1)).toEqual({ event: 'status', state: 'live' });

    // It answers: kept. Unsubscribing goes to it.
    await vi.advanceTimersByTimeAsync(WORKER_ANSWER_TIMEOUT_MS * 3);
    expect(StandInWorker.instances).toHaveLength(2);
    unsubscribeB();
    expect(next.sent.at(-1)).toEqual({ type: 'unsubscribe', sub: next.sent[1].sub });
  });

  it('keeps a worker that answers, however long its stream takes', async () => {
    const { subscribeLive, WORKER_ANSWER_TIMEOUT_MS } = await freshClient();
    subscribeLive('/api/watch/clusters?namespace=ns', () => {});
    await vi.advanceTimersByTimeAsync(WORKER_ANSWER_TIMEOUT_MS * 5);
    subscribeLive('/api/clusters/ns/c/watch', () => {});
    await vi.advanceTimersByTimeAsync(WORKER_ANSWER_TIMEOUT_MS * 5);
    expect(StandInWorker.instances).toHaveLength(1);
  });
});
