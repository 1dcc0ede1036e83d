// Watch streams: JSON lines of {"type","object"}, resourceVersion semantics, bookmarks, selectors,
// and fan-out that serializes one store event once for all watchers that take it as is.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Entry, Store, StoreEvent } from '../store';
import type { Predicate } from './selectors';
import { statusOf } from './errors';

export interface WatchOptions {
  resource: string; // store key
  kind: string;
  apiVersion: string;
  namespace?: string; // undefined: all namespaces
  match?: Predicate; // label + field selector
  resourceVersion?: string;
  bookmarks: boolean;
  timeoutSeconds: number;
  /** Per-watcher rendering (Table, PartialObjectMetadata); undefined: the stored JSON as is. */
  render?: (obj: any) => any;
  /** Conversion of stored objects (e.g. events.k8s.io view of core events). */
  convert?: (obj: any) => any;
}

type EvType = 'ADDED' | 'MODIFIED' | 'DELETED';

interface CachedEvent extends StoreEvent {
  lines?: Partial<Record<EvType, string>>;
}

/**
 * The event's line, built once for all the watchers that take it as is. The cache lives only while
 * the event is dispatched: kept on the window's events it would hold a second copy of each object.
 */
function line(ev: CachedEvent, type: EvType, entry: Entry): string {
  if (!ev.lines) {
    ev.lines = {};
    setImmediate(() => (ev.lines = undefined));
  }
  return (ev.lines[type] ??= `{"type":"${type}","object":${entry.json}}\n`);
}

export interface WatchRegistry {
  add(close: () => void): () => void;
}

export function serveWatch(store: Store, req: IncomingMessage, res: ServerResponse, o: WatchOptions, registry: WatchRegistry): void {
  const custom = o.render || o.convert;
  // a watcher that does not read is dropped, as the real server drops watchers whose buffer is full
  const MAX_BUFFERED = 64 * 1024 * 1024;
  const write = (s: string) => {
    if (res.writableEnded) return;
    res.write(s);
    if (res.writableLength > MAX_BUFFERED) close();
  };
  const emitObj = (type: EvType | 'BOOKMARK' | 'ERROR', obj: any) => {
    let out = o.convert && type !== 'BOOKMARK' && type !== 'ERROR' ? o.convert(obj) : obj;
    if (o.render && type !== 'BOOKMARK' && type !== 'ERROR') out = o.render(out);
    write(`{"type":"${type}","object":${JSON.stringify(out)}}\n`);
  };
  const emitEntry = (type: EvType, ev: CachedEvent | undefined, entry: Entry) => {
    if (custom || !ev) {
      if (custom) emitObj(type, entry.obj);
      else write(`{"type":"${type}","object":${entry.json}}\n`);
    } else write(line(ev, type, entry));
  };
  const inNs = (ns: string) => o.namespace === undefined || o.namespace === ns;
  const matches = (e: Entry) => !o.match || o.match(e);

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();

  const handle = (ev: CachedEvent) => {
    if (!inNs(ev.namespace)) return;
    if (ev.type === 'ADDED') {
      if (matches(ev.entry)) emitEntry('ADDED', ev, ev.entry);
    } else if (ev.type === 'MODIFIED') {
      const now = matches(ev.entry);
      const before = ev.prev ? matches(ev.prev) : false;
      if (now && before) emitEntry('MODIFIED', ev, ev.entry);
      else if (now) emitEntry('ADDED', ev, ev.entry);
      else if (before) emitEntry('DELETED', ev, ev.entry);
    } else {
      if (matches(ev.prev ?? ev.entry)) emitEntry('DELETED', ev, ev.entry);
    }
  };

  let closed = false;
  let unsubscribe = () => {};
  let bookmarkTimer: NodeJS.Timeout | undefined;
  // eslint-disable-next-line prefer-const -- close() below reads it; it is set once the stream is set up
  let timeoutTimer: NodeJS.Timeout | undefined;
  let unregister = () => {};
  const close = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    unregister();
    if (bookmarkTimer) clearInterval(bookmarkTimer);
    if (timeoutTimer) clearTimeout(timeoutTimer);
    if (!res.writableEnded) res.end();
  };
  unregister = registry.add(close);
  req.on('close', close);
  res.on('close', close);
  res.on('error', close);

  const rv = o.resourceVersion;
  if (rv === undefined || rv === '' || rv === '0') {
    for (const e of store.listEntries(o.resource, o.namespace)) if (matches(e)) emitEntry('ADDED', undefined, e);
  } else {
    const n = Number(rv);
    if (!Number.isFinite(n) || n < 0 || !/^\d+$/.test(rv)) {
      emitObj('ERROR', statusOf(400, 'BadRequest', `invalid resource version: strconv.ParseUint: parsing "${rv}": invalid syntax`));
      close();
      return;
    }
    const evs = store.eventsSince(o.resource, n);
    if (!Array.isArray(evs)) {
      emitObj('ERROR', statusOf(410, 'Expired', `too old resource version: ${n} (${evs.oldest})`));
      close();
      return;
    }
    for (const ev of evs) handle(ev);
  }
  unsubscribe = store.subscribe(o.resource, handle);

  if (o.bookmarks) {
    bookmarkTimer = setInterval(() => {
      emitObj('BOOKMARK', { kind: o.kind, apiVersion: o.apiVersion, metadata: { resourceVersion: String(store.resourceVersion), creationTimestamp: null } });
    }, 30_000);
    bookmarkTimer.unref?.();
  }
  timeoutTimer = setTimeout(close, o.timeoutSeconds * 1000);
  timeoutTimer.unref?.();
}
