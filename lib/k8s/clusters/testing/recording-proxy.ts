// Test and bench support: an HTTP proxy in front of the sim that records every API request (to
// count requests and sequential round trips), can fail chosen requests the way the API server
// answers an internal error, can hold chosen requests until the test releases them (to count how
// many are in flight at once), and can end open watches with the 410 Expired ERROR event the API
// server sends when a watch's resourceVersion has been compacted away. The sim's own fault injection
// matches paths only; this one can tell a real create from its dry run.
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';

export type RecordedRequest = { method: string; path: string; query: string; start: number; end: number };
/**
 * Whether to fail a request (true: 500; 410: Expired, as for a continue token too old); a promise
 * holds the request until it settles (to let the world move on first).
 */
export type FailWhen = (req: { method: string; path: string; query: URLSearchParams }) => boolean | 410 | Promise<boolean | 410>;
/** Whether to hold a request (watches included) before it is forwarded, until releaseHeld(). */
export type HoldWhen = (req: { method: string; path: string; query: URLSearchParams }) => boolean;
export type HeldRequest = { method: string; path: string; query: string };

export type RecordingProxy = {
  url: string;
  requests: RecordedRequest[];
  failWhen: FailWhen | undefined;
  holdWhen: HoldWhen | undefined;
  /** Requests held now: none of them has reached the sim or been answered. */
  readonly held: readonly HeldRequest[];
  /** Forwards every held request (requests arriving later are held again while holdWhen says so). */
  releaseHeld(): void;
  /** Watches being streamed through the proxy now. */
  readonly openWatches: readonly HeldRequest[];
  /**
   * Ends every open watch as the API server does when its resourceVersion is compacted away: an
   * ERROR event carrying a 410 Expired Status, then the end of the stream. Answers how many it ended.
   */
  expireWatches(): number;
  reset(): void;
  close(): Promise<void>;
};

const expired = JSON.stringify({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'The provided continue parameter is too old to display a consistent list result.',
  reason: 'Expired',
  code: 410,
});
const injected = JSON.stringify({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'injected fault',
  reason: 'InternalError',
  details: { causes: [{ message: 'injected fault' }] },
  code: 500,
});

/** The ERROR event of a watch whose resourceVersion is too old (as captured from Kubernetes 1.28). */
function expiredEvent(resourceVersion: string | null): string {
  const asked = resourceVersion && /^\d+$/.test(resourceVersion) ? Number(resourceVersion) : 0;
  const status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `too old resource version: ${asked} (${asked + 1})`,
    reason: 'Expired',
    code: 410,
  };
  return `${JSON.stringify({ type: 'ERROR', object: status })}\n`;
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const held: (HeldRequest & { release: () => void })[] = [];
  const watches = new Set<HeldRequest & { expire: () => void }>();
  const proxy: RecordingProxy = {
    url: '',
    requests: [],
    failWhen: undefined,
    holdWhen: undefined,
    get held() {
      return held.map(({ method, path, query }) => ({ method, path, query }));
    },
    releaseHeld() {
      for (const r of held.splice(0)) r.release();
    },
    get openWatches() {
      return [...watches].map(({ method, path, query }) => ({ method, path, query }));
    },
    expireWatches() {
      const open = [...watches];
      for (const w of open) w.expire();
      return open.length;
    },
    reset() {
      proxy.requests = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        proxy.releaseHeld();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy.local');
    const record: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.search, start: performance.now(), end: 0 };
    const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
    if (!watch && !url.pathname.startsWith('/_sim/')) proxy.requests.push(record);
    if (proxy.holdWhen?.({ method: record.method, path: url.pathname, query: url.searchParams })) {
      await new Promise<void>((release) => held.push({ method: record.method, path: url.pathname, query: url.search, release }));
    }
    const fail = await proxy.failWhen?.({ method: record.method, path: url.pathname, query: url.searchParams });
    if (fail) {
      req.resume();
      res.writeHead(fail === 410 ? 410 : 500, { 'content-type': 'application/json' });
      res.end(fail === 410 ? expired : injected);
      record.end = performance.now();
      return;
    }
    const out = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headersDistinct, host: upstream.host } }, // headersDistinct: repeated lines (Impersonate-Group) stay apart
      (up: IncomingMessage) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        // Pass the headers on at once, as the API server sends them (a watch's first event may be long in coming).
        res.flushHeaders();
        up.pipe(res);
        up.on('end', () => (record.end = performance.now()));
        if (!watch || up.statusCode !== 200) return;
        const open = {
          method: record.method,
          path: url.pathname,
          query: url.search,
          expire: () => {
            watches.delete(open);
            up.unpipe(res);
            out.destroy();
            res.end(expiredEvent(url.searchParams.get('resourceVersion')));
          },
        };
        watches.add(open);
        res.on('close', () => {
          watches.delete(open);
          // The client went away (an informer stopped): end the upstream watch too, as a real proxy would.
          out.destroy();
        });
      },
    );
    out.on('error', () => {
      res.destroy();
    });
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('the proxy has no port');
  proxy.url = `http://127.0.0.1:${address.port}`;
  return proxy;
}

/**
 * Sequential round trips: the number of busy periods, i.e. groups of requests that overlap in
 * time. Requests made in parallel count once; a request that waits for another counts again.
 */
export function countRoundTrips(requests: readonly RecordedRequest[]): number {
  const sorted = [...requests].sort((a, b) => a.start - b.start);
  let rounds = 0;
  let busyUntil = -Infinity;
  for (const r of sorted) {
    if (r.start >= busyUntil) rounds++;
    busyUntil = Math.max(busyUntil, r.end);
  }
  return rounds;
}

/** Copies a kubeconfig with every cluster's server pointed at `server`. */
export function writeKubeconfigFor(source: string, target: string, server: string): void {
  const doc = parse(readFileSync(source, 'utf8')) as { clusters: { cluster: { server: string } }[] };
  for (const c of doc.clusters) c.cluster.server = server;
  writeFileSync(target, stringify(doc));
}
