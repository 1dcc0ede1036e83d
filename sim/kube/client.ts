// A small Kubernetes REST client over fetch. Controllers, kubelets and simulated Flink processes
// act on the cluster only through this, over the same HTTP API, tokens and RBAC as any client.

export type PatchType = 'merge' | 'json' | 'strategic';

const PATCH_CONTENT_TYPE: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

/** A non-2xx answer. `status` is the HTTP code; `body` the Status object (or whatever came back). */
export class KubeError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'KubeError';
  }
}

export interface ResourceRef {
  group?: string; // '' or undefined for core
  version: string;
  plural: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** /api/v1/namespaces/ns/pods/name/status, /apis/apps/v1/deployments, ... */
export function apiPath(ref: ResourceRef): string {
  let p = ref.group ? `/apis/${ref.group}/${ref.version}` : `/api/${ref.version}`;
  if (ref.namespace) p += `/namespaces/${encodeURIComponent(ref.namespace)}`;
  p += `/${ref.plural}`;
  if (ref.name) p += `/${encodeURIComponent(ref.name)}`;
  if (ref.subresource) p += `/${ref.subresource}`;
  return p;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface WatchEvent<T = any> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) qs.set(k, String(v));
  const s = qs.toString();
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path;
}

/**
 * Requests in flight at once from this process (every KubeClient: kubelets, controllers, simulated
 * Flink), as a real client's rate limiter (client-go's QPS/burst) bounds them; watches are not
 * counted. Without a bound, a burst of thousands of pods (each pod worker's events, status and
 * volume reads at once) opens one connection per request, and fetch's connection pool scans every
 * open connection for each new request: the sim stalls, quadratically, and stops accepting
 * connections at all.
 *
 * The requests waiting for a slot are served fairly across flows (a client's User-Agent and token:
 * the kubelets, each controller, each Flink cluster's service account), one at a time round robin,
 * as the API server's Priority and Fairness queues them: in a real cluster each component has its
 * own connection and rate limit, and kube-controller-manager's requests are not queued behind
 * 150,000 kubelet events. With one FIFO, seeding 47,500 pods left the ReplicaSet controller
 * creating JobManager pods only after every kubelet request (bench/README.md, cluster-list-scale).
 */
export const MAX_REQUESTS_IN_FLIGHT = 64;
let inFlight = 0;
/** The flows with waiters, in round-robin order (a Map iterates in insertion order). */
const flows = new Map<string, { waiters: (() => void)[]; head: number }>();

function nextWaiter(): (() => void) | undefined {
  const first = flows.entries().next();
  if (first.done) return undefined;
  const [flow, q] = first.value;
  const next = q.waiters[q.head++];
  flows.delete(flow);
  if (q.head < q.waiters.length) {
    // Array#shift is O(n) on a queue of thousands: a head index, compacted now and then.
    if (q.head > 1024 && q.head * 2 > q.waiters.length) {
      q.waiters = q.waiters.slice(q.head);
      q.head = 0;
    }
    flows.set(flow, q); // to the back of the round
  }
  return next;
}

/** Runs fn when a request slot is free; `flow` names who asks (see MAX_REQUESTS_IN_FLIGHT). Exported for tests. */
export async function withRequestSlot<T>(flow: string, fn: () => Promise<T>): Promise<T> {
  if (inFlight >= MAX_REQUESTS_IN_FLIGHT) {
    await new Promise<void>((resolve) => {
      let q = flows.get(flow);
      if (!q) flows.set(flow, (q = { waiters: [], head: 0 }));
      q.waiters.push(resolve);
    });
  } else inFlight++;
  try {
    return await fn();
  } finally {
    // The slot passes straight to the next waiter, or is freed.
    const next = nextWaiter();
    if (next) next();
    else inFlight--;
  }
}

export class KubeClient {
  readonly server: string;
  private readonly token: string;
  private readonly userAgent: string;

