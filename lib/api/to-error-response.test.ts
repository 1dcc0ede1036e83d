import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError } from './api-error';
import { toErrorResponse } from './to-error-response';

class FakeApiException extends Error {
  constructor(
    public code: number,
    public body: unknown,
    public headers: Record<string, string>,
  ) {
    super(`HTTP-Code: ${code}\nHeaders: ${JSON.stringify(headers)}`);
  }
}

describe('toErrorResponse', () => {
  it('answers an ApiError with its code, status and message', async () => {
    const res = toErrorResponse(new ApiError('forbidden', 'you may not list deployments in namespace x'));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: { code: 'forbidden', message: 'you may not list deployments in namespace x' },
    });
  });

  it("sends an ApiError's detail (an upstream stack trace) next to its message, never in it", async () => {
    const detail = 'org.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute application.\n\tat X.y(X.java:1)';
    const res = toErrorResponse(new ApiError('bad_request', 'Could not execute application.', { detail }));
    expect(await res.json()).toEqual({ error: { code: 'bad_request', message: 'Could not execute application.', detail } });
  });

  it('turns a ZodError into 422 with issues', async () => {
    const parsed = z.object({ name: z.string().min(3) }).safeParse({ name: 'a' });
    const res = toErrorResponse(parsed.error);
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.error.code).toBe('invalid_input');
    expect(body.error.issues[0].path).toBe('name');
  });

  it('translates a client-node ApiException by status code and never leaks its headers', async () => {
    const status = { kind: 'Status', code: 404, reason: 'NotFound', message: 'deployments.apps "x" not found' };
    const err = new FakeApiException(404, JSON.stringify(status), { authorization: 'Bearer secret' });
    const res = toErrorResponse(err);
    expect(res.status).toBe(404);
    const text = await res.text();
    expect(text).not.toContain('secret');
    expect(JSON.parse(text)).toEqual({ error: { code: 'not_found', message: 'deployments.apps "x" not found' } });
  });

  it('hides unknown errors behind a generic internal error', async () => {
    const res = toErrorResponse(new Error('at Object.<anonymous> (/srv/secret.ts:1:1)'));
    expect(res.status).toBe(500);
    expect((await res.json()).error).toEqual({ code: 'internal', message: 'Something went wrong on the server.' });
  });
});
