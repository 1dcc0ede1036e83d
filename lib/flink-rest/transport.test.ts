import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toErrorResponse } from '@/lib/api/to-error-response';
import type { Connection } from '@/lib/k8s/kubeconfig';
import { FlinkRestError } from './errors';

vi.mock('server-only', () => ({}));
const { JobManagerTransport, serviceProxyBase } = await import('./transport');

// A local HTTP server stands in for the API server's service proxy: each test scripts its answers and
// counts the requests it received.
type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;
let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(handler: Handler): Promise<{ conn: Connection; hits: () => number; bodies: string[] }> {
  let n = 0;
  const bodies: string[] = [];
  server = createServer((req, res) => {
    n += 1;
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      bodies.push(body);
      handler(req, res, n);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
  return { conn: connTo(`http://127.0.0.1:${(server!.address() as AddressInfo).port}`), hits: () => n, bodies };
}

function connTo(url: string): Connection {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: url, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't0ken' }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
    currentContext: 'ctx',
  });
  return { kc, context: 'ctx', server: url, identityKey: '' };
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const LEADER_ELECTION = { errors: ['Service temporarily unavailable due to an ongoing leader election. Please refresh.'] };
const policy = { totalMs: 1_500, firstDelayMs: 20, maxDelayMs: 200 };
const transport = (conn: Connection) => new JobManagerTransport(conn, serviceProxyBase('ns', 'c1'), { kind: 'service', name: 'c1-rest', namespace: 'ns', server: conn.server }, { retry: policy });

