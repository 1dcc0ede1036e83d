import 'server-only';
import type { Keyed, SseEventName, StreamStatus, WatchEvent } from '@/lib/live/watch-events';
import type { InformerSpec, KubeObject } from './informer';
import { acquireInformer, type InformerLease } from './informer-registry';
import { onDrain } from '@/lib/live/server/shutdown';

export const HEARTBEAT_MS = 15_000;

/** One watched source: a shared informer, the slim DTO for the browser and an optional filter. */
export type WatchSource<T extends Keyed> = {
  spec: InformerSpec;
  /** Slim DTO for the browser: never the raw object (managedFields, secrets). */
  toDto: (object: KubeObject) => T;
  /** Objects to leave out (e.g. events of other objects in a namespace informer). */
  accept?: (object: KubeObject) => boolean;
};

export type WatchResponseOptions<T extends Keyed> = WatchSource<T> & { request: Request };

/** What a feed of sources emits: the stream's events, and its combined live/reconnecting status. */
export type FeedEvent<T extends Keyed> = WatchEvent<T> | ({ type: 'status' } & StreamStatus);

/**
 * Subscribes to the shared informers of `sources` and emits one combined snapshot, then upsert/delete
 * events from any source and the combined status (only when it changes). Throws (before emitting
 * anything) the translated error if a first list fails. Answers the function that stops it and
 * releases the informers (they linger for reuse, see informer-registry).
 */
export async function subscribeSources<T extends Keyed>(
  sources: readonly WatchSource<T>[],
  emit: (event: FeedEvent<T>) => void,
): Promise<() => void> {
  const leases: InformerLease[] = [];
  try {
    for (const s of sources) leases.push(acquireInformer(s.spec));
    await Promise.all(leases.map((l) => l.informer.whenSynced()));
  } catch (err) {
    for (const l of leases) l.release();
    throw err;
  }
  const accepts = sources.map((s) => s.accept ?? (() => true));
  let ready = false;
  let stopped = false;
  const current = sources.map(() => [] as T[]);
  const states = leases.map((l) => ({ state: l.informer.state, message: undefined as string | undefined }));
  let lastStatus = '';
  const sendStatus = () => {
    const down = states.find((s) => s.state === 'reconnecting');
    const status: StreamStatus = down ? { state: 'reconnecting', message: down.message } : { state: 'live' };
    const text = JSON.stringify(status);
    if (text === lastStatus) return;
    lastStatus = text;
    emit({ type: 'status', ...status });
  };
  const unsubscribes = sources.map((source, i) =>
    leases[i].informer.subscribe((event) => {
      if (stopped) return;
      switch (event.type) {
        case 'snapshot':
          current[i] = event.items.filter(accepts[i]).map(source.toDto);
          if (ready) emit({ type: 'snapshot', items: current.flat() });
          return;
        case 'upsert':
          if (accepts[i](event.object)) emit({ type: 'upsert', item: source.toDto(event.object) });
          return;
        case 'delete':
          if (accepts[i](event.object)) emit({ type: 'delete', item: source.toDto(event.object) });
          return;
        case 'status':
          states[i] = { state: event.state, message: event.message };
          if (ready) sendStatus();
          return;
      }
    }),
  );
  ready = true;
  emit({ type: 'snapshot', items: current.flat() });
  sendStatus();
  return () => {
    if (stopped) return;
    stopped = true;
    for (const u of unsubscribes) u();
    for (const l of leases) l.release();
  };
}

/** One SSE frame. */
export function sseFrame(event: SseEventName | 'jobs' | 'job', data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export const sseHeaders = {
  'content-type': 'text/event-stream; charset=utf-8',
  // no-transform keeps the compression middleware from buffering the stream.
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
} as const;

/** An SSE response fed by one shared informer (see createMultiWatchResponse). */
export function createWatchResponse<T extends Keyed>({ request, ...source }: WatchResponseOptions<T>): Promise<Response> {
  return createMultiWatchResponse(request, [source]);
}

/**
 * An SSE response fed by shared informers: one combined snapshot, then upsert/delete events from
 * any source, the combined live/reconnecting status and heartbeats, until the browser goes away
 * (request.signal). The browser multiplexes its streams over /api/live (lib/live/README.md); this
 * per-stream form stays for other clients. Throws (before streaming) the translated error if a
 * first list fails, so the route answers it in the usual JSON shape.
 */
export function createMultiWatchResponse<T extends Keyed>(request: Request, sources: readonly WatchSource<T>[]): Promise<Response> {
  return createFeedResponse(request, (emit) => subscribeSources(sources, emit));
}

/**
 * The one SSE writer: a `retry` hint, the frames `start` sends, heartbeats, until the browser goes away
 * (request.signal) or the stream is cancelled; then the function `start` answered is called once.
 */
export function createSseResponse(
  request: Request,
  start: (send: (event: SseEventName | 'jobs' | 'job', data: unknown) => void) => () => void,
): Response {
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      let stop = () => {};
      const send = (event: SseEventName | 'jobs' | 'job', data: unknown) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(sseFrame(event, data)));
        } catch {
          cleanup();
        }
      };
      cleanup = () => {
        if (closed) return;
        closed = true;
        unregister();
        clearInterval(heartbeat);
        stop();
        request.signal.removeEventListener('abort', cleanup);
        try {
          controller.close();
        } catch {
          // already closed by the runtime
        }
      };
      // Tell the browser how long to wait before EventSource reconnects on its own.
      controller.enqueue(encoder.encode('retry: 1000\n\n'));
      const heartbeat = setInterval(() => send('heartbeat', { at: Date.now() }), HEARTBEAT_MS);
      // Shutdown (SIGTERM): a last status frame, then the stream ends and EventSource reopens it elsewhere.
      const unregister = onDrain((message) => {
        send('status', { state: 'reconnecting', message });
        cleanup();
      });
      stop = start(send);
      if (closed) stop();
      request.signal.addEventListener('abort', cleanup);
      if (request.signal.aborted) cleanup();
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, { headers: sseHeaders });
}

/**
 * An SSE response fed by any feed (shared informers, the cluster list's join): what it emits is
 * written as snapshot/upsert/delete/status frames, with heartbeats, until the browser goes away.
 * `subscribe` throws (before streaming) if its first list fails.
 */
export async function createFeedResponse<T extends Keyed>(
  request: Request,
  subscribe: (emit: (event: FeedEvent<T>) => void) => Promise<() => void>,
): Promise<Response> {
  const buffered: FeedEvent<T>[] = [];
  let deliver: (event: FeedEvent<T>) => void = (event) => void buffered.push(event);
  const stop = await subscribe((event) => deliver(event));
  return createSseResponse(request, (send) => {
    deliver = (event) => {
      if (event.type === 'status') send('status', { state: event.state, message: event.message });
      else if (event.type === 'snapshot') send('snapshot', { items: event.items });
      else send(event.type, { item: event.item });
    };
    for (const event of buffered.splice(0)) deliver(event);
    return stop;
  });
}
