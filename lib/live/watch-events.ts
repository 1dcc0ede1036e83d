// The wire format of the dashboard's SSE streams, shared by the route (server) and the hook (client).

/** Every streamed DTO has a stable key (namespace/name) and the object's opaque resourceVersion. */
export type Keyed = { key: string; resourceVersion: string };

export type WatchEvent<T extends Keyed> =
  | { type: 'snapshot'; items: T[] }
  | { type: 'upsert'; item: T }
  | { type: 'delete'; item: Pick<T, 'key'> & Partial<T> };

/** live: the upstream watch is running; reconnecting: it is down and being restarted. */
export type StreamStatus = { state: 'live' | 'reconnecting'; message?: string };

/** SSE event names. `heartbeat` keeps proxies from closing an idle stream; `log`/`log-end` carry a followed pod log's lines on /api/live. */
export const sseEventNames = ['snapshot', 'upsert', 'delete', 'status', 'heartbeat', 'log', 'log-end'] as const;
export type SseEventName = (typeof sseEventNames)[number];
