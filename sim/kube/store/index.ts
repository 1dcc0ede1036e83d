// The object store of the simulated API server: each object kept once, as its JSON (the bytes
// every read serves), with a small parsed view of what selectors read; indexed by resource ->
// namespace -> name and by label; a global resourceVersion, a per-resource watch window, and a
// debounced snapshot to <dataDir>/state.json.
//
// Keeping JSON rather than parsed objects is what lets 20,000 pods fit: a parsed pod costs V8 about
// three times its JSON. Writes parse the one object they change; lists and watches splice JSON.
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import path from 'node:path';
import { byteChunks } from '../chunks';

/** Minimum spacing of the debounced snapshots. */
const SAVE_INTERVAL_MS = 5000;
/** Size of the pieces a snapshot is written in. */
const CHUNK_BYTES = 1 << 20;

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/**
 * What selectors and bookkeeping read without parsing the object: name, namespace, labels, and
 * what the Store's `project` function adds for some resources (the uid; the selectable field
 * values packed in one string, rather than one string per field).
 */
export interface SelView {
  metadata: {
    name: string;
    namespace?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
  };
  uid?: string;
  fields?: string;
}

export type Projection = (resource: string, obj: any) => { uid?: string; fields?: string } | undefined;

/**
 * One stored object: its JSON as UTF-8 bytes, and the view selectors read. The bytes live outside
 * V8's heap (an unpooled Buffer each): what churns there is what fragments V8's old space.
 * `obj` parses a fresh copy.
 */
export class Entry {
  readonly bytes: Buffer;

  constructor(
    json: string,
    readonly sel: SelView,
  ) {
    this.bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(json, 'utf8'));
    this.bytes.write(json, 'utf8');
  }

  /** The JSON as a string (decoded on every access). */
  get json(): string {
    return this.bytes.toString('utf8');
  }

  /** A fresh deep copy of the object (parsed on every access: keep it in a local). */
  get obj(): any {
    return JSON.parse(this.json);
  }
}

/** A label requirement a list can be answered from the index with: key in values. */
export interface LabelIndexHint {
  key: string;
  values: string[];
}

export interface StoreEvent {
  rv: number;
  type: EventType;
  resource: string; // store key of the resource: "apps/deployments", "/pods"
  namespace: string;
  name: string;
  entry: Entry; // the object after the change (for DELETED: the last state, with the new resourceVersion)
  prev?: Entry; // the object before (MODIFIED, DELETED)
}

export type StoreListener = (ev: StoreEvent) => void;

interface ResourceData {
  byNs: Map<string, Map<string, Entry>>;
  count: number;
  window: StoreEvent[];
  windowStart: number; // index of the first live element of window (ring trimmed lazily)
  evictedRv: number; // rv of the newest event dropped from the window (0: none)
  listeners: Set<StoreListener>;
  /** Sorted names per namespace and sorted namespaces; dropped when a name is added or removed. */
  sortedNames: Map<string, string[]>;
  sortedNs?: string[];
  /** label key -> value -> "namespace\0name" of the objects carrying it. */
  labels: Map<string, Map<string, Set<string>>>;
}

export interface ExpiredError {
  expired: true;
  oldest: number;
}

const META_ORDER = [
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
];

/** Key order as Go serializes the structs: kind, apiVersion, metadata (ObjectMeta order), ..., status. */
export function canonicalize(obj: any): any {
  if (!obj || typeof obj !== 'object') return obj;
  const out: Record<string, any> = {};
  if ('kind' in obj) out.kind = obj.kind;
  if ('apiVersion' in obj) out.apiVersion = obj.apiVersion;
  if (obj.metadata && typeof obj.metadata === 'object') {
    const m: Record<string, any> = {};
    for (const k of META_ORDER) if (obj.metadata[k] !== undefined) m[k] = obj.metadata[k];
    for (const [k, v] of Object.entries(obj.metadata)) if (!(k in m) && v !== undefined) m[k] = v;
    out.metadata = m;
  }
  for (const [k, v] of Object.entries(obj)) if (!(k in out) && k !== 'status' && v !== undefined) out[k] = v;
  if (obj.status !== undefined) out.status = obj.status;
  return out;
}

