import 'server-only';
import type { ClusterObject } from '@/lib/flink/cluster-detail-objects';
import type { InformerLease } from '@/lib/k8s/informer-registry';
import { acquireInformer, withSyncedInformer } from '@/lib/k8s/informer-registry';
import type { ClusterSource } from './cluster-informers';

const HEARTBEAT_MS = 15_000;

function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The current objects of every source, from the shared informers' caches. */
export async function listClusterObjects(sources: ClusterSource[]): Promise<ClusterObject[]> {
  const lists = await Promise.all(
    sources.map((s) => withSyncedInformer(s.spec, (informer) => informer.list().filter(s.accept).map(s.toDto))),
  );
  return lists.flat();
}

/**
 * One SSE stream for several informers (a browser has only six HTTP/1.1 connections per host):
 * one combined snapshot, then upserts/deletes from any source, a combined live/reconnecting
 * status and heartbeats, until request.signal aborts. Same wire format as createWatchResponse.
 */
export async function createClusterWatchResponse(request: Request, sources: ClusterSource[]): Promise<Response> {
  const leases: InformerLease[] = [];
  try {
    for (const s of sources) leases.push(acquireInformer(s.spec));
    await Promise.all(leases.map((l) => l.informer.whenSynced()));
  } catch (err) {
    for (const l of leases) l.release();
    throw err;
  }
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      let ready = false;
      const send = (event: string, data: unknown) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(frame(event, data)));
        } catch {
          cleanup();
        }
      };
      const current = sources.map(() => [] as ClusterObject[]);
      const states = sources.map(() => ({ state: 'live' as 'live' | 'reconnecting', message: undefined as string | undefined }));
      let lastState = '';
      const sendStatus = () => {
        const down = states.find((s) => s.state === 'reconnecting');
        const status = down ? { state: 'reconnecting', message: down.message } : { state: 'live' };
        const text = JSON.stringify(status);
        if (text === lastState) return;
        lastState = text;
        send('status', status);
      };
      controller.enqueue(encoder.encode('retry: 1000\n\n'));
      const unsubscribes = sources.map((source, i) =>
        leases[i].informer.subscribe((event) => {
          switch (event.type) {
            case 'snapshot':
              current[i] = event.items.filter(source.accept).map(source.toDto);
              if (ready) send('snapshot', { items: current.flat() });
              return;
            case 'upsert':
              if (source.accept(event.object)) send('upsert', { item: source.toDto(event.object) });
              return;
            case 'delete':
              if (source.accept(event.object)) send('delete', { item: source.toDto(event.object) });
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
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    },
  });
}
