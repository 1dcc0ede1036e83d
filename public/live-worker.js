// The dashboard's live connection (lib/live/README.md). Run as a SharedWorker, it holds the one
// EventSource of every tab of this browser to /api/live, with the set of topics the tabs want in its
// URL, and relays each topic's events to the tabs' MessagePorts. Where SharedWorker is missing it
// runs as a dedicated Worker of a single tab, with the same protocol.
//
// Tab → worker: { type: 'subscribe', sub, topic } | { type: 'unsubscribe', sub } | { type: 'bye' }
// Worker → tab: { sub, event: 'snapshot', items } | { sub, event: 'upsert' | 'delete', item }
//               | { sub, event: 'status', state: 'connecting' | 'live' | 'reconnecting', message? }
//               | { sub, event: 'lines', container, lines, skipped, reset? } | { sub, event: 'end', container }
//
// A followed pod log (a `log` topic) is a stream of lines, not a set of items: the worker keeps its
// last lines (up to the topic's tailLines, at most LOG_KEEP) for a tab that subscribes later, and the
// timestamp of the last line it relayed. Every (re)opened stream starts each log again from its
// tail, so the lines up to that timestamp are not relayed twice.

const CONNECTION_LOST = 'The connection to the dashboard server was lost.';
const RETRY_START_MS = 1000;
const RETRY_CAP_MS = 15000;
// A stream that has not opened by then (its request stalled: no answer, no error) is given up and reopened.
const OPEN_TIMEOUT_MS = 10000;
// A new topic joins the stream soon; a topic nobody wants leaves later, so a reload keeps it.
const ADD_DELAY_MS = 30;
const DROP_DELAY_MS = 2000;
const LOG_KEEP = 10000;

/** topic → { subs: Set<{ port, sub }>, items: Map<key, item> | null, status, log?, idleSince? } */
const topics = new Map();
/** port → Map<sub, topic> */
const ports = new Map();

let source;
let sourceKey = '';
let syncTimer;
let syncAt = Infinity;
let retryTimer;
let openTimer;
let attempts = 0;
let probe;

function post(target, message) {
  try {
    target.port.postMessage({ sub: target.sub, ...message });
  } catch {
    // the tab is gone; its port is dropped by 'close' or 'bye'
  }
}

function broadcast(topic, message) {
  const t = topics.get(topic);
  if (!t) return;
  for (const target of t.subs) post(target, message);
}

function setStatus(topic, status) {
  const t = topics.get(topic);
  if (!t) return;
  t.status = status;
  broadcast(topic, { event: 'status', ...status });
}

/** Reopens the stream when the wanted set of topics differs from the open stream's, after `delay`. */
function scheduleSync(delay) {
  const at = Date.now() + delay;
  if (syncTimer !== undefined && syncAt <= at) return;
  clearTimeout(syncTimer);
  syncAt = at;
  syncTimer = setTimeout(sync, delay);
}

function sync() {
  syncTimer = undefined;
  syncAt = Infinity;
  // Only a topic nobody has wanted for DROP_DELAY_MS leaves. One a tab let go of just now (it is
  // reloading, or loading another page that wants it too) stays, though another tab's new topic
  // reopens the stream meanwhile: otherwise the reloaded tab's subscribe finds it gone, and the
  // stream is reopened once more for it, restarting every topic while their snapshots are on the way.
  const now = Date.now();
  let nextDrop = Infinity;
  for (const [topic, t] of topics) {
    if (t.subs.size > 0) continue;
    const dropAt = (t.idleSince ?? now) + DROP_DELAY_MS;
    if (dropAt <= now) topics.delete(topic);
    else nextDrop = Math.min(nextDrop, dropAt);
  }
  if (nextDrop !== Infinity) scheduleSync(nextDrop - now);
  const wanted = [...topics.keys()].sort();
  const key = wanted.join('\n');
  if (key === sourceKey && (source || retryTimer !== undefined)) return;
  open(wanted, key);
}

function close() {
  clearTimeout(retryTimer);
  retryTimer = undefined;
  clearTimeout(openTimer);
  openTimer = undefined;
  probe?.abort();
  probe = undefined;
  source?.close();
  source = undefined;
}

function parse(e) {
  try {
    return JSON.parse(e.data);
  } catch {
    return undefined;
  }
}

