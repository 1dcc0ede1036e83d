import 'server-only';
import type { Keyed, SseEventName } from '@/lib/live/watch-events';
import type { InformerSpec, KubeObject } from './informer';
import { acquireInformer, type InformerLease } from './informer-registry';

const HEARTBEAT_MS = 15_000;

/** One watched source: a shared informer, the slim DTO for the browser and an optional filter. */
export type WatchSource<T extends Keyed> = {
  spec: InformerSpec;
  /** Slim DTO for the browser: never the raw object (managedFields, secrets). */
  toDto: (object: KubeObject) => T;
  /** Objects to leave out (e.g. events of other objects in a namespace informer). */
  accept?: (object: KubeObject) => boolean;
};

export type WatchResponseOptions<T extends Keyed> = WatchSource<T> & { request: Request };

function frame(event: SseEventName, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** An SSE response fed by one shared informer (see createMultiWatchResponse). */
export function createWatchResponse<T extends Keyed>({ request, ...source }: WatchResponseOptions<T>): Promise<Response> {
  return createMultiWatchResponse(request, [source]);
}

/**
 * An SSE response fed by shared informers: one combined snapshot, then upsert/delete events from
 * any source, the combined live/reconnecting status and heartbeats, until the browser goes away
 * (request.signal). Several sources share one stream because a browser has only six HTTP/1.1
 * connections per host. Throws (before streaming) the translated error if a first list fails, so
 * the route answers it in the usual JSON shape.
 */
export async function createMultiWatchResponse<T extends Keyed>(request: Request, sources: readonly WatchSource<T>[]): Promise<Response> {
  const leases: InformerLease[] = [];
  try {
    for (const s of sources) leases.push(acquireInformer(s.spec));
    await Promise.all(leases.map((l) => l.informer.whenSynced()));
  } catch (err) {
    for (const l of leases) l.release();
    throw err;
  }
  const accepts = sources.map((s) => s.accept ?? (() => true));
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      let ready = false;
      const send = (event: SseEventName, data: unknown) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(frame(event, data)));
        } catch {
          cleanup();
        }
      };
      const current = sources.map(() => [] as T[]);
      const states = leases.map((l) => ({ state: l.informer.state, message: undefined as string | undefined }));
      let lastStatus = '';
      const sendStatus = () => {
        const down = states.find((s) => s.state === 'reconnecting');
        const status = down ? { state: 'reconnecting', message: down.message } : { state: 'live' };
        const text = JSON.stringify(status);
        if (text === lastStatus) return;
        lastStatus = text;
        send('status', status);
      };
      // Tell the browser how long to wait before EventSource reconnects on its own.
      controller.enqueue(encoder.encode('retry: 1000\n\n'));
      const unsubscribes = sources.map((source, i) =>
        leases[i].informer.subscribe((event) => {
          switch (event.type) {
            case 'snapshot':
              current[i] = event.items.filter(accepts[i]).map(source.toDto);
              if (ready) send('snapshot', { items: current.flat() });
              return;
            case 'upsert':
              if (accepts[i](event.object)) send('upsert', { item: source.toDto(event.object) });
              return;
            case 'delete':
              if (accepts[i](event.object)) send('delete', { item: source.toDto(event.object) });
              return;
            case 'status':
              states[i] = { state: event.state, message: event.message };
              if (ready) sendStatus();
              return;
          }
        }),
      );
      ready = true;
      send('snapshot', { items: current.flat() });
      sendStatus();
      const heartbeat = setInterval(() => send('heartbeat', { at: Date.now() }), HEARTBEAT_MS);
      cleanup = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        for (const u of unsubscribes) u();
        for (const l of leases) l.release();
        request.signal.removeEventListener('abort', cleanup);
        try {
          controller.close();
        } catch {
          // already closed by the runtime
        }
      };
      request.signal.addEventListener('abort', cleanup);
      if (request.signal.aborted) cleanup();
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      // no-transform keeps the compression middleware from buffering the stream.
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    },
  });
}
