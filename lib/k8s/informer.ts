import 'server-only';
import { Watch } from '@kubernetes/client-node';
import { ApiError } from '@/lib/api/api-error';
import { toK8sApiError, K8sStatusError, where } from './errors';
import type { Connection } from './kubeconfig';
import { getJson } from './request';
import type { InformerTransform } from './informer-transforms';
import { toCollectionPath, type ResourceKind } from './resource-kinds';

export type KubeObject = {
  metadata?: { uid?: string; name?: string; namespace?: string; resourceVersion?: string };
};

export type InformerState = 'live' | 'reconnecting';

export type InformerEvent =
  | { type: 'snapshot'; items: KubeObject[] }
  | { type: 'upsert'; object: KubeObject }
  | { type: 'delete'; object: KubeObject }
  | { type: 'status'; state: InformerState; message?: string };

export type InformerSpec = {
  conn: Connection;
  kind: ResourceKind;
  /** A namespace or ALL_NAMESPACES. */
  namespace: string;
  labelSelector?: string;
  /** Applied to every object as it is stored (client-go's TransformFunc): keep only what the views need. */
  transform?: InformerTransform;
};

/** Objects per page of the (re)list, as client-go's pager does: no list answer of 50,000 pods at once. */
export const LIST_PAGE_SIZE = 500;

type Listener = (event: InformerEvent) => void;

/** What the informer waits with between attempts: real timers, or a test's clock. */
export type InformerClock = {
  /** Calls `fn` after `ms`; answers a function that cancels the call. */
  schedule(fn: () => void, ms: number): () => void;
  /** In [0, 1): the jitter of the backoff. */
  random(): number;
};

