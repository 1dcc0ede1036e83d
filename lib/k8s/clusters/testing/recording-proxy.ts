// Test and bench support: an HTTP proxy in front of the sim that records every API request (to
// count requests and sequential round trips) and can fail chosen requests the way the API server
// answers an internal error. The sim's own fault injection matches paths only; this one can tell a
// real create from its dry run.
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';

export type RecordedRequest = { method: string; path: string; query: string; start: number; end: number };
/** Whether to fail a request; a promise holds the request until it settles (to let the world move on first). */
export type FailWhen = (req: { method: string; path: string; query: URLSearchParams }) => boolean | Promise<boolean>;

export type RecordingProxy = {
  url: string;
  requests: RecordedRequest[];
  failWhen: FailWhen | undefined;
  reset(): void;
  close(): Promise<void>;
};

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

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const proxy: RecordingProxy = {
    url: '',
    requests: [],
    failWhen: undefined,
    reset() {
      proxy.requests = [];
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy.local');
    const record: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.search, start: performance.now(), end: 0 };
    const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
    if (!watch && !url.pathname.startsWith('/_sim/')) proxy.requests.push(record);
    if (await proxy.failWhen?.({ method: record.method, path: url.pathname, query: url.searchParams })) {
      req.resume();
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(injected);
      record.end = performance.now();
      return;
    }
    const out = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (up: IncomingMessage) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        up.on('end', () => (record.end = performance.now()));
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
