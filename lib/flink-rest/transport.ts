import 'server-only';
// HTTP to a JobManager through the Kubernetes API server's proxy (services/<cid>-rest:rest/proxy for
// reads, pods/<pod>:<port>/proxy for jars), with the kubeconfig's credentials, a time limit, and
// Flink's own client's retry rule: idempotent calls only (GET), on a 503 or when there is no connection,
// with backoff, for a bounded total time.
import type { Readable } from 'node:stream';
import fetch, { type Headers, type RequestInit as NodeRequestInit, type Response as NodeResponse } from 'node-fetch';
import type { Connection } from '@/lib/k8s/kubeconfig';
import { connectionInit } from '@/lib/k8s/request';
import { FlinkRestError, toFlinkRestError, type RestTarget } from './errors';

/**
 * Time limit and retry policy. Flink's RestClusterClient retries connection problems and HTTP 503 (its
 * `isConnectionProblemOrServiceUnavailable` predicate) up to `rest.retry.max-attempts` (20) times,
 * `rest.retry.delay` (3 s) apart; a web request cannot wait a minute, so the dashboard keeps the rule but
 * bounds the whole call (`totalMs`, default 5 s, also the time limit of a single slow answer), starts no
 * retry after `retryWithinMs`, and backs off exponentially from 100 ms to 1 s.
 */
export type RetryPolicy = { totalMs: number; retryWithinMs?: number; firstDelayMs: number; maxDelayMs: number };
export const DEFAULT_RETRY: RetryPolicy = { totalMs: 5_000, firstDelayMs: 100, maxDelayMs: 1_000 };

/** Only idempotent methods are retried; never a POST (jar run, upload, triggers) nor PATCH/DELETE. */
export function isIdempotent(method: string): boolean {
  return method === 'GET' || method === 'HEAD';
}

/** Base path (below the API server) of the JobManager REST Service proxy. */
export function serviceProxyBase(namespace: string, clusterId: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(`${clusterId}-rest`)}:rest/proxy`;
}

/** Base path (below the API server) of one JobManager pod's REST port through the pods proxy. */
export function podProxyBase(namespace: string, podName: string, port: number): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(podName)}:${port}/proxy`;
}

/** A JSON body, or a streamed one (a multipart jar upload) with its content type. */
export type RequestBody = { json: unknown } | { stream: Readable | Uint8Array; contentType: string; contentLength?: number };

/** What the contract test (and logs) may observe of every exchange the client makes. */
export type Exchange = {
  method: string;
  /** The REST path below the JobManager's root, with its query (e.g. `/jobs/overview`). */
  path: string;
  requestBody?: unknown;
  status: number;
  responseBody: unknown;
};

