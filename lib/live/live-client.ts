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
/** Workers started by this page: the first shares the browser's name, a replacement gets its own. */
let generation = 0;
/** When the current worker last sent anything. */
let heardAt = 0;
let pageListeners = false;

/**
 * The worker answers every subscribe at once (the topic's status). One that says nothing for this
 * long is gone or hung (a tab can be handed a shared worker that is shutting down as its last page
 * leaves): the page starts another and subscribes everything again there.
 */
export const WORKER_ANSWER_TIMEOUT_MS = 8000;

function connect(onFailure: (message: string) => void): Port {
  if (port) return port;
  generation++;
  const receive = (e: MessageEvent) => {
    if (port === started) heardAt = Date.now();
    const { sub, ...message } = e.data as { sub: number } & LiveMessage<Keyed>;
    listeners.get(sub)?.(message);
  };
  let started: Port;
  if (typeof SharedWorker !== 'undefined') {
    const name = generation === 1 ? LIVE_WORKER_NAME : `${LIVE_WORKER_NAME}-${generation}-${Date.now().toString(36)}`;
    const worker = new SharedWorker(LIVE_WORKER_URL, { type: 'module', name });
    worker.onerror = () => onFailure('The live updates could not start in this browser (the shared worker failed).');
    worker.port.onmessage = receive;
    worker.port.start();
    started = worker.port;
  } else {
    const worker = new Worker(LIVE_WORKER_URL, { type: 'module' });
    worker.onerror = () => onFailure('The live updates could not start in this browser (the worker failed).');
    worker.onmessage = receive;
    started = worker;
  }
  port = started;
  heardAt = 0;
  if (!pageListeners) {
    pageListeners = true;
    // Leaving the page frees its subscriptions at once; coming back from the back/forward cache renews them.
    window.addEventListener('pagehide', () => port?.postMessage({ type: 'bye' }));
    window.addEventListener('pageshow', (e) => {
      if (!e.persisted || !port) return;
      for (const [sub, topic] of topics) port.postMessage({ type: 'subscribe', sub, topic });
    });
  }
  return started;
}

/** After a subscribe: a worker that has not answered within the timeout is replaced. */
function watchAnswer(asked: Port, onFailure: (message: string) => void) {
  const askedAt = Date.now();
  setTimeout(() => {
    if (port !== asked || heardAt >= askedAt || topics.size === 0) return;
    asked.postMessage({ type: 'bye' });
    port = undefined;
    const next = connect(onFailure);
    for (const [sub, topic] of topics) next.postMessage({ type: 'subscribe', sub, topic });
    watchAnswer(next, onFailure);
  }, WORKER_ANSWER_TIMEOUT_MS);
}

function failAll(message: string) {
  for (const l of listeners.values()) l({ event: 'status', state: 'reconnecting', message });
}

/**
 * Subscribes to a live topic (the URL of its stream, e.g. `/api/watch/clusters?namespace=x`) over the
 * browser's one shared connection. Answers the unsubscribe.
 */
export function subscribeLive<T extends Keyed>(topic: string, listener: (message: LiveMessage<T>) => void): () => void {
  const sub = nextSub++;
  listeners.set(sub, listener as Listener);
  topics.set(sub, topic);
  const target = connect(failAll);
  target.postMessage({ type: 'subscribe', sub, topic });
  watchAnswer(target, failAll);
  return () => {
    listeners.delete(sub);
    topics.delete(sub);
    port?.postMessage({ type: 'unsubscribe', sub });
  };
}
