// The dashboard's live connection (lib/live/README.md). Run as a SharedWorker, it holds the one
// EventSource of every tab of this browser to /api/live, with the set of topics the tabs want in its
// URL, and relays each topic's events to the tabs' MessagePorts. Where SharedWorker is missing it
// runs as a dedicated Worker of a single tab, with the same protocol.
//
// Tab → worker: { type: 'subscribe', sub, topic } | { type: 'unsubscribe', sub } | { type: 'bye' }
// Worker → tab: { sub, event: 'snapshot', items } | { sub, event: 'upsert' | 'delete', item }
//               | { sub, event: 'status', state: 'connecting' | 'live' | 'reconnecting', message? }

const CONNECTION_LOST = 'The connection to the dashboard server was lost.';
const RETRY_START_MS = 1000;
const RETRY_CAP_MS = 15000;
// A new topic joins the stream soon; a topic nobody wants leaves later, so a reload keeps it.
const ADD_DELAY_MS = 30;
const DROP_DELAY_MS = 2000;

/** topic → { subs: Set<{ port, sub }>, items: Map<key, item> | null, status } */
const topics = new Map();
/** port → Map<sub, topic> */
const ports = new Map();

let source;
let sourceKey = '';
let syncTimer;
let syncAt = Infinity;
let retryTimer;
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
  for (const [topic, t] of topics) if (t.subs.size === 0) topics.delete(topic);
  const wanted = [...topics.keys()].sort();
  const key = wanted.join('\n');
  if (key === sourceKey && (source || retryTimer !== undefined)) return;
  open(wanted, key);
}

function close() {
  clearTimeout(retryTimer);
  retryTimer = undefined;
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

function open(wanted, key) {
  close();
  sourceKey = key;
  if (wanted.length === 0) return;
  const url = `/api/live?${wanted.map((t) => `topic=${encodeURIComponent(t)}`).join('&')}`;
  const es = new EventSource(url);
  source = es;
  es.onopen = () => {
    attempts = 0;
  };
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
    // Dropped: EventSource reopens it by itself (the server resends every snapshot).
    if (es.readyState !== EventSource.CLOSED) return;
    // Refused: reopen later, and say why meanwhile.
    es.close();
    source = undefined;
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
  };
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
  // A topic the stream already carries answers at once from what the worker holds.
  if (t.items) post(target, { event: 'snapshot', items: [...t.items.values()] });
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
  if (t.subs.size === 0) scheduleSync(DROP_DELAY_MS);
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
