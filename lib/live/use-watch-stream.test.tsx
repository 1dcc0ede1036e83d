// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, renderHook, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { EventSource as WhatwgEventSource } from 'eventsource';
import type { ReactNode } from 'react';
import { fetchJson } from '@/lib/queries/fetch-json';
import { sendJson, startLocalServer, type LocalServer } from '@/lib/queries/testing/local-server';
import { CONNECTION_LOST, useWatchStream } from './use-watch-stream';
import type { SseEventName } from './watch-events';

// The browser's live hook in a DOM (happy-dom), talking to the real worker script
// (public/live-worker.js, run in-process as a Worker where SharedWorker is missing) with a WHATWG
// EventSource, against a real local HTTP server that speaks /api/live's wire format
// (lib/live/server/multiplex.ts): it can refuse the stream, drop it, go away and come back.
globalThis.EventSource = WhatwgEventSource as unknown as typeof globalThis.EventSource;

const workerSource = readFileSync(path.join(import.meta.dirname, '../../public/live-worker.js'), 'utf8');
type Scope = { postMessage(m: unknown): void; onmessage: ((e: { data: unknown }) => void) | null; addEventListener(): void };
/** The worker script in this realm, messages cloned and delivered asynchronously as between threads. */
class InProcessWorker {
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onerror: (() => void) | null = null;
  private readonly scope: Scope;
  constructor() {
    const scope: Scope = {
      postMessage: (m) => setTimeout(() => this.onmessage?.({ data: structuredClone(m) })),
      onmessage: null,
      addEventListener: () => {},
    };
    new Function('self', 'EventSource', 'fetch', workerSource)(scope, globalThis.EventSource, globalThis.fetch.bind(globalThis));
    this.scope = scope;
  }
  postMessage(m: unknown) {
    setTimeout(() => this.scope.onmessage?.({ data: structuredClone(m) }));
  }
}
(globalThis as unknown as { Worker: unknown }).Worker = InProcessWorker;
delete (globalThis as unknown as { SharedWorker?: unknown }).SharedWorker;

type Item = { key: string; resourceVersion: string; name: string };
const item = (name: string, rv: string): Item => ({ key: `ns/${name}`, resourceVersion: rv, name });

let server: LocalServer;
/** Open /api/live responses with their topics. */
let streams: { topics: string[]; res: ServerResponse }[] = [];
/** Every EventSource request (accept: text/event-stream) with its topics and arrival time. */
let liveRequests: { topics: string[]; at: number }[] = [];
let listItems: Item[] = [];
/** How the next /api/live request is answered. */
let liveAnswer: (req: IncomingMessage, res: ServerResponse) => void;