  constructor(opts: { server: string; token: string; userAgent?: string }) {
    this.server = opts.server.replace(/\/$/, '');
    this.token = opts.token;
    this.userAgent = opts.userAgent ?? 'sim-kube-client';
  }

  /** Raw request; never throws for HTTP errors. */
  async request(method: string, path: string, opts: RequestOptions = {}): Promise<{ status: number; body: any; headers: Headers }> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.token}`,
      Accept: 'application/json',
      'User-Agent': this.userAgent,
      ...opts.headers,
    };
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      headers['Content-Type'] = opts.contentType ?? 'application/json';
    }
    const server = this.server;
    const { res, text } = await withRequestSlot(`${this.userAgent}\0${this.token}`, async () => {
      const res = await fetch(server + withQuery(path, opts.query), { method, headers, body, signal: opts.signal });
      return { res, text: await res.text() };
    });
    let parsed: any = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* plain text, e.g. logs */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  /** Request that throws KubeError on a non-2xx answer. */
  async call<T = any>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const r = await this.request(method, path, opts);
    if (r.status >= 200 && r.status < 300) return r.body as T;
    const b = r.body && typeof r.body === 'object' ? r.body : {};
    throw new KubeError(r.status, b.reason ?? 'Unknown', b.message ?? String(r.body ?? r.status), r.body);
  }

  get<T = any>(path: string, query?: Query) {
    return this.call<T>('GET', path, { query });
  }
  /** Returns undefined on 404 instead of throwing. */
  async getOrUndefined<T = any>(path: string, query?: Query): Promise<T | undefined> {
    try {
      return await this.get<T>(path, query);
    } catch (e) {
      if (e instanceof KubeError && e.status === 404) return undefined;
      throw e;
    }
  }
  list<T = any>(path: string, query?: Query) {
    return this.call<{ metadata: { resourceVersion: string; continue?: string }; items: T[] }>('GET', path, { query });
  }
  create<T = any>(path: string, obj: unknown, query?: Query) {
    return this.call<T>('POST', path, { body: obj, query });
  }
  update<T = any>(path: string, obj: unknown, query?: Query) {
    return this.call<T>('PUT', path, { body: obj, query });
  }
  patch<T = any>(path: string, patch: unknown, type: PatchType = 'merge', query?: Query) {
    return this.call<T>('PATCH', path, { body: patch, contentType: PATCH_CONTENT_TYPE[type], query });
  }
  delete<T = any>(path: string, opts?: { propagationPolicy?: 'Background' | 'Foreground' | 'Orphan'; gracePeriodSeconds?: number; preconditions?: { uid?: string; resourceVersion?: string } }) {
    const body = opts ? { kind: 'DeleteOptions', apiVersion: 'v1', ...opts } : undefined;
    return this.call<T>('DELETE', path, { body });
  }

  /**
   * Streams a watch. Calls onEvent for each event; resolves when the server ends the stream
   * (timeout, restart) or the signal aborts. An ERROR event (e.g. 410 Expired) is passed to onEvent.
   */
  async watch(path: string, query: Query, onEvent: (ev: WatchEvent) => void, signal?: AbortSignal): Promise<void> {
    const res = await fetch(this.server + withQuery(path, { ...query, watch: 'true' }), {
      headers: { Authorization: `Bearer ${this.token}`, Accept: 'application/json', 'User-Agent': this.userAgent },
      signal,
    });
    if (res.status !== 200 || !res.body) {
      const text = await res.text().catch(() => '');
      let b: any = {};
      try {
        b = JSON.parse(text);
      } catch {
        /* ignore */
      }
      throw new KubeError(res.status, b.reason ?? 'Unknown', b.message ?? text, b);
    }
    const decoder = new TextDecoder();
    let buf = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buf += decoder.decode(chunk, { stream: true });
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line) onEvent(JSON.parse(line) as WatchEvent);
        }
      }
    } catch (e) {
      if (signal?.aborted) return;
      throw e;
    }
  }
}
