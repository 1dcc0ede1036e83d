'use client';

import type { Keyed } from './watch-events';

/** Where the worker script is served from (public/live-worker.js). */
export const LIVE_WORKER_URL = '/live-worker.js';
/** Tabs that name the same SharedWorker share it, and with it the one connection. */
const LIVE_WORKER_NAME = 'flink-dashboard-live';

export type LiveMessage<T extends Keyed> =
  | { event: 'snapshot'; items: T[] }
  | { event: 'upsert'; item: T }
  | { event: 'delete'; item: Pick<T, 'key'> & Partial<T> }
  | { event: 'status'; state: 'connecting' | 'live' | 'reconnecting'; message?: string }
  // A followed pod log's topic: lines (without their timestamps; `reset`: instead of what was shown), and its end.
  | { event: 'lines'; container?: string; lines: string[]; skipped: number; reset?: boolean }
  | { event: 'end'; container?: string };

type Listener = (message: LiveMessage<Keyed>) => void;
type Port = { postMessage(message: unknown): void };

let port: Port | undefined;
let nextSub = 1;
const listeners = new Map<number, Listener>();
const topics = new Map<number, string>();

function connect(onFailure: (message: string) => void): Port {
  if (port) return port;
  const receive = (e: MessageEvent) => {
    const { sub, ...message } = e.data as { sub: number } & LiveMessage<Keyed>;
    listeners.get(sub)?.(message);
  };
  if (typeof SharedWorker !== 'undefined') {
    const worker = new SharedWorker(LIVE_WORKER_URL, { type: 'module', name: LIVE_WORKER_NAME });
    worker.onerror = () => onFailure('The live updates could not start in this browser (the shared worker failed).');
    worker.port.onmessage = receive;
    worker.port.start();
    port = worker.port;
  } else {
    const worker = new Worker(LIVE_WORKER_URL, { type: 'module' });
    worker.onerror = () => onFailure('The live updates could not start in this browser (the worker failed).');
    worker.onmessage = receive;
    port = worker;
  }
  const connected = port;
  // Leaving the page frees its subscriptions at once; coming back from the back/forward cache renews them.
  window.addEventListener('pagehide', () => connected.postMessage({ type: 'bye' }));
  window.addEventListener('pageshow', (e) => {
    if (!e.persisted) return;
    for (const [sub, topic] of topics) connected.postMessage({ type: 'subscribe', sub, topic });
  });
  return connected;
}

/**
 * Subscribes to a live topic (the URL of its stream, e.g. `/api/watch/clusters?namespace=x`) over the
 * browser's one shared connection. Answers the unsubscribe.
 */
export function subscribeLive<T extends Keyed>(topic: string, listener: (message: LiveMessage<T>) => void): () => void {
  const sub = nextSub++;
  listeners.set(sub, listener as Listener);
  topics.set(sub, topic);
  const target = connect((message) => {
    for (const l of listeners.values()) l({ event: 'status', state: 'reconnecting', message });
  });
  target.postMessage({ type: 'subscribe', sub, topic });
  return () => {
    listeners.delete(sub);
    topics.delete(sub);
    target.postMessage({ type: 'unsubscribe', sub });
  };
}
