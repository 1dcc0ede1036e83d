// Shared pieces of the controllers: a work queue, an event recorder, label selectors, names.
import { createHash, randomBytes } from 'node:crypto';
import { KubeClient, KubeError } from '../client';
import type { KubeObject } from '../informer';

/**
 * A deduplicating work queue with retry on failure, processed by a few workers at once (as
 * client-go controllers run several; default 1), never the same key twice at a time.
 */
export class WorkQueue {
  private readonly pending = new Set<string>();
  private readonly delayed = new Map<string, NodeJS.Timeout>();
  private readonly failures = new Map<string, number>();
  private readonly active = new Set<string>();
  private stopped = false;

  constructor(
    private readonly name: string,
    private readonly sync: (key: string) => Promise<void>,
    private readonly workers = 1,
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    this.pending.add(key);
    this.pump();
  }

  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    if (this.delayed.has(key)) return;
    this.delayed.set(
      key,
      setTimeout(() => {
        this.delayed.delete(key);
        this.add(key);
      }, ms),
    );
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.delayed.values()) clearTimeout(t);
    this.delayed.clear();
    this.pending.clear();
  }

  private pump(): void {
    if (this.stopped) return;
    while (this.active.size < this.workers && this.pending.size) {
      let key: string | undefined;
      for (const k of this.pending) {
        if (!this.active.has(k)) {
          key = k;
          break;
        }
      }
      if (key === undefined) return; // every pending key is being processed: picked up when it ends
      this.pending.delete(key);
      this.active.add(key);
      void this.work(key);
    }
  }

  private async work(key: string): Promise<void> {
    try {
      await this.sync(key);
      this.failures.delete(key);
    } catch (e) {
      if (this.stopped) return;
      const n = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, n);
      if (!(e instanceof KubeError && e.status === 409) && n > 3) {
        // Keep quiet about transient failures (API server restarts); report persistent ones.
        if (n % 20 === 4) console.error(`${this.name}: sync ${key} failed (${n}x): ${(e as Error).message}`);
      }
      this.addAfter(key, Math.min(20 * 2 ** Math.min(n, 8), 2000));
    } finally {
      this.active.delete(key);
      this.pump();
    }
  }
}

