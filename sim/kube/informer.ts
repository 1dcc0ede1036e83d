// A list+watch cache, as client-go's reflector/informer: list, watch from the list's
// resourceVersion, re-watch when the stream ends, relist on 410 Expired or on connection failure
// (with capped backoff). The API server may restart at any time; informers recover by themselves.
import { KubeClient, KubeError, type Query, type WatchEvent } from './client';

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: OwnerReference[];
    finalizers?: string[];
    deletionTimestamp?: string;
    generateName?: string;
    creationTimestamp?: string;
    generation?: number;
    [k: string]: unknown;
  };
  [k: string]: any;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface InformerHandlers<T extends KubeObject> {
  add?(obj: T): void;
  update?(oldObj: T, newObj: T): void;
  delete?(obj: T): void;
}

export function keyOf(obj: { metadata: { namespace?: string; name: string } }): string {
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

export class Informer<T extends KubeObject = KubeObject> {
  readonly store = new Map<string, T>();
  private readonly handlers: InformerHandlers<T>[] = [];
  private readonly abort = new AbortController();
  private syncedResolve!: () => void;
  /** Resolves after the first successful list. */
  readonly synced: Promise<void> = new Promise((r) => (this.syncedResolve = r));
  private running = false;
  private loopDone: Promise<void> | undefined;

  constructor(
    private readonly client: KubeClient,
    /** Collection path, e.g. /api/v1/pods or /apis/apps/v1/deployments. */
    readonly path: string,
    private readonly query: Query = {},
    private readonly opts: { maxBackoffMs?: number } = {},
  ) {}

  on(h: InformerHandlers<T>): this {
    this.handlers.push(h);
    // Late subscribers get the current contents, as client-go's AddEventHandler does.
    for (const obj of this.store.values()) h.add?.(obj);
    return this;
  }

  list(): T[] {
    return [...this.store.values()];
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.store.get(namespace ? `${namespace}/${name}` : name);
  }

  start(): this {
    if (this.running) return this;
    this.running = true;
    this.loopDone = this.run();
    return this;
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loopDone;
  }

  private emit(kind: 'add' | 'update' | 'delete', a: T, b?: T) {
    for (const h of this.handlers) {
      try {
        if (kind === 'add') h.add?.(a);
        else if (kind === 'update') h.update?.(a, b!);
        else h.delete?.(a);
      } catch (e) {
        console.error(`informer ${this.path}: handler failed`, e);
      }
    }
  }

  private replace(items: T[]) {
    const seen = new Set<string>();
    for (const item of items) {
      const k = keyOf(item);
      seen.add(k);
      const old = this.store.get(k);
      this.store.set(k, item);
      if (!old) this.emit('add', item);
      else if (old.metadata.resourceVersion !== item.metadata.resourceVersion) this.emit('update', old, item);
    }
    for (const [k, old] of [...this.store]) {
      if (!seen.has(k)) {
        this.store.delete(k);
        this.emit('delete', old);
      }
    }
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    let backoff = 50;
    const maxBackoff = this.opts.maxBackoffMs ?? 2000;
    while (!signal.aborted) {
      let rv: string;
      try {
        const list = await this.client.call<{ metadata: { resourceVersion: string }; items: T[] }>('GET', this.path, { query: this.query, signal });
        rv = list.metadata.resourceVersion;
        this.replace(list.items ?? []);
        this.syncedResolve();
      } catch {
        if (signal.aborted) return;
        await sleep(backoff, signal);
        backoff = Math.min(backoff * 2, maxBackoff);
        continue;
      }
      // Watch until expired or failed; re-watch from the last seen resourceVersion on a clean end.
      let relist = false;
      while (!signal.aborted && !relist) {
        try {
          await this.client.watch(
            this.path,
            { ...this.query, resourceVersion: rv, allowWatchBookmarks: true },
            (ev: WatchEvent<T>) => {
              if (ev.type === 'ERROR') {
                relist = true;
                return;
              }
              const obj = ev.object;
              if (obj?.metadata?.resourceVersion) rv = obj.metadata.resourceVersion;
              if (ev.type === 'BOOKMARK') return;
              const k = keyOf(obj);
              const old = this.store.get(k);
              if (ev.type === 'DELETED') {
                this.store.delete(k);
                this.emit('delete', obj);
              } else {
                this.store.set(k, obj);
                if (old) this.emit('update', old, obj);
                else this.emit('add', obj);
              }
            },
            signal,
          );
          backoff = 50;
        } catch (e) {
          if (signal.aborted) return;
          if (e instanceof KubeError && e.status === 410) {
            relist = true;
            break;
          }
          // Connection failure: back off, then relist.
          await sleep(backoff, signal);
          backoff = Math.min(backoff * 2, maxBackoff);
          relist = true;
        }
      }
    }
  }
}

/** One informer per collection (path + query) shared by every controller of a manager. */
export class InformerFactory {
  private readonly informers = new Map<string, Informer<any>>();
  constructor(readonly client: KubeClient) {}

  get<T extends KubeObject = KubeObject>(path: string, query: Query = {}): Informer<T> {
    const key = path + '?' + JSON.stringify(query);
    let inf = this.informers.get(key);
    if (!inf) {
      inf = new Informer<T>(this.client, path, query).start();
      this.informers.set(key, inf);
    }
    return inf as Informer<T>;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }
}
