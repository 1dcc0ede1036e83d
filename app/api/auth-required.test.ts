import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signSession } from '@/lib/auth/session';

vi.mock('server-only', () => ({}));

// Every app/api/**/route.ts, every exported method, called without a session in token mode:
// 401 and nothing but the error. A new route is found by the file walk, so it cannot forget.
const apiDir = path.resolve(import.meta.dirname);
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
/** Served without a session: signing in and out, and "who am I" (which tells only the caller's own state). */
const PUBLIC = new Set(['auth/login', 'auth/logout', 'auth/session', 'auth/oidc/login', 'auth/oidc/callback']);

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return routeFiles(p);
    return name === 'route.ts' ? [p] : [];
  });
}

const files = routeFiles(apiDir);
const routeName = (file: string) => path.relative(apiDir, path.dirname(file)).split(path.sep).join('/');
/** Values for the dynamic segments: [namespace] → "default", etc.; never reached without a session. */
function paramsOf(route: string): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  for (const m of route.matchAll(/\[(\.\.\.)?([^\]]+)\]/g)) params[m[2]] = m[1] ? ['x'] : 'x';
  return params;
}

const env = { ...process.env };
beforeAll(() => {
  process.env.FLINK_DASHBOARD_AUTH = 'token';
  process.env.FLINK_DASHBOARD_SESSION_SECRET = 'this-deployment-secret-0123456789abcdef';
  process.env.FLINK_DASHBOARD_TOKENS_SECRET = 'dashboard/tokens';
  // No Kubernetes at all: a request that got past authentication would fail differently (not 401).
  process.env.FLINK_DASHBOARD_KUBECONFIG = '/nonexistent/kubeconfig';
  process.env.KUBECONFIG = '/nonexistent/kubeconfig';
  process.env.HOME = '/nonexistent';
  delete process.env.KUBERNETES_SERVICE_HOST;
});
afterAll(() => {
  process.env = env;
});

async function expectUnauthorized(res: Response, what: string) {
  expect(res.status, what).toBe(401);
  const text = await res.text();
  const body = JSON.parse(text) as { error: Record<string, unknown> };
  expect(Object.keys(body), what).toEqual(['error']);
  expect(Object.keys(body.error).sort(), what).toEqual(['code', 'message']);
  expect(body.error.code).toBe('unauthorized');
}

describe('every /api route without a session', () => {
  it('finds the routes', () => {
    expect(files.length).toBeGreaterThan(30);
    for (const p of PUBLIC) expect(files.map(routeName), `public route ${p} exists`).toContain(p);
  });

  for (const file of files) {
    const route = routeName(file);
    if (PUBLIC.has(route)) continue;
    it(`/api/${route} answers 401 with no data, for every method`, async () => {
      const mod = (await import(file)) as Record<string, unknown>;
      const methods = METHODS.filter((m) => typeof mod[m] === 'function');
      expect(methods.length, `${route} exports a method`).toBeGreaterThan(0);
      const params = paramsOf(route);
      const signedElsewhere = signSession({ mode: 'token', user: 'mallory', groups: ['system:masters'] }, 'another-deployment-secret-0123456789', 3_600_000).value;
      for (const method of methods) {
        const handler = mod[method] as (req: Request, ctx: unknown) => Promise<Response>;
        const body = method === 'GET' || method === 'HEAD' ? undefined : '{}';
        const url = `http://dashboard.test/api/${route.replace(/\[(\.\.\.)?[^\]]+\]/g, 'x')}`;
        const none = await handler(new Request(url, { method, body, headers: body ? { 'content-type': 'application/json' } : {} }), { params: Promise.resolve(params) });
        await expectUnauthorized(none, `${method} /api/${route} without a cookie`);
        const forged = await handler(
          new Request(url, { method, body, headers: { cookie: `fd_session=${signedElsewhere}`, ...(body ? { 'content-type': 'application/json' } : {}) } }),
          { params: Promise.resolve(params) },
        );
        await expectUnauthorized(forged, `${method} /api/${route} with another deployment's cookie`);
      }
    });
  }
});
