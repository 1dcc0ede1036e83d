// @vitest-environment happy-dom
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

// The browser's live hook in a DOM (happy-dom) with a WHATWG EventSource, against a real local
// HTTP server that speaks the dashboard's SSE wire format (lib/k8s/watch-response.ts): it can
// refuse the stream, drop it, go away and come back.
globalThis.EventSource = WhatwgEventSource as unknown as typeof globalThis.EventSource;

type Item = { key: string; resourceVersion: string; name: string };
const item = (name: string, rv: string): Item => ({ key: `ns/${name}`, resourceVersion: rv, name });

let server: LocalServer;
/** Open SSE responses, by stream path. */
let streams: { path: string; res: ServerResponse }[] = [];
/** Every EventSource request (accept: text/event-stream) with its arrival time. */
let watchRequests: { path: string; at: number }[] = [];
let listHits = 0;
let listItems: Item[] = [];
/** How the next watch request is answered. */
let watchAnswer: (req: IncomingMessage, res: ServerResponse) => void;

function frame(event: SseEventName, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** As createMultiWatchResponse starts a stream: retry, snapshot, status. */
function openStream(req: IncomingMessage, res: ServerResponse, first?: { items: Item[] }) {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform' });
  res.write('retry: 1000\n\n');
  const entry = { path: req.url ?? '', res };
  streams.push(entry);
  res.on('close', () => {
    streams = streams.filter((s) => s !== entry);
  });
  if (first) {
    res.write(frame('snapshot', first));
    res.write(frame('status', { state: 'live' }));
  }
}

function send(event: SseEventName, data: unknown) {
  for (const s of streams) s.res.write(frame(event, data));
}

beforeAll(async () => {
  server = await startLocalServer((req, res) => {
    const path = req.url ?? '';
    if (path.startsWith('/list')) {
      listHits++;
      return sendJson(res, 200, { items: listItems });
    }
    if (req.headers.accept === 'text/event-stream') watchRequests.push({ path, at: Date.now() });
    watchAnswer(req, res);
  });
  // The page is served by that server, so the hook and the list use relative URLs as in the app.
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(`${server.url}/clusters`);
});
afterAll(() => server.close());

let queryClient: QueryClient;
beforeEach(() => {
  streams = [];
  watchRequests = [];
  listHits = 0;
  listItems = [item('a', '1')];
  watchAnswer = (req, res) => openStream(req, res, { items: listItems });
  queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
});
afterEach(() => {
  cleanup();
  queryClient.clear();
});

const KEY = ['items', 'ctx', 'ns'] as const;

/** What a page does (components/clusters/cluster-list.tsx): list first, then the stream keeps it current. */
function useLiveList(watchPath: string, enabled = true) {
  const query = useQuery({
    queryKey: KEY,
    queryFn: async () => (await fetchJson<{ items: Item[] }>('/list')).items,
    staleTime: Infinity,
  });
  const live = useWatchStream<Item>(watchPath, KEY, enabled && query.isSuccess);
  return { live, query };
}

function render(watchPath = '/watch', enabled = true) {
  const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
  return renderHook((props: { watchPath: string; enabled: boolean }) => useLiveList(props.watchPath, props.enabled), {
    wrapper,
    initialProps: { watchPath, enabled },
  });
}

const cached = () => queryClient.getQueryData<Item[]>(KEY);

describe('useWatchStream', () => {
  it('is connecting, then live with the snapshot; folds upserts and deletes; follows the server status', async () => {
    listItems = [item('a', '1')];
    watchAnswer = (req, res) => openStream(req, res); // the stream's first events come when the test says
    const { result } = render();
    expect(result.current.live).toEqual({ state: 'connecting' });
    await waitFor(() => expect(streams).toHaveLength(1));
    expect(result.current.live).toEqual({ state: 'connecting' });

    send('snapshot', { items: [item('a', '1'), item('b', '1')] });
    send('status', { state: 'live' });
    await waitFor(() => expect(result.current.live).toEqual({ state: 'live' }));
    expect(cached()).toEqual([item('a', '1'), item('b', '1')]);

    send('upsert', { item: item('c', '1') });
    send('upsert', { item: item('a', '2') });
    send('delete', { item: { key: 'ns/b' } });
    await waitFor(() => expect(cached()).toEqual([item('a', '2'), item('c', '1')]));
    send('heartbeat', { at: Date.now() });

    // The server's own watch on Kubernetes is down, then back with a new list.
    const hitsBefore = listHits;
    send('status', { state: 'reconnecting', message: 'The Kubernetes API server is not answering; retrying.' });
    await waitFor(() => expect(result.current.live).toEqual({ state: 'reconnecting', message: 'The Kubernetes API server is not answering; retrying.' }));
    listItems = [item('a', '3')];
    send('snapshot', { items: [item('a', '3')] });
    send('status', { state: 'live' });
    await waitFor(() => expect(result.current.live).toEqual({ state: 'live' }));
    // The list was refetched (invalidated) after the outage, and the cache holds the new list.
    await waitFor(() => expect(listHits).toBe(hitsBefore + 1));
    expect(cached()).toEqual([item('a', '3')]);
    expect(watchRequests).toHaveLength(1);
  });

  it('a dropped connection is reconnecting until the server is back, then live with the new list', async () => {
    const { result } = render();
    await waitFor(() => expect(result.current.live).toEqual({ state: 'live' }));
    expect(cached()).toEqual([item('a', '1')]);
    const hitsBefore = listHits;

    await server.close();
    await waitFor(() => expect(result.current.live).toEqual({ state: 'reconnecting', message: CONNECTION_LOST }));

    listItems = [item('a', '2'), item('z', '1')];
    await server.restart();
    // EventSource reopens by itself (retry: 1000); the snapshot resumes the list.
    await waitFor(() => expect(result.current.live).toEqual({ state: 'live' }), { timeout: 15_000 });
    await waitFor(() => expect(cached()).toEqual([item('a', '2'), item('z', '1')]));
    await waitFor(() => expect(listHits).toBe(hitsBefore + 1));
    expect(watchRequests.length).toBeGreaterThanOrEqual(2);
  });

  it('a refused stream shows the server\'s reason and is reopened with growing delays until allowed', async () => {
    let refusals = 0;
    watchAnswer = (req, res) => {
      refusals++;
      if (refusals === 1 || (req.headers.accept !== 'text/event-stream' && refusals === 2)) {
        // A proxy in front: 503 without the error shape.
        res.writeHead(503, { 'content-type': 'text/plain' });
        res.end('Service Unavailable');
        return;
      }
      if (watchRequests.length < 3) {
        return sendJson(res, 403, { error: { code: 'forbidden', message: 'You may not watch deployments in namespace "team-a".' } });
      }
      openStream(req, res, { items: listItems });
    };
    const { result } = render();
    await waitFor(() =>
      expect(result.current.live).toEqual({ state: 'reconnecting', message: 'The dashboard server refused the live updates (503).' }),
    );
    await waitFor(() => expect(result.current.live).toEqual({ state: 'reconnecting', message: 'You may not watch deployments in namespace "team-a".' }), {
      timeout: 5_000,
    });
    await waitFor(() => expect(result.current.live).toEqual({ state: 'live' }), { timeout: 10_000 });
    expect(cached()).toEqual([item('a', '1')]);
    // Three EventSource attempts: 1 s, then 2 s apart.
    expect(watchRequests).toHaveLength(3);
    const gaps = [watchRequests[1].at - watchRequests[0].at, watchRequests[2].at - watchRequests[1].at];
    expect(gaps[0]).toBeGreaterThanOrEqual(950);
    expect(gaps[0]).toBeLessThan(1_900);
    expect(gaps[1]).toBeGreaterThanOrEqual(1_950);
    expect(gaps[1]).toBeLessThan(3_900);
  });

  it('opens nothing while disabled; a new URL starts at connecting; unmounting closes the stream', async () => {
    const { result, rerender, unmount } = render('/watch?namespace=a', false);
    await waitFor(() => expect(result.current.query.isSuccess).toBe(true));
    expect(result.current.live).toEqual({ state: 'connecting' });
    expect(watchRequests).toHaveLength(0);

    rerender({ watchPath: '/watch?namespace=a', enabled: true });
    await waitFor(() => expect(result.current.live).toEqual({ state: 'live' }));

    watchAnswer = (req, res) => openStream(req, res);
    rerender({ watchPath: '/watch?namespace=b', enabled: true });
    expect(result.current.live).toEqual({ state: 'connecting' });
    await waitFor(() => expect(streams.map((s) => s.path)).toEqual(['/watch?namespace=b']));
    expect(result.current.live).toEqual({ state: 'connecting' });
    send('snapshot', { items: [] });
    send('status', { state: 'live' });
    await waitFor(() => expect(result.current.live).toEqual({ state: 'live' }));

    rerender({ watchPath: '/watch?namespace=b', enabled: false });
    expect(result.current.live).toEqual({ state: 'connecting' });
    await waitFor(() => expect(streams).toHaveLength(0));
    rerender({ watchPath: '/watch?namespace=b', enabled: true });
    expect(result.current.live).toEqual({ state: 'connecting' });
    await waitFor(() => expect(streams).toHaveLength(1));

    unmount();
    await waitFor(() => expect(streams).toHaveLength(0));
  });
});
