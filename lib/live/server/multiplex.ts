import 'server-only';
import { toApiError } from '@/lib/api/to-error-response';
import { HEARTBEAT_MS, sseFrame, sseHeaders, type FeedEvent } from '@/lib/k8s/watch-response';
import type { Keyed, SseEventName } from '@/lib/live/watch-events';
import { onDrain } from './shutdown';

/**
 * What a topic emits: a watch feed's events, or a followed pod log's batches of lines (`log`, each
 * line `<timestamp> <text>`, with the lines skipped before them when the browser fell behind) and
 * its end (`log-end`: the container stopped).
 */
export type LiveEvent =
  | FeedEvent<Keyed>
  | { type: 'log'; container: string; lines: string[]; skipped: number }
  | { type: 'log-end'; container: string };

/** How far the browser is behind: congested while the stream holds more than it has taken. */
export type LiveFlow = { congested(): boolean };

/** A topic's feed: starts emitting (snapshot first), answers its stop; throws if it cannot start. */
export type LiveFeed = (emit: (event: LiveEvent) => void, flow: LiveFlow) => Promise<() => void>;

/** Turns a topic id into its feed; throws an ApiError (in plain words) for a topic it does not know. */
export type TopicResolver = (topic: string) => LiveFeed;

const RETRY_START_MS = 1_000;
/** Bytes a stream may hold that the browser has not taken before its log topics count as congested. */
export const LIVE_HIGH_WATER_BYTES = 256 * 1024;
const RETRY_CAP_MS = 15_000;

type Stats = { streams: number; subscriptions: number };
// On globalThis so a dev hot reload keeps counting the streams it did not close.
const g = globalThis as unknown as { __flinkDashLive?: Stats };
const stats = (g.__flinkDashLive ??= { streams: 0, subscriptions: 0 });

/** For tests and diagnostics: open /api/live streams and the topic subscriptions they carry. */
export function liveStats(): Stats {
  return { ...stats };
}

/**
 * One SSE stream carrying many topics (lib/live/README.md). Every frame's data names its `topic`:
 * per topic a snapshot, then upsert/delete and status frames. A topic that cannot start (a first
 * list refused, an unknown topic) gets a `status` frame with the reason and is retried with capped
 * backoff, without disturbing the others. Ends with the request (request.signal) or a cancel.
 */
export function createLiveResponse(request: Request, topics: readonly string[], resolve: TopicResolver): Response {
  const encoder = new TextEncoder();
  let cleanup = () => {};
  let flow: LiveFlow = { congested: () => false };
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      // desiredSize falls below zero once more than LIVE_HIGH_WATER_BYTES wait for the browser.
      flow = { congested: () => (controller.desiredSize ?? 0) <= 0 };
      let closed = false;
      const stops = new Map<string, () => void>();
      const timers = new Set<ReturnType<typeof setTimeout>>();
      stats.streams++;
      const send = (event: SseEventName, data: unknown) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(sseFrame(event, data)));
        } catch {
          cleanup();
        }
      };
      const start = async (topic: string, attempt: number) => {
        if (closed) return;
        try {
          const feed = resolve(topic);
          const stop = await feed(
            (event) => {
              if (event.type === 'status') send('status', { topic, state: event.state, message: event.message });
              else if (event.type === 'snapshot') send('snapshot', { topic, items: event.items });
              else if (event.type === 'log') send('log', { topic, container: event.container, lines: event.lines, skipped: event.skipped });
              else if (event.type === 'log-end') send('log-end', { topic, container: event.container });
              else send(event.type, { topic, item: event.item });
            },
            flow,
          );
          if (closed) return stop();
          stops.set(topic, stop);
          stats.subscriptions++;
        } catch (err) {
          if (closed) return;
          const apiError = toApiError(err);
          const issues = (apiError.issues ?? []).map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
          const message = [apiError.message, ...issues].join(' ');
          send('status', { topic, state: 'reconnecting', message });
          const timer = setTimeout(() => {
            timers.delete(timer);
            void start(topic, attempt + 1);
          }, Math.min(RETRY_CAP_MS, RETRY_START_MS * 2 ** attempt));
          timers.add(timer);
        }
      };
      // Tell EventSource how long to wait before it reconnects on its own.
      controller.enqueue(encoder.encode('retry: 1000\n\n'));
      for (const topic of new Set(topics)) void start(topic, 0);
      const heartbeat = setInterval(() => send('heartbeat', { at: Date.now() }), HEARTBEAT_MS);
      cleanup = () => {
        if (closed) return;
        closed = true;
        stats.streams--;
        stats.subscriptions -= stops.size;
        clearInterval(heartbeat);
        for (const timer of timers) clearTimeout(timer);
        for (const stop of stops.values()) stop();
        stops.clear();
        request.signal.removeEventListener('abort', cleanup);
        try {
          controller.close();
        } catch {
          // already closed by the runtime
        }
      };
      // Shutdown (SIGTERM): every topic is told it reconnects, then the stream ends and EventSource reopens it elsewhere.
      const unregister = onDrain((message) => {
        for (const topic of new Set(topics)) send('status', { topic, state: 'reconnecting', message });
        cleanup();
      });
      const end = cleanup;
      cleanup = () => {
        unregister();
        end();
      };
      request.signal.addEventListener('abort', cleanup);
      if (request.signal.aborted) cleanup();
    },
    cancel() {
      cleanup();
    },
  }, new ByteLengthQueuingStrategy({ highWaterMark: LIVE_HIGH_WATER_BYTES }));
  return new Response(stream, { headers: sseHeaders });
}