describe('JobManagerTransport retries (as RestClusterClient: idempotent calls, 503 and connection problems)', () => {
  it('retries a GET through a leader election (503) and returns the answer once a leader is there', async () => {
    const s = await serve((req, res, n) => (n < 3 ? json(res, 503, LEADER_ELECTION) : json(res, 200, { jobs: [] })));
    await expect(transport(s.conn).request('GET', '/jobs/overview')).resolves.toEqual({ status: 200, json: { jobs: [] } });
    expect(s.hits()).toBe(3);
  });

  it('sends the kubeconfig credentials to the service proxy path', async () => {
    let seen: IncomingMessage | undefined;
    const s = await serve((req, res) => {
      seen = req;
      json(res, 200, {});
    });
    await transport(s.conn).request('GET', '/config');
    expect(seen?.url).toBe('/api/v1/namespaces/ns/services/c1-rest:rest/proxy/config');
    expect(seen?.headers.authorization).toBe('Bearer t0ken');
  });

  it('never retries a POST (a jar run or a trigger), even on 503', async () => {
    const s = await serve((req, res) => json(res, 503, LEADER_ELECTION));
    const err = await transport(s.conn).request('POST', '/jars/x.jar/run', { json: { parallelism: 2 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlinkRestError);
    expect((err as FlinkRestError).status).toBe(503);
    expect(s.hits()).toBe(1);
    expect(JSON.parse(s.bodies[0])).toEqual({ parallelism: 2 });
  });

  it('does not retry a 500 or a 404 (not what Flink retries)', async () => {
    const s = await serve((req, res) => json(res, 404, { errors: ['org.apache.flink.runtime.rest.NotFoundException: Job 00 not found\n\tat a.b.C.d(C.java:1)'] }));
    const err = (await transport(s.conn).request('GET', '/jobs/00').catch((e: unknown) => e)) as FlinkRestError;
    expect(s.hits()).toBe(1);
    expect(err.message).toBe("The JobManager's REST API answered 404: Job 00 not found");
    expect(err.code).toBe('not_found');
  });

  it('gives up after the total time with the last answer, having backed off', async () => {
    const times: number[] = [];
    const s = await serve((req, res) => {
      times.push(Date.now());
      json(res, 503, LEADER_ELECTION);
    });
    const started = Date.now();
    const err = (await transport(s.conn).request('GET', '/overview').catch((e: unknown) => e)) as FlinkRestError;
    const took = Date.now() - started;
    expect(err.message).toBe("The JobManager's REST API answered 503: Service temporarily unavailable due to an ongoing leader election. Please refresh.");
    expect(err.code).toBe('unavailable');
    expect(took).toBeLessThanOrEqual(policy.totalMs + 500);
    expect(s.hits()).toBeGreaterThanOrEqual(3);
    // backoff: the gaps grow (20, 40, 80 ms ... capped at 200 ms)
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    expect(gaps[gaps.length - 1]).toBeGreaterThan(gaps[0]);
  });

  it('starts no retry after retryWithinMs (the cluster card shows a lasting leader election instead of waiting)', async () => {
    const s = await serve((req, res) => json(res, 503, LEADER_ELECTION));
    const t = new JobManagerTransport(s.conn, serviceProxyBase('ns', 'c1'), { kind: 'service', name: 'c1-rest', namespace: 'ns', server: s.conn.server }, {
      retry: { ...policy, retryWithinMs: 100 },
    });
    const started = Date.now();
    await expect(t.request('GET', '/overview')).rejects.toThrow(/ongoing leader election/);
    expect(Date.now() - started).toBeLessThan(policy.totalMs);
    expect(s.hits()).toBeGreaterThanOrEqual(2);
    expect(s.hits()).toBeLessThanOrEqual(4);
  });

  it('an upload has no time limit while it runs (timeoutMs 0), and its signal ends it', async () => {
    const s = await serve((req, res) => {
      const t = setTimeout(() => json(res, 200, { filename: '/tmp/flink-web-upload/x_job.jar', status: 'success' }), policy.totalMs + 300);
      res.on('close', () => clearTimeout(t));
    });
    const upload = { stream: new Uint8Array([1, 2, 3]), contentType: 'multipart/form-data; boundary=b' };
    await expect(transport(s.conn).request('POST', '/jars/upload', upload, { timeoutMs: 0 })).resolves.toMatchObject({ status: 200 });
    expect(s.bodies[0]).toBe('\u0001\u0002\u0003');
    const abort = new AbortController();
    const pending = transport(s.conn).request('POST', '/jars/upload', upload, { timeoutMs: 0, signal: abort.signal });
    await expect.poll(() => s.hits()).toBe(2);
    abort.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('a JobManager that does not answer in time is a timeout in plain words', async () => {
    const s = await serve(() => undefined); // never answers
    const err = (await transport(s.conn).request('GET', '/overview').catch((e: unknown) => e)) as FlinkRestError;
    expect(err.message).toBe("The JobManager's REST API did not answer within 1.5 seconds.");
    expect(err.code).toBe('timeout');
    expect(s.hits()).toBe(1);
  });

  it('an API server that refuses connections is retried, then named', async () => {
    const s = await serve((req, res) => json(res, 200, {}));
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    const err = (await transport(s.conn).request('GET', '/overview').catch((e: unknown) => e)) as FlinkRestError;
    expect(err.failure).toBe('unreachable');
    expect(err.message).toBe(`Cannot reach the Kubernetes API server at ${s.conn.server}.`);
  });

  it("Flink's stack trace is the error's detail, never its message, and reaches the error body", async () => {
    const text = 'org.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute application.\n\tat org.apache.flink.runtime.webmonitor.handlers.JarRunHandler.lambda$handleRequest$1(JarRunHandler.java:114)\nCaused by: org.apache.flink.runtime.client.DuplicateJobSubmissionException: Job has already been submitted.';
    const s = await serve((req, res) => json(res, 400, { errors: [text] }));
    const err = (await transport(s.conn).request('POST', '/jars/x.jar/run', { json: {} }).catch((e: unknown) => e)) as FlinkRestError;
    expect(err.message).toBe("The JobManager's REST API answered 400: Could not execute application.");
    expect(err.flinkMessage).toBe('Could not execute application.');
    expect(err.detail).toBe(text);
    const res = toErrorResponse(err);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'bad_request', message: "The JobManager's REST API answered 400: Could not execute application.", detail: text } });
  });

  it('a 200 that is not JSON is not Flink', async () => {
    const s = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>nginx</html>');
    });
    const err = (await transport(s.conn).request('GET', '/config').catch((e: unknown) => e)) as FlinkRestError;
    expect(err.message).toBe('Service "c1-rest" answered with something that is not JSON: it does not look like Flink\'s REST API.');
  });
});