export function randomSuffix(n = 5): string {
  // Kubernetes' utilrand alphabet: no vowels, no confusable digits.
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const bytes = randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[bytes[i] % alphabet.length];
  return s;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export function matchesSelector(sel: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  if (!sel) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    switch (e.operator) {
      case 'In':
        if (!has || !(e.values ?? []).includes(l[e.key])) return false;
        break;
      case 'NotIn':
        if (has && (e.values ?? []).includes(l[e.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

export function isEmptySelector(sel: LabelSelector | undefined): boolean {
  return !sel || (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length);
}

/** map selector (Service.spec.selector) */
export function matchesMap(sel: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!sel || !Object.keys(sel).length) return false;
  const l = labels ?? {};
  return Object.entries(sel).every(([k, v]) => l[k] === v);
}

export function controllerRef(obj: KubeObject) {
  return obj.metadata.ownerReferences?.find((r) => r.controller);
}

export const nowIso = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export function podIsReady(pod: any): boolean {
  return (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
}

export function podIsActive(pod: any): boolean {
  return pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

/** Ready for at least minReadySeconds. */
export function podIsAvailable(pod: any, minReadySeconds: number, now = Date.now()): boolean {
  if (!podIsReady(pod)) return false;
  if (!minReadySeconds) return true;
  const c = (pod.status?.conditions ?? []).find((x: any) => x.type === 'Ready');
  const t = c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : now;
  return t + minReadySeconds * 1000 <= now;
}

/** Records core/v1 Events as client-go's EventRecorder does (with count aggregation of identical events). */
export function microTime(d = new Date()): string {
  return `${d.toISOString().slice(0, 23)}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}Z`;
}

/** A short key for the recent-events cache: 200 kubelets x 4,096 keys of uid + reason + message add up. */
function aggregationKey(parts: (string | undefined)[]): string {
  return createHash('sha1').update(parts.join('\u0000')).digest('base64');
}

export class EventRecorder {
  private readonly recent = new Map<string, { name: string; namespace: string; count: number }>();
  constructor(
    private readonly client: KubeClient,
    private readonly component: string,
    private readonly host?: string,
    /** Components on the events.k8s.io recorder (the scheduler): their core view has eventTime/series, no source. */
    private readonly eventsApi?: { reportingInstance: string },
  ) {}

  async record(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string, action?: string): Promise<void> {
    if (this.eventsApi) return this.recordNew(obj, type, reason, message, action ?? reason);
    const namespace = obj.metadata.namespace || 'default';
    const involvedObject: Record<string, unknown> = {
      kind: obj.kind,
      namespace: obj.metadata.namespace,
      name: obj.metadata.name,
      uid: obj.metadata.uid,
      apiVersion: obj.apiVersion,
      resourceVersion: obj.metadata.resourceVersion,
    };
    if (fieldPath) involvedObject.fieldPath = fieldPath;
    const now = nowIso();
    const aggKey = aggregationKey([obj.metadata.uid, fieldPath ?? '', type, reason, message]);
    const prev = this.recent.get(aggKey);
    try {
      if (prev) {
        prev.count++;
        await this.client.patch(`/api/v1/namespaces/${prev.namespace}/events/${prev.name}`, { count: prev.count, lastTimestamp: now }, 'strategic');
        return;
      }
    } catch {
      /* the event expired or the patch failed: create a fresh one */
    }
    const name = `${obj.metadata.name}.${randomBytes(8).toString('hex')}`;
    const ev = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject,
      reason,
      message,
      source: this.host ? { component: this.component, host: this.host } : { component: this.component },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: this.component,
      reportingInstance: this.host ?? '',
    };
    try {
      await this.client.create(`/api/v1/namespaces/${namespace}/events`, ev);
      this.recent.set(aggKey, { name, namespace, count: 1 });
      if (this.recent.size > 4096) this.recent.delete(this.recent.keys().next().value as string);
    } catch {
      /* events are best effort, as in client-go */
    }
  }
  private async recordNew(obj: KubeObject, type: string, reason: string, message: string, action: string): Promise<void> {
    const namespace = obj.metadata.namespace || 'default';
    const aggKey = aggregationKey([obj.metadata.uid, type, reason, message]);
    const prev = this.recent.get(aggKey);
    const now = microTime();
    try {
      if (prev) {
        prev.count++;
        await this.client.patch(`/api/v1/namespaces/${prev.namespace}/events/${prev.name}`, { series: { count: prev.count, lastObservedTime: now } }, 'merge');
        return;
      }
    } catch {
      /* create a fresh one */
    }
    const name = `${obj.metadata.name}.${randomBytes(8).toString('hex')}`;
    const ev = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: { kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name, uid: obj.metadata.uid, apiVersion: obj.apiVersion, resourceVersion: obj.metadata.resourceVersion },
      reason,
      message,
      source: {},
      firstTimestamp: null,
      lastTimestamp: null,
      type,
      eventTime: now,
      action,
      reportingComponent: this.component,
      reportingInstance: this.eventsApi?.reportingInstance ?? '',
    };
    try {
      await this.client.create(`/api/v1/namespaces/${namespace}/events`, ev);
      this.recent.set(aggKey, { name, namespace, count: 1 });
      if (this.recent.size > 4096) this.recent.delete(this.recent.keys().next().value as string);
    } catch {
      /* best effort */
    }
  }
}

/** Parses a Kubernetes quantity to a number (cpu in cores, memory in bytes). */
export function parseQuantity(q: string | number | undefined): number {
  if (q === undefined || q === null || q === '') return 0;
  if (typeof q === 'number') return q;
  const m = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)$/.exec(q.trim());
  if (!m) return 0;
  const n = parseFloat(m[1]);
  const suffixes: Record<string, number> = {
    '': 1,
    n: 1e-9,
    u: 1e-6,
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
    E: 1e18,
    Ki: 1024,
    Mi: 1024 ** 2,
    Gi: 1024 ** 3,
    Ti: 1024 ** 4,
    Pi: 1024 ** 5,
    Ei: 1024 ** 6,
  };
  return n * (suffixes[m[2]] ?? 1);
}

export function isNotFound(e: unknown): boolean {
  return e instanceof KubeError && e.status === 404;
}
export function isConflict(e: unknown): boolean {
  return e instanceof KubeError && e.status === 409;
}