const realClock: InformerClock = {
  schedule(fn, ms) {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
  random: Math.random,
};

export const BACKOFF_START_MS = 250;
export const BACKOFF_CAP_MS = 15_000;

function keyOf(obj: KubeObject): string {
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}

/** Ends a watch by returning normally (closed by the server) or with { gone: true } on 410. */
class GoneError extends Error {}

/**
 * One list+watch of one (context, kind, namespace, selector). Relists on 410 Gone and after any
 * error, with capped exponential backoff; tells its listeners while it is reconnecting.
 */
export class Informer {
  private readonly items = new Map<string, KubeObject>();
  private readonly listeners = new Set<Listener>();
  private waiters: { resolve: () => void; reject: (e: ApiError) => void }[] = [];
  private synced = false;
  private stopped = false;
  private started = false;
  private failures = 0;
  private lastError?: ApiError;
  private wake?: () => void;
  private abortWatch?: AbortController;
  state: InformerState = 'reconnecting';

  constructor(
    readonly spec: InformerSpec,
    private readonly clock: InformerClock = realClock,
  ) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    this.abortWatch?.abort();
    this.wake?.();
    this.listeners.clear();
    // Stopping is no failure of the API server: say so plainly instead of logging an unknown error.
    const { kind, namespace } = this.spec;
    const stopped = new ApiError('unavailable', `The list of ${kind.plural}${where(namespace)} was stopped before it answered.`);
    for (const w of this.waiters) w.reject(this.lastError ?? stopped);
    this.waiters = [];
  }

  /** Resolves once the first list succeeded; rejects with the translated error if the current attempt fails. */
  whenSynced(): Promise<void> {
    if (this.synced) return Promise.resolve();
    if (this.lastError) {
      // A caller is waiting: retry now instead of at the end of the backoff.
      this.lastError = undefined;
      this.wake?.();
    }
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  get isSynced(): boolean {
    return this.synced;
  }

  list(): KubeObject[] {
    return [...this.items.values()];
  }

  /** Adds a listener; if synced, it first gets the snapshot and the current state. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    if (this.synced) {
      listener({ type: 'snapshot', items: this.list() });
      if (this.state !== 'live') listener({ type: 'status', state: this.state, message: this.lastError?.message });
    }
    return () => this.listeners.delete(listener);
  }

  /**
   * Tells every listener, each on its own: one that throws must not keep the event from the others.
   * Events reach emit from client-node's Watch callback, which swallows exceptions as parse errors,
   * so a throwing listener would otherwise silently drop the change for every listener after it,
   * and their views would stay wrong until the next relist.
   */
  private emit(event: InformerEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch (err) {
        const { kind, namespace } = this.spec;
        console.error(`A listener of the ${kind.plural} informer${where(namespace)} failed on a ${event.type} event:`, err);
      }
    }
  }

  private toError(err: unknown): ApiError {
    const { conn, kind, namespace } = this.spec;
    return toK8sApiError(err, { verb: 'list', resource: kind.plural, namespace, server: conn.server });
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const resourceVersion = await this.relist();
        await this.watchLoop(resourceVersion);
      } catch (err) {
        if (this.stopped) return;
        const error = this.toError(err);
        const changed = this.lastError?.message !== error.message;
        this.lastError = error;
        if (!this.synced) {
          for (const w of this.waiters) w.reject(error);
          this.waiters = [];
        }
        if (this.state !== 'reconnecting' || this.failures === 0 || changed) {
          this.state = 'reconnecting';
          this.emit({ type: 'status', state: 'reconnecting', message: error.message });
        }
        const delay = Math.min(BACKOFF_CAP_MS, BACKOFF_START_MS * 2 ** this.failures);
        this.failures++;
        await this.sleep(delay * (0.75 + this.clock.random() * 0.5));
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      let cancel = () => {};
      const done = () => {
        cancel();
        if (this.wake === done) this.wake = undefined;
        resolve();
      };
      cancel = this.clock.schedule(done, ms);
      this.wake = done;
    });
  }

  private async relist(): Promise<string> {
    const { conn, kind, namespace, labelSelector, transform } = this.spec;
    const items = new Map<string, KubeObject>();
    let resourceVersion = '';
    let continueToken: string | undefined;
    let paged = true;
    for (;;) {
      const query = new URLSearchParams(paged ? { limit: String(LIST_PAGE_SIZE) } : {});
      if (labelSelector) query.set('labelSelector', labelSelector);
      if (continueToken) query.set('continue', continueToken);
      type ListBody = { items?: KubeObject[]; metadata?: { resourceVersion?: string; continue?: string } };
      let body: ListBody;
      try {
        body = (await getJson(conn, `${toCollectionPath(kind, namespace)}?${query}`, paged ? undefined : { timeoutMs: 120_000 })) as ListBody;
      } catch (err) {
        // As client-go's pager (FullListIfExpired): under churn a continue token can expire (410)
        // before the last page; then one full list, instead of paging again and again.
        if (!(continueToken && err instanceof K8sStatusError && err.statusCode === 410)) throw err;
        items.clear();
        continueToken = undefined;
        paged = false;
        continue;
      }
      if (this.stopped) return '';
      // Transformed page by page: the whole objects of one page at most are held at a time.
      for (const item of body.items ?? []) {
        const kept = transform ? (transform.apply(item) as KubeObject) : item;
        items.set(keyOf(kept), kept);
      }
      resourceVersion = body.metadata?.resourceVersion ?? '';
      continueToken = body.metadata?.continue || undefined;
      if (!continueToken) break;
    }
    this.items.clear();
    for (const [k, v] of items) this.items.set(k, v);
    this.synced = true;
    this.failures = 0;
    this.lastError = undefined;
    this.emit({ type: 'snapshot', items: this.list() });
    if (this.state !== 'live') {
      this.state = 'live';
      this.emit({ type: 'status', state: 'live' });
    }
    for (const w of this.waiters) w.resolve();
    this.waiters = [];
    return resourceVersion;
  }

  /** Watches from resourceVersion until an error; re-watches when the server closes the stream normally. */
  private async watchLoop(startVersion: string): Promise<void> {
    let resourceVersion = startVersion;
    while (!this.stopped) {
      const started = Date.now();
      try {
        resourceVersion = await this.watchOnce(resourceVersion);
        // A stream the server ends at once is a failure in disguise: back off and relist.
        if (Date.now() - started < 1000) {
          throw new ApiError('unavailable', `The watch on the API server at ${this.spec.conn.server} closed unexpectedly.`);
        }
      } catch (err) {
        if (err instanceof GoneError) return; // relist right away
        throw err;
      }
    }
  }

  private watchOnce(fromVersion: string): Promise<string> {
    const { conn, kind, namespace, labelSelector, transform } = this.spec;
    let resourceVersion = fromVersion;
    return new Promise<string>((resolve, reject) => {
      let failed: Error | undefined;
      const watch = new Watch(conn.kc);
      const params: Record<string, string | number | boolean> = {
        resourceVersion,
        allowWatchBookmarks: true,
        // The server closes the watch after this; we then continue from the last version seen.
        timeoutSeconds: 240 + Math.floor(Math.random() * 120),
      };
      if (labelSelector) params.labelSelector = labelSelector;
      watch
        .watch(
          toCollectionPath(kind, namespace),
          params,
          (type: string, raw: KubeObject & { code?: number; reason?: string; message?: string }) => {
            const object: typeof raw = type === 'ERROR' || type === 'BOOKMARK' || !transform ? raw : (transform.apply(raw) as typeof raw);
            if (type === 'ERROR') {
              failed =
                object.code === 410
                  ? new GoneError('resource version too old')
                  : new K8sStatusError(object.code ?? 500, object.reason, object.message);
              this.abortWatch?.abort();
              return;
            }
            // The version to resume from is the object's own, whatever the transform kept.
            const rv = raw.metadata?.resourceVersion;
            if (rv) resourceVersion = rv;
            if (type === 'BOOKMARK') return;
            const key = keyOf(object);
            if (type === 'DELETED') {
              if (this.items.delete(key)) this.emit({ type: 'delete', object });
            } else if (type === 'ADDED' || type === 'MODIFIED') {
              const previous = this.items.get(key);
              if (previous?.metadata?.resourceVersion === rv) return;
              this.items.set(key, object);
              this.emit({ type: 'upsert', object });
            }
          },
          (err: unknown) => {
            if (failed) reject(failed);
            else if (err && !this.stopped) reject(err);
            else resolve(resourceVersion);
          },
        )
        .then((controller) => {
          this.abortWatch = controller;
          if (this.stopped) controller.abort();
        }, reject);
    });
  }
}
