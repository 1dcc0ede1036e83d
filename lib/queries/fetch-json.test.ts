import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '@/lib/api/api-error';
import { toErrorResponse } from '@/lib/api/to-error-response';
import { ClientApiError, fetchJson } from './fetch-json';
import { sendJson, startLocalServer, type LocalServer } from './testing/local-server';

// fetchJson against a real local HTTP server: the browser's side of the one error shape.
let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer();
});
afterAll(() => server.close());

/** Answers what a route handler answers for `err` (toErrorResponse), byte for byte. */
function answerWith(err: unknown) {
  server.handle(async (_req, res) => {
    const r = toErrorResponse(err);
    res.writeHead(r.status, Object.fromEntries(r.headers));
    res.end(await r.text());
  });
}

async function failure(url = `${server.url}/x`, init?: RequestInit): Promise<ClientApiError> {
  const err = await fetchJson(url, init).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ClientApiError);
  return err as ClientApiError;
}

describe('fetchJson', () => {
  it('returns the JSON body, sending accept: application/json and the caller headers and body', async () => {
    server.handle((_req, res) => sendJson(res, 201, { items: [1, 2] }));
    const body = await fetchJson<{ items: number[] }>(`${server.url}/api/things?a=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'n' }),
    });
    expect(body).toEqual({ items: [1, 2] });
    const req = server.requests.at(-1)!;
    expect(req).toMatchObject({ method: 'POST', path: '/api/things?a=1', body: '{"name":"n"}' });
    expect(req.headers.accept).toBe('application/json');
    expect(req.headers['content-type']).toBe('application/json');
  });

  it('keeps headers given as a Headers object', async () => {
    server.handle((_req, res) => sendJson(res, 200, {}));
    await fetchJson(`${server.url}/h`, { headers: new Headers({ 'x-trace': 't1' }) });
    expect(server.requests.at(-1)!.headers).toMatchObject({ 'x-trace': 't1', accept: 'application/json' });
  });

  it('an empty 204 is undefined', async () => {
    server.handle((_req, res) => {
      res.writeHead(204);
      res.end();
    });
    await expect(fetchJson(`${server.url}/api/presets/ns/p`, { method: 'DELETE' })).resolves.toBeUndefined();
  });

  it('decodes message, code and status of an ApiError', async () => {
    answerWith(new ApiError('forbidden', 'You may not list deployments in namespace "team-a".'));
    const err = await failure();
    expect(err).toMatchObject({ code: 'forbidden', status: 403, message: 'You may not list deployments in namespace "team-a".' });
    expect(err.issues).toBeUndefined();
    expect(err.details).toBeUndefined();
  });

  it('decodes the field issues of a zod failure', async () => {
    const { z } = await import('zod');
    answerWith(z.object({ clusterId: z.string().min(3, 'Too short.') }).safeParse({ clusterId: 'a' }).error);
    const err = await failure();
    expect(err).toMatchObject({ code: 'invalid_input', status: 422, message: 'The request is not valid.' });
    expect(err.issues).toEqual([{ path: 'clusterId', message: 'Too short.' }]);
  });

  it('decodes details', async () => {
    answerWith(new ApiError('conflict', 'HA data of an earlier cluster "c" is left.', { details: { haLeftovers: ['c-cluster-config-map'] } }));
    const err = await failure();
    expect(err).toMatchObject({ code: 'conflict', status: 409, details: { haLeftovers: ['c-cluster-config-map'] } });
  });

  it('an unknown error on the server is the plain internal message, not its text', async () => {
    answerWith(new Error('secret stack detail'));
    const err = await failure();
    expect(err).toMatchObject({ code: 'internal', status: 500, message: 'Something went wrong on the server.' });
  });

  it('an error answer that is not JSON (a proxy in front) gets a message naming the status and a code from it', async () => {
    server.handle((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body>Bad Gateway</body></html>');
    });
    expect(await failure()).toMatchObject({ code: 'upstream_error', status: 502, message: 'The dashboard server answered 502 without saying why.' });
    server.handle((_req, res) => {
      res.writeHead(503);
      res.end();
    });
    expect(await failure()).toMatchObject({ code: 'unavailable', status: 503, message: 'The dashboard server answered 503 without saying why.' });
  });

  it('JSON that is not the error shape is not taken for one', async () => {
    server.handle((_req, res) => sendJson(res, 404, { error: { message: 'no code' } }));
    expect(await failure()).toMatchObject({ code: 'not_found', status: 404, message: 'The dashboard server answered 404 without saying why.' });
    server.handle((_req, res) => sendJson(res, 400, { error: { code: 'bad_request', message: 'm', issues: 'x', details: [1] } }));
    const err = await failure();
    expect(err).toMatchObject({ code: 'bad_request', message: 'm' });
    expect(err.issues).toBeUndefined();
    expect(err.details).toBeUndefined();
  });

  it('a 200 whose body is not JSON is an error, not data', async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!DOCTYPE html><title>Sign in</title>');
    });
    expect(await failure()).toMatchObject({ code: 'upstream_error', status: 200, message: 'The dashboard server answered with something that is not JSON.' });
  });

  it('a server that is not there, or drops the connection, is "Cannot reach the dashboard server."', async () => {
    const gone = await startLocalServer();
    const url = `${gone.url}/api/clusters`;
    await gone.close();
    expect(await failure(url)).toMatchObject({ code: 'unavailable', status: 0, message: 'Cannot reach the dashboard server.' });
    server.handle((_req, res) => res.destroy());
    expect(await failure()).toMatchObject({ code: 'unavailable', status: 0, message: 'Cannot reach the dashboard server.' });
  });

  it('an aborted request rejects with the abort, not as an outage', async () => {
    let answer: () => void = () => {};
    server.handle((_req, res) => {
      answer = () => sendJson(res, 200, {});
    });
    const abort = new AbortController();
    const pending = fetchJson(`${server.url}/slow`, { signal: abort.signal });
    await expect.poll(() => server.requests.at(-1)?.path).toBe('/slow');
    abort.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    answer();
  });
});