export type TransportOptions = {
  retry?: RetryPolicy;
  /** Called with every exchange that got an HTTP answer from the JobManager (JSON bodies only). */
  observe?: (exchange: Exchange) => void;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The connection's credentials (impersonation included) with `extra` headers: see connectionInit. */
export async function authInit(conn: Connection, extra: Record<string, string> = {}): Promise<{ agent?: NodeRequestInit['agent']; headers: Headers }> {
  return connectionInit(conn, extra);
}

function isTimeout(err: unknown): boolean {
  const type = (err as { type?: unknown })?.type;
  return type === 'request-timeout' || type === 'body-timeout';
}

/**
 * One JobManager as seen through the API server: `request()` sends a call below `base`
 * (a service or pod proxy path) and gives back the parsed JSON answer or throws a FlinkRestError.
 */
export class JobManagerTransport {
  private readonly retry: RetryPolicy;

  constructor(
    readonly conn: Connection,
    readonly base: string,
    readonly target: RestTarget,
    private readonly options: TransportOptions = {},
  ) {
    this.retry = options.retry ?? DEFAULT_RETRY;
  }

  /** Full URL of a REST path below this JobManager. */
  url(path: string): string {
    return `${this.conn.server}${this.base}${path}`;
  }

  /**
   * Sends one call. JSON in and out; `body` may also be a stream (jar upload) with its content type.
   * GETs are retried on 503 and on connection problems until `retry.totalMs` has passed.
   * `timeoutMs` overrides the time limit of this call (0: none, for an upload whose bytes keep flowing);
   * `signal` aborts it (the browser went away): the AbortError is thrown as it is.
   */
  async request(
    method: string,
    path: string,
    body?: RequestBody,
    opts: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<{ status: number; json: unknown }> {
    const started = Date.now();
    const limit = opts.timeoutMs ?? this.retry.totalMs;
    const deadline = limit > 0 ? started + limit : Number.POSITIVE_INFINITY;
    const lastRetry = started + Math.min(this.retry.retryWithinMs ?? this.retry.totalMs, this.retry.totalMs);
    let delay = this.retry.firstDelayMs;
    for (;;) {
      try {
        return await this.once(method, path, body, limit > 0 ? Math.max(1, deadline - Date.now()) : 0, limit, opts.signal);
      } catch (err) {
        const retry = isIdempotent(method) && err instanceof FlinkRestError && err.retryable && Date.now() + delay < lastRetry;
        if (!retry) throw err;
        await sleep(delay);
        delay = Math.min(delay * 2, this.retry.maxDelayMs);
      }
    }
  }

  private async once(
    method: string,
    path: string,
    body: RequestBody | undefined,
    timeoutMs: number,
    limitMs: number,
    signal: AbortSignal | undefined,
  ): Promise<{ status: number; json: unknown }> {
    const { agent, headers } = await authInit(this.conn, { accept: 'application/json' });
    const init: NodeRequestInit = { method, agent, headers, timeout: timeoutMs, redirect: 'manual' };
    if (signal) init.signal = signal as NodeRequestInit['signal'];
    if (body && 'json' in body) {
      init.body = JSON.stringify(body.json);
      headers.set('content-type', 'application/json');
    } else if (body) {
      init.body = body.stream as NodeRequestInit['body'];
      headers.set('content-type', body.contentType);
      if (body.contentLength !== undefined) headers.set('content-length', String(body.contentLength));
    }
    let res: NodeResponse;
    let text: string;
    try {
      res = await fetch(this.url(path), init);
      text = await res.text();
    } catch (err) {
      if ((err as { name?: unknown }).name === 'AbortError') throw err;
      if (isTimeout(err)) {
        throw new FlinkRestError(`The JobManager's REST API did not answer within ${seconds(limitMs)}.`, 'timeout', undefined, {
          code: 'timeout',
          cause: err,
        });
      }
      throw new FlinkRestError(`Cannot reach the Kubernetes API server at ${this.conn.server}.`, 'unreachable', undefined, { cause: err });
    }
    if (res.status < 200 || res.status >= 300) {
      const error = toFlinkRestError(res.status, text, this.target, method);
      this.observe(method, path, body, res.status, error.failure === 'flink' ? safeJson(text) : undefined);
      throw error;
    }
    let json: unknown = undefined;
    if (text !== '') {
      try {
        json = JSON.parse(text);
      } catch {
        const what = this.target.kind === 'service' ? `Service "${this.target.name}"` : `JobManager pod "${this.target.name}"`;
        throw new FlinkRestError(`${what} answered with something that is not JSON: it does not look like Flink's REST API.`, 'not-json', res.status, {
          code: 'upstream_error',
        });
      }
    }
    this.observe(method, path, body, res.status, json);
    return { status: res.status, json };
  }

  private observe(method: string, path: string, body: unknown, status: number, responseBody: unknown) {
    if (!this.options.observe) return;
    const requestBody = body && typeof body === 'object' && 'json' in body ? (body as { json: unknown }).json : undefined;
    this.options.observe({ method, path, requestBody, status, responseBody });
  }
}

function seconds(ms: number): string {
  const s = Math.round(ms / 100) / 10;
  return `${s} second${s === 1 ? '' : 's'}`;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