/** EventSource cannot read why it was refused: asks the same URL once as JSON for the reason. */
async function readRefusal(url, signal) {
  try {
    const res = await fetch(url, { headers: { accept: 'application/json' }, signal });
    if (res.ok) {
      await res.body?.cancel();
      return undefined;
    }
    const body = await res.json().catch(() => undefined);
    return body?.error?.message ?? `The dashboard server refused the live updates (${res.status}).`;
  } catch {
    return undefined;
  }
}

/** A comparable key of an RFC3339Nano timestamp (Go trims the fraction's trailing zeros), or undefined. */
function timestampKey(ts) {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(ts);
  return m ? m[1] + (m[2] ?? '').padEnd(9, '0') : undefined;
}

function newLog(topic) {
  const tail = Number(new URL(topic, 'http://topic.invalid').searchParams.get('tailLines'));
  const keep = Number.isInteger(tail) && tail > 0 ? Math.min(tail, LOG_KEEP) : LOG_KEEP;
  return { keep, recent: [], container: undefined, lastKey: undefined, atLast: 0, replay: false, replaySkip: 0, ended: false };
}

/** A new stream sends each log from its tail again: what was relayed already is skipped. */
function replayLogs() {
  for (const t of topics.values()) {
    if (!t.log) continue;
    t.log.replay = t.log.lastKey !== undefined;
    t.log.replaySkip = t.log.atLast;
  }
}

/** The lines of a batch not relayed yet, without their timestamps; and the skipped count that holds. */
function acceptLines(log, raw, skipped) {
  const out = [];
  let first = true;
  for (const line of raw) {
    const space = line.indexOf(' ');
    const key = space > 0 ? timestampKey(line.slice(0, space)) : undefined;
    const text = key === undefined ? line : line.slice(space + 1);
    if (log.replay && key !== undefined) {
      const old = key < log.lastKey || (key === log.lastKey && log.replaySkip > 0);
      // Lines skipped before a line relayed already were relayed already too.
      if (first && old) skipped = 0;
      first = false;
      if (old) {
        if (key === log.lastKey) log.replaySkip--;
        continue;
      }
      log.replay = false;
    }
    first = false;
    if (key !== undefined) {
      if (key === log.lastKey) log.atLast++;
      else {
        log.lastKey = key;
        log.atLast = 1;
      }
    }
    out.push(text);
  }
  return { lines: out, skipped };
}

function open(wanted, key) {
  close();
  sourceKey = key;
  if (wanted.length === 0) return;
  const url = `/api/live?${wanted.map((t) => `topic=${encodeURIComponent(t)}`).join('&')}`;
  const es = new EventSource(url);
  source = es;
  replayLogs();
  // EventSource has no timeout of its own: a request that gets neither an answer nor an error
  // (a stalled connection) would leave every topic Connecting for good.
  const watchOpen = () => {
    clearTimeout(openTimer);
    openTimer = setTimeout(() => {
      openTimer = undefined;
      if (source === es) refused(es, url, 'The dashboard server did not answer; trying again.');
    }, OPEN_TIMEOUT_MS);
  };
  watchOpen();
  es.onopen = () => {
    clearTimeout(openTimer);
    openTimer = undefined;
    attempts = 0;
    // EventSource reopened a dropped stream by itself: the server starts every log again too.
    replayLogs();
  };
  es.addEventListener('log', (e) => {
    const data = parse(e);
    const t = data && topics.get(data.topic);
    if (!t) return;
    const log = (t.log ??= newLog(data.topic));
    const { lines, skipped } = acceptLines(log, data.lines, data.skipped);
    if (lines.length === 0 && skipped === 0) return;
    log.container = data.container;
    log.ended = false;
    log.recent.push(...lines);
    if (log.recent.length > log.keep * 1.5) log.recent = log.recent.slice(-log.keep);
    broadcast(data.topic, { event: 'lines', container: data.container, lines, skipped });
  });
  es.addEventListener('log-end', (e) => {
    const data = parse(e);
    const t = data && topics.get(data.topic);
    if (!t) return;
    const log = (t.log ??= newLog(data.topic));
    // A reopened stream reads an ended log again to its end: said once is enough.
    if (log.ended) return;
    log.ended = true;
    broadcast(data.topic, { event: 'end', container: data.container });
  });
  es.addEventListener('snapshot', (e) => {
    const data = parse(e);
    const t = data && topics.get(data.topic);
    if (!t) return;
    t.items = new Map(data.items.map((item) => [item.key, item]));
    broadcast(data.topic, { event: 'snapshot', items: data.items });
  });
  for (const name of ['upsert', 'delete']) {
    es.addEventListener(name, (e) => {
      const data = parse(e);
      const t = data && topics.get(data.topic);
      if (!t) return;
      if (t.items) {
        if (name === 'upsert') t.items.set(data.item.key, data.item);
        else t.items.delete(data.item.key);
      }
      broadcast(data.topic, { event: name, item: data.item });
    });
  }
  es.addEventListener('status', (e) => {
    const data = parse(e);
    if (data && topics.has(data.topic)) setStatus(data.topic, { state: data.state, message: data.message });
  });
  es.onerror = () => {
    if (source !== es) return;
    for (const topic of topics.keys()) setStatus(topic, { state: 'reconnecting', message: CONNECTION_LOST });
    // Dropped: EventSource reopens it by itself (the server resends every snapshot), watched like the first open.
    if (es.readyState !== EventSource.CLOSED) {
      if (openTimer === undefined) watchOpen();
      return;
    }
    refused(es, url);
  };
}