function frame(event: SseEventName, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
const topicsOf = (req: IncomingMessage) => new URL(req.url ?? '', 'http://x').searchParams.getAll('topic');

/** As createLiveResponse starts a stream: retry, then per topic a snapshot and a status. */
function openStream(req: IncomingMessage, res: ServerResponse, first?: { items: Item[] }) {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform' });
  res.write('retry: 1000\n\n');
  const entry = { topics: topicsOf(req), res };
  streams.push(entry);
  res.on('close', () => {
    streams = streams.filter((s) => s !== entry);
  });
  if (first) {
    for (const topic of entry.topics) {
      res.write(frame('snapshot', { topic, ...first }));
      res.write(frame('status', { topic, state: 'live' }));
    }
  }
}

/** Sends a frame of `topic` on every open stream that carries it. */
function send(topic: string, event: SseEventName, data: object) {
  for (const s of streams) if (s.topics.includes(topic)) s.res.write(frame(event, { topic, ...data }));
}

beforeAll(async () => {
  server = await startLocalServer((req, res) => {
    const url = new URL(req.url ?? '', 'http://x');
    if (url.pathname === '/list') return sendJson(res, 200, { items: listItems });
    if (req.headers.accept === 'text/event-stream') liveRequests.push({ topics: topicsOf(req), at: Date.now() });
    liveAnswer(req, res);
  });
  // The page is served by that server, so the hook and the list use relative URLs as in the app.
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(`${server.url}/clusters`);
});
afterAll(() => server.close());

let queryClient: QueryClient;
// The worker outlives a test, as it outlives a tab: every test uses topics of its own.
let n = 0;
let topic: (name: string) => string;
beforeEach(() => {
  n++;
  topic = (name) => `/api/t${n}/${name}`;
  streams = [];
  liveRequests = [];
  listItems = [item('a', '1')];
  liveAnswer = (req, res) => openStream(req, res, { items: listItems });
  queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
});
afterEach(async () => {
  cleanup();
  // The worker keeps a topic no tab wants for 2 s (a reloading tab comes back for it): wait until it
  // let this test's topics go, so the next test's stream carries its own topics only.
  await waitFor(() => expect(streams).toHaveLength(0), { timeout: 8_000 });
  queryClient.clear();
});

/** What a page does (components/clusters/cluster-list.tsx): list first, then the stream keeps it current. */
function useLiveList(watchPath: string, enabled: boolean, key: readonly string[]) {
  const query = useQuery({
    queryKey: key,
    queryFn: async () => (await fetchJson<{ items: Item[] }>('/list')).items,
    staleTime: Infinity,
  });
  const live = useWatchStream<Item>(watchPath, key, enabled && query.isSuccess);
  return { live, query };
}

function render(watchPath: string, enabled = true, key: readonly string[] = ['items', watchPath]) {
  const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
  return renderHook((props: { watchPath: string; enabled: boolean }) => useLiveList(props.watchPath, props.enabled, key), {
    wrapper,
    initialProps: { watchPath, enabled },
  });
}

const cached = (watchPath: string) => queryClient.getQueryData<Item[]>(['items', watchPath]);

describe('useWatchStream over the shared live connection', () => {
  it('is connecting, then live with the snapshot; folds upserts and deletes; follows the topic status', async () => {
    const t = topic('list');
    liveAnswer = (req, res) => openStream(req, res); // the stream's first events come when the test says
    const { result } = render(t);
    expect(result.current.live).toEqual({ state: 'connecting' });
    await waitFor(() => expect(streams).toHaveLength(1));
    expect(streams[0].topics).toEqual([t]);
    expect(result.current.live).toEqual({ state: 'connecting' });

    send(t, 'snapshot', { items: [item('a', '1'), item('b', '1')] });
    send(t, 'status', { state: 'live' });
    await waitFor(() => expect(result.current.live).toEqual({ state: 'live' }));
    expect(cached(t)).toEqual([item('a', '1'), item('b', '1')]);

    send(t, 'upsert', { item: item('c', '1') });
    send(t, 'upsert', { item: item('a', '2') });
    send(t, 'delete', { item: { key: 'ns/b' } });
    await waitFor(() => expect(cached(t)).toEqual([item('a', '2'), item('c', '1')]));
    send(t, 'heartbeat', { at: Date.now() });

    // The server's own watch on Kubernetes is down, then back with a new snapshot that replaces the list.
    send(t, 'status', { state: 'reconnecting', message: 'The Kubernetes API server is not answering; retrying.' });
    await waitFor(() => expect(result.current.live).toEqual({ state: 'reconnecting', message: 'The Kubernetes API server is not answering; retrying.' }));
    send(t, 'snapshot', { items: [item('a', '3')] });
    send(t, 'status', { state: 'live' });
    await waitFor(() => expect(result.current.live).toEqual({ state: 'live' }));
    expect(cached(t)).toEqual([item('a', '3')]);
    expect(liveRequests).toHaveLength(1);
  });

  it('a dropped connection is reconnecting until the server is back, then live with the new snapshot', async () => {
    const t = topic('list');
    const { result } = render(t);
    await waitFor(() => expect(result.current.live).toEqual({ state: 'live' }));
    expect(cached(t)).toEqual([item('a', '1')]);

    await server.close();
    await waitFor(() => expect(result.current.live).toEqual({ state: 'reconnecting', message: CONNECTION_LOST }));

    listItems = [item('a', '2'), item('z', '1')];
    await server.restart();
    // EventSource reopens by itself (retry: 1000); the snapshot replaces what was missed.
    await waitFor(() => expect(result.current.live).toEqual({ state: 'live' }), { timeout: 15_000 });
    await waitFor(() => expect(cached(t)).toEqual([item('a', '2'), item('z', '1')]));
    expect(liveRequests.length).toBeGreaterThanOrEqual(2);
  });

  it("a refused stream shows the server's reason and is reopened with growing delays until allowed", async () => {
    const t = topic('list');
    let refusals = 0;
    liveAnswer = (req, res) => {
      refusals++;
      if (refusals === 1 || (req.headers.accept !== 'text/event-stream' && refusals === 2)) {
        // A proxy in front: 503 without the error shape.
        res.writeHead(503, { 'content-type': 'text/plain' });
        res.end('Service Unavailable');
        return;
      }
      if (liveRequests.length < 3) {
        return sendJson(res, 422, { error: { code: 'invalid_input', message: 'The request is not valid.' } });
      }
      openStream(req, res, { items: listItems });
    };
    const { result } = render(t);
    await waitFor(() =>
      expect(result.current.live).toEqual({ state: 'reconnecting', message: 'The dashboard server refused the live updates (503).' }),
    );
    await waitFor(() => expect(result.current.live).toEqual({ state: 'reconnecting', message: 'The request is not valid.' }), { timeout: 5_000 });
    await waitFor(() => expect(result.current.live).toEqual({ state: 'live' }), { timeout: 10_000 });
    expect(cached(t)).toEqual([item('a', '1')]);
    // Three EventSource attempts: 1 s, then 2 s apart.
    expect(liveRequests).toHaveLength(3);
    const gaps = [liveRequests[1].at - liveRequests[0].at, liveRequests[2].at - liveRequests[1].at];
    expect(gaps[0]).toBeGreaterThanOrEqual(950);
    expect(gaps[0]).toBeLessThan(1_900);
    expect(gaps[1]).toBeGreaterThanOrEqual(1_950);
    expect(gaps[1]).toBeLessThan(3_900);
  });

  it('carries every subscription over one stream; the same topic again is answered without a request; a topic nobody wants leaves', async () => {
    const list = topic('list');
    const page = topic('page');
    const first = render(list);
    const second = render(page);
    await waitFor(() => expect(first.result.current.live).toEqual({ state: 'live' }));
    await waitFor(() => expect(second.result.current.live).toEqual({ state: 'live' }));
    await waitFor(() => expect(streams.map((s) => [...s.topics].sort())).toEqual([[list, page].sort()]));
    const requests = liveRequests.length;

    // Another "tab" on the list: answered from what the worker holds, on the same stream.
    const third = render(list, true, ['items', list, 'third']);
    await waitFor(() => expect(third.result.current.live).toEqual({ state: 'live' }));
    expect(queryClient.getQueryData(['items', list, 'third'])).toEqual([item('a', '1')]);
    send(list, 'upsert', { item: item('n', '1') });
    await waitFor(() => expect(queryClient.getQueryData(['items', list, 'third'])).toEqual([item('a', '1'), item('n', '1')]));
    await waitFor(() => expect(cached(list)).toEqual([item('a', '1'), item('n', '1')]));
    expect(liveRequests).toHaveLength(requests);

    // The page's only subscriber goes: the stream is reopened with the list alone.
    second.unmount();
    await waitFor(() => expect(streams.map((s) => s.topics)).toEqual([[list]]), { timeout: 5_000 });
    first.unmount();
    third.unmount();
    await waitFor(() => expect(streams).toHaveLength(0), { timeout: 5_000 });
  });

  it('opens nothing while disabled; a new URL starts at connecting', async () => {
    const a = topic('a');
    const b = topic('b');
    const { result, rerender, unmount } = render(a, false, ['items', 'same']);
    await waitFor(() => expect(result.current.query.isSuccess).toBe(true));
    expect(result.current.live).toEqual({ state: 'connecting' });
    expect(liveRequests).toHaveLength(0);

    rerender({ watchPath: a, enabled: true });
    await waitFor(() => expect(result.current.live).toEqual({ state: 'live' }));

    liveAnswer = (req, res) => openStream(req, res);
    rerender({ watchPath: b, enabled: true });
    expect(result.current.live).toEqual({ state: 'connecting' });
    await waitFor(() => expect(streams.flatMap((s) => s.topics)).toContain(b));
    expect(result.current.live).toEqual({ state: 'connecting' });
    send(b, 'snapshot', { items: [] });
    send(b, 'status', { state: 'live' });
    await waitFor(() => expect(result.current.live).toEqual({ state: 'live' }));

    rerender({ watchPath: b, enabled: false });
    expect(result.current.live).toEqual({ state: 'connecting' });
    unmount();
    await waitFor(() => expect(streams).toHaveLength(0), { timeout: 5_000 });
  });
});