export function nowRfc3339(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class Store {
  private rv = 0;
  private readonly resources = new Map<string, ResourceData>();
  private readonly statePath: string;
  private saveTimer: NodeJS.Timeout | undefined;
  private saving: Promise<void> | undefined;
  private dirty = false;
  private baseRv = 0; // resourceVersion at load: history before it is lost
  private lastSaveMs = 0;
  /** Extra state other parts persist beside the objects (tokens, allocators). */
  extra: Record<string, any> = {};

  constructor(
    readonly dataDir: string,
    private readonly windowSize: number,
    private readonly project: Projection = () => undefined,
  ) {
    this.statePath = path.join(dataDir, 'state.json');
  }

  get resourceVersion(): number {
    return this.rv;
  }

  private data(resource: string): ResourceData {
    let d = this.resources.get(resource);
    if (!d) {
      d = { byNs: new Map(), count: 0, window: [], windowStart: 0, evictedRv: this.baseRv, listeners: new Set(), sortedNames: new Map(), labels: new Map() };
      this.resources.set(resource, d);
    }
    return d;
  }

  private readonly namespaceNames = new Map<string, string>();
  /** One string per namespace name for all the entries of that namespace. */
  private intern(ns: string | undefined): string | undefined {
    if (ns === undefined) return undefined;
    let s = this.namespaceNames.get(ns);
    if (s === undefined) this.namespaceNames.set(ns, (s = ns));
    return s;
  }

  /** A new entry for an object in canonical order. */
  private entryOf(resource: string, obj: any): Entry {
    const m = obj.metadata;
    const sel: SelView = { metadata: { name: m.name, namespace: this.intern(m.namespace), deletionTimestamp: m.deletionTimestamp, labels: m.labels } };
    const extra = this.project(resource, obj);
    if (extra?.uid !== undefined) sel.uid = extra.uid;
    if (extra?.fields !== undefined) sel.fields = extra.fields;
    return new Entry(JSON.stringify(obj), sel);
  }

  private indexLabels(d: ResourceData, ns: string, e: Entry, add: boolean): void {
    const labels = e.sel.metadata.labels;
    if (!labels) return;
    const k = `${ns}\u0000${e.sel.metadata.name}`;
    for (const [lk, lv] of Object.entries(labels)) {
      let byValue = d.labels.get(lk);
      if (add) {
        if (!byValue) d.labels.set(lk, (byValue = new Map()));
        let set = byValue.get(lv);
        if (!set) byValue.set(lv, (set = new Set()));
        set.add(k);
      } else {
        const set = byValue?.get(lv);
        if (!set) continue;
        set.delete(k);
        if (set.size === 0) byValue!.delete(lv);
        if (byValue!.size === 0) d.labels.delete(lk);
      }
    }
  }

  /** The stored entry. */
  getEntry(resource: string, namespace: string, name: string): Entry | undefined {
    return this.resources.get(resource)?.byNs.get(namespace)?.get(name);
  }

  /** A deep copy of the stored object. */
  get(resource: string, namespace: string, name: string): any | undefined {
    return this.getEntry(resource, namespace, name)?.obj;
  }

  /**
   * Entries of one namespace ('' = cluster-scoped) or of all namespaces (undefined), sorted by
   * namespace/name. With a hint, only those whose label `hint.key` is one of `hint.values` (from
   * the label index; the caller still applies its whole selector).
   */
  listEntries(resource: string, namespace?: string, hint?: LabelIndexHint): Entry[] {
    const d = this.resources.get(resource);
    if (!d) return [];
    if (hint) return this.listIndexed(d, namespace, hint);
    const out: Entry[] = [];
    const names = (ns: string, m: Map<string, Entry>) => {
      let arr = d.sortedNames.get(ns);
      if (!arr) d.sortedNames.set(ns, (arr = [...m.keys()].sort()));
      return arr;
    };
    if (namespace !== undefined) {
      const m = d.byNs.get(namespace);
      if (!m) return out;
      for (const n of names(namespace, m)) out.push(m.get(n)!);
      return out;
    }
    d.sortedNs ??= [...d.byNs.keys()].sort();
    for (const ns of d.sortedNs) {
      const m = d.byNs.get(ns);
      if (!m) continue;
      for (const n of names(ns, m)) out.push(m.get(n)!);
    }
    return out;
  }

  private listIndexed(d: ResourceData, namespace: string | undefined, hint: LabelIndexHint): Entry[] {
    const byValue = d.labels.get(hint.key);
    if (!byValue) return [];
    const keys: string[] = [];
    for (const v of new Set(hint.values)) {
      const set = byValue.get(v);
      if (!set) continue;
      for (const k of set) if (namespace === undefined || k.startsWith(namespace + '\u0000')) keys.push(k);
    }
    // "namespace\0name" sorts as (namespace, name)
    keys.sort();
    const out: Entry[] = [];
    for (const k of keys) {
      const i = k.indexOf('\u0000');
      const e = d.byNs.get(k.slice(0, i))?.get(k.slice(i + 1));
      if (e) out.push(e);
    }
    return out;
  }

  /** Deep copies of all objects of a resource (namespace undefined = all). */
  list(resource: string, namespace?: string): any[] {
    return this.listEntries(resource, namespace).map((e) => e.obj);
  }

  count(resource: string): number {
    return this.resources.get(resource)?.count ?? 0;
  }

  namespacesWith(resource: string): string[] {
    const d = this.resources.get(resource);
    return d ? [...d.byNs.entries()].filter(([, m]) => m.size > 0).map(([ns]) => ns) : [];
  }

  /**
   * Objects created, marked for deletion (deletionTimestamp set) and removed, per resource, since the
   * process started: `/_sim/info`'s `writes`, for tests that must show a request changed nothing.
   */
  readonly writes = { created: {} as Record<string, number>, deleting: {} as Record<string, number>, removed: {} as Record<string, number> };

  private countWrite(kind: 'created' | 'deleting' | 'removed', resource: string): void {
    this.writes[kind][resource] = (this.writes[kind][resource] ?? 0) + 1;
  }

  /** Stores a new object (caller has filled metadata); sets resourceVersion, uid, creationTimestamp when missing. */
  create(resource: string, objIn: any): Entry {
    const d = this.data(resource);
    this.countWrite('created', resource);
    const ns = objIn.metadata.namespace ?? '';
    let m = d.byNs.get(ns);
    if (!m) d.byNs.set(ns, (m = new Map()));
    objIn.metadata.uid ??= randomUUID();
    objIn.metadata.creationTimestamp ??= nowRfc3339();
    objIn.metadata.resourceVersion = String(++this.rv);
    const obj = canonicalize(objIn);
    const entry = this.entryOf(resource, obj);
    m.set(obj.metadata.name, entry);
    d.count++;
    d.sortedNames.delete(ns);
    d.sortedNs = undefined;
    this.indexLabels(d, ns, entry, true);
    this.emit(d, { rv: this.rv, type: 'ADDED', resource, namespace: ns, name: obj.metadata.name, entry });
    return entry;
  }

  /** Replaces a stored object (caller checked existence and preconditions). */
  update(resource: string, objIn: any): Entry {
    const d = this.data(resource);
    const ns = objIn.metadata.namespace ?? '';
    const m = d.byNs.get(ns)!;
    const prev = m.get(objIn.metadata.name);
    if (objIn.metadata.deletionTimestamp && prev && !prev.obj.metadata?.deletionTimestamp) this.countWrite('deleting', resource);
    objIn.metadata.resourceVersion = String(++this.rv);
    const obj = canonicalize(objIn);
    const entry = this.entryOf(resource, obj);
    m.set(obj.metadata.name, entry);
    if (prev) this.indexLabels(d, ns, prev, false);
    this.indexLabels(d, ns, entry, true);
    this.emit(d, { rv: this.rv, type: 'MODIFIED', resource, namespace: ns, name: obj.metadata.name, entry, prev });
    return entry;
  }

  /** Removes a stored object; the DELETED event carries the last state with a new resourceVersion. */
  remove(resource: string, namespace: string, name: string): Entry | undefined {
    const d = this.resources.get(resource);
    const m = d?.byNs.get(namespace);
    const prev = m?.get(name);
    if (!d || !m || !prev) return undefined;
    this.countWrite('removed', resource);
    m.delete(name);
    if (m.size === 0) d.byNs.delete(namespace);
    d.count--;
    d.sortedNames.delete(namespace);
    d.sortedNs = undefined;
    this.indexLabels(d, namespace, prev, false);
    const obj = prev.obj;
    obj.metadata.resourceVersion = String(++this.rv);
    const entry = this.entryOf(resource, obj);
    this.emit(d, { rv: this.rv, type: 'DELETED', resource, namespace, name, entry, prev });
    return entry;
  }

  private emit(d: ResourceData, ev: StoreEvent): void {
    d.window.push(ev);
    const live = d.window.length - d.windowStart;
    if (live > this.windowSize) {
      d.evictedRv = d.window[d.windowStart].rv;
      d.window[d.windowStart] = undefined as unknown as StoreEvent;
      d.windowStart++;
      if (d.windowStart > 1024 && d.windowStart * 2 > d.window.length) {
        d.window = d.window.slice(d.windowStart);
        d.windowStart = 0;
      }
    }
    this.markDirty();
    for (const l of d.listeners) {
      try {
        l(ev);
      } catch {
        /* a broken watcher must not break the store */
      }
    }
  }

  /** Events of a resource with rv > since, or an expiry when `since` is older than the window. */
  eventsSince(resource: string, since: number): StoreEvent[] | ExpiredError {
    const d = this.data(resource);
    if (d.evictedRv && since < d.evictedRv) {
      return { expired: true, oldest: d.evictedRv };
    }
    const out: StoreEvent[] = [];
    // binary search the first event with rv > since
    let lo = d.windowStart;
    let hi = d.window.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (d.window[mid].rv <= since) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < d.window.length; i++) out.push(d.window[i]);
    return out;
  }

  /** Oldest resourceVersion a list continue token may still refer to for this resource. */
  oldestConsistentRv(resource: string): number {
    return this.data(resource).evictedRv;
  }

  subscribe(resource: string, l: StoreListener): () => void {
    const d = this.data(resource);
    d.listeners.add(l);
    return () => d.listeners.delete(l);
  }

  watcherCount(): number {
    let n = 0;
    for (const d of this.resources.values()) n += d.listeners.size;
    return n;
  }

  // ---- persistence ----

  markDirty(): void {
    this.dirty = true;
    if (this.saveTimer) return;
    // A snapshot costs O(all objects): at most one every SAVE_INTERVAL_MS (or several times what
    // the last one took, if that is longer); stop() flushes the rest.
    const delay = Math.max(SAVE_INTERVAL_MS, this.lastSaveMs * 10);
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      void this.saveAsync();
    }, delay);
    this.saveTimer.unref?.();
  }

  /**
   * The snapshot as a list of strings to write one after the other: the entries' JSON itself (an
   * unchanged object is never stringified again), taken at one instant, so the write may proceed
   * while the store changes. Joined into ~1 MiB pieces only as they are written.
   */
  private snapshotParts(): (string | Buffer)[] {
    const parts: (string | Buffer)[] = [`{"resourceVersion":${this.rv},"extra":${JSON.stringify(this.extra)},"objects":{`];
    let firstRes = true;
    for (const [res, d] of this.resources) {
      if (!d.count) continue;
      let first = true;
      for (const m of d.byNs.values())
        for (const e of m.values()) {
          parts.push(first ? `${firstRes ? '' : ','}${JSON.stringify(res)}:[` : ',', e.bytes);
          first = false;
          firstRes = false;
        }
      if (!first) parts.push(']');
    }
    parts.push('}}');
    return parts;
  }

  private async saveAsync(): Promise<void> {
    if (this.saving) {
      await this.saving;
      if (!this.dirty) return;
    }
    this.dirty = false;
    const started = performance.now();
    const parts = this.snapshotParts();
    const tmp = `${this.statePath}.${process.pid}.tmp`;
    this.saving = (async () => {
      try {
        mkdirSync(this.dataDir, { recursive: true });
        const fh = await open(tmp, 'w');
        try {
          for (const c of byteChunks(parts, CHUNK_BYTES)) await fh.write(c);
        } finally {
          await fh.close();
        }
        await rename(tmp, this.statePath);
      } catch {
        this.dirty = true;
      }
      // the spacing counts the whole snapshot (serializing and writing), not only the serializing
      this.lastSaveMs = performance.now() - started;
    })();
    await this.saving;
    this.saving = undefined;
  }

  /** Writes the snapshot now (synchronously). */
  flush(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    mkdirSync(this.dataDir, { recursive: true });
    const tmp = `${this.statePath}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      for (const c of byteChunks(this.snapshotParts(), CHUNK_BYTES)) writeSync(fd, c);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.statePath);
    this.dirty = false;
  }

  /** Loads state.json if present. Returns whether state was loaded. */
  load(): boolean {
    if (!existsSync(this.statePath)) return false;
    const s = JSON.parse(readFileSync(this.statePath, 'utf8'));
    this.rv = s.resourceVersion ?? 0;
    this.baseRv = this.rv;
    this.extra = s.extra ?? {};
    for (const [res, arr] of Object.entries(s.objects ?? {}) as [string, any[]][]) {
      const d = this.data(res);
      for (const obj of arr) {
        const ns = obj.metadata.namespace ?? '';
        let m = d.byNs.get(ns);
        if (!m) d.byNs.set(ns, (m = new Map()));
        const e = this.entryOf(res, obj);
        m.set(obj.metadata.name, e);
        this.indexLabels(d, ns, e, true);
        d.count++;
      }
      d.sortedNames.clear();
      d.sortedNs = undefined;
      // events before the restart are gone: a watch from an older resourceVersion must relist
      d.evictedRv = this.rv;
    }
    return true;
  }
}