/** The stream is refused (or stalled): reopen later, with backoff, and say why meanwhile. */
function refused(es, url, stalled) {
  clearTimeout(openTimer);
  openTimer = undefined;
  es.close();
  source = undefined;
  if (stalled) for (const topic of topics.keys()) setStatus(topic, { state: 'reconnecting', message: stalled });
  probe = new AbortController();
  const signal = probe.signal;
  void readRefusal(url, signal).then((message) => {
    if (!message || signal.aborted) return;
    for (const topic of topics.keys()) setStatus(topic, { state: 'reconnecting', message });
  });
  const delay = Math.min(RETRY_CAP_MS, RETRY_START_MS * 2 ** attempts++);
  retryTimer = setTimeout(() => {
    retryTimer = undefined;
    sourceKey = '';
    sync();
  }, delay);
}

function subscribe(port, sub, topic) {
  const mine = ports.get(port);
  if (!mine || typeof topic !== 'string') return;
  if (mine.has(sub)) unsubscribe(port, sub);
  mine.set(sub, topic);
  let t = topics.get(topic);
  if (!t) {
    t = { subs: new Set(), items: null, status: { state: 'connecting' } };
    topics.set(topic, t);
  }
  const target = { port, sub };
  t.subs.add(target);
  t.idleSince = undefined;
  // A topic the stream already carries answers at once from what the worker holds.
  if (t.items) post(target, { event: 'snapshot', items: [...t.items.values()] });
  if (t.log) {
    post(target, { event: 'lines', container: t.log.container, lines: t.log.recent.slice(-t.log.keep), skipped: 0, reset: true });
    if (t.log.ended) post(target, { event: 'end', container: t.log.container });
  }
  post(target, { event: 'status', ...t.status });
  if (!sourceKey.split('\n').includes(topic)) scheduleSync(ADD_DELAY_MS);
}

function unsubscribe(port, sub) {
  const topic = ports.get(port)?.get(sub);
  if (topic === undefined) return;
  ports.get(port).delete(sub);
  const t = topics.get(topic);
  if (!t) return;
  for (const target of t.subs) if (target.port === port && target.sub === sub) t.subs.delete(target);
  if (t.subs.size === 0) {
    t.idleSince = Date.now();
    scheduleSync(DROP_DELAY_MS);
  }
}

function dropPort(port) {
  const mine = ports.get(port);
  if (!mine) return;
  for (const sub of [...mine.keys()]) unsubscribe(port, sub);
}

function addPort(port) {
  ports.set(port, new Map());
  port.onmessage = (e) => {
    const m = e.data;
    if (!m || typeof m !== 'object') return;
    if (m.type === 'subscribe') subscribe(port, m.sub, m.topic);
    else if (m.type === 'unsubscribe') unsubscribe(port, m.sub);
    else if (m.type === 'bye') dropPort(port);
  };
  // Chromium tells a SharedWorker when a tab's port goes away (the tab closed or crashed).
  port.addEventListener?.('close', () => {
    dropPort(port);
    ports.delete(port);
  });
}

if ('onconnect' in self) {
  self.onconnect = (e) => addPort(e.ports[0]);
} else {
  addPort(self);
}
