import 'server-only';
import type { Keyed, SseEventName } from '@/lib/live/watch-events';
import type { InformerSpec, KubeObject } from './informer';
import { acquireInformer } from './informer-registry';

const HEARTBEAT_MS = 15_000;

export type WatchResponseOptions<T extends Keyed> = {
  request: Request;
  spec: InformerSpec;
  /** Slim DTO for the browser: never the raw object (managedFields, secrets). */
  toDto: (object: KubeObject) => T;
};

function frame(event: SseEventName, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * An SSE response fed by the shared informer: a snapshot, then upsert/delete events, status
 * changes (live/reconnecting) and heartbeats, until the browser goes away (request.signal).
 * Throws (before streaming) the translated error if the first list fails, so the route answers
 * it in the usual JSON shape.
 */
export async function createWatchResponse<T extends Keyed>({ request, spec, toDto }: WatchResponseOptions<T>) {
  const lease = acquireInformer(spec);
  try {
    await lease.informer.whenSynced();
  } catch (err) {
    lease.release();
    throw err;
  }
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const send = (event: SseEventName, data: unknown) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(frame(event, data)));
        } catch {
          cleanup();
        }
      };
      // Tell the browser how long to wait before EventSource reconnects on its own.
      controller.enqueue(encoder.encode('retry: 1000\n\n'));
      const unsubscribe = lease.informer.subscribe((event) => {
        switch (event.type) {
          case 'snapshot':
            return send('snapshot', { items: event.items.map(toDto) });
          case 'upsert':
            return send('upsert', { item: toDto(event.object) });
          case 'delete':
            return send('delete', { item: toDto(event.object) });
          case 'status':
            return send('status', { state: event.state, message: event.message });
        }
      });
      send('status', { state: lease.informer.state });
      const heartbeat = setInterval(() => send('heartbeat', { at: Date.now() }), HEARTBEAT_MS);
      cleanup = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        unsubscribe();
        lease.release();
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
