import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHarness, type Harness } from '@/lib/k8s/clusters/testing/route-harness';
import { CSRF_COOKIE, CSRF_HEADER } from '@/lib/security/csrf-token';

vi.mock('server-only', () => ({}));

// Cross-site refusal, strict fields, body and upload limits, over the real route handlers against a
// sim this file starts; "nothing was created" is read from the sim's own write counters.
const clustersRoute = await import('./clusters/route');
const jarsRoute = await import('./clusters/[namespace]/[id]/jars/route');

let h: Harness;
const ns = `harden-${Date.now().toString(36)}`;
const TOKEN = 'A'.repeat(22) + 'b'.repeat(21);

/** Objects the dashboard stored or removed: the sim's count of successful writes, less its own controllers' and pods'. */
async function dashboardWrites(): Promise<number> {
  const { mutations } = (await h.sim.request('GET', '/_sim/info')) as { mutations: Record<string, Record<string, number>> };
  return Object.entries(mutations)
    .filter(([who]) => !who.endsWith('kubernetes/sim') && !who.startsWith('system:serviceaccount:'))
    .flatMap(([, byMethod]) => Object.values(byMethod))
    .reduce((a, b) => a + b, 0);
}

async function post(body: unknown, headers: Record<string, string>) {
  const req = new Request(`http://dashboard.test/api/clusters`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', host: 'dashboard.test', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const res = await clustersRoute.POST(req, {} as never);
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string; issues?: { path: string; message: string }[] } } };
}

async function deploymentExists(id: string): Promise<boolean> {
  try {
    await h.sim.request('GET', `/apis/apps/v1/namespaces/${ns}/deployments/${id}`);
    return true;
  } catch {
    return false;
  }
}

/** Asserts `fn` makes the sim create or delete nothing. */
async function createsNothing(fn: () => Promise<void>) {
  const before = await dashboardWrites();
  await fn();
  expect(await dashboardWrites()).toBe(before);
}

const sameOrigin = { origin: 'http://dashboard.test', 'sec-fetch-site': 'same-origin' };
const withToken = { cookie: `other=1; ${CSRF_COOKIE}=${TOKEN}`, [CSRF_HEADER]: TOKEN };

beforeAll(async () => {
  h = await startHarness();
  await h.sim.createNamespace(ns);
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

describe('cross-site requests', () => {
  it('refuses a cross-site POST with a 403 in plain words, and creates nothing', async () => {
    await createsNothing(async () => {
      const res = await post({ clusterId: 'evil', namespace: ns }, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site', ...withToken });
      expect(res.status).toBe(403);
      expect(res.body.error).toEqual({ code: 'forbidden', message: 'Refused a cross-site request: this dashboard accepts changes only from its own pages. Nothing was changed.' });
    });
    expect(await deploymentExists('evil')).toBe(false);
  });

  it('refuses a foreign Origin from a browser that sends no Sec-Fetch-Site, and a "null" one', async () => {
    await createsNothing(async () => {
      for (const origin of ['https://evil.example', 'http://dashboard.test.evil.example', 'null']) {
        const res = await post({ clusterId: 'evil2', namespace: ns }, { origin, ...withToken });
        expect(res.status, origin).toBe(403);
        expect(res.body.error?.message).toMatch(/^Refused a cross-site request from /);
      }
    });
  });

  it('refuses a same-origin POST without the token, or with a token that does not match its cookie', async () => {
    await createsNothing(async () => {
      const none = await post({ clusterId: 'notoken', namespace: ns }, sameOrigin);
      expect(none.status).toBe(403);
      expect(none.body.error?.message).toMatch(/^Refused: the request carries no valid anti-forgery token/);
      const wrong = await post({ clusterId: 'notoken', namespace: ns }, { ...sameOrigin, cookie: `${CSRF_COOKIE}=${TOKEN}`, [CSRF_HEADER]: TOKEN.replace('A', 'B') });
      expect(wrong.status).toBe(403);
      const cookieOnly = await post({ clusterId: 'notoken', namespace: ns }, { ...sameOrigin, cookie: `${CSRF_COOKIE}=${TOKEN}` });
      expect(cookieOnly.status).toBe(403);
    });
    expect(await deploymentExists('notoken')).toBe(false);
  });

  it('accepts a same-origin POST that echoes its cookie token', async () => {
    const before = await dashboardWrites();
    const res = await post({ clusterId: 'mine', namespace: ns }, { ...sameOrigin, ...withToken });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(await deploymentExists('mine')).toBe(true);
    // The counter sees the dashboard's writes (ServiceAccount, Role, bindings, ConfigMap, Deployment, Services…).
    expect(await dashboardWrites()).toBeGreaterThan(before);
  });
});

describe('strict fields and body size', () => {
  it('refuses a misspelled field by name and creates nothing (was: created, labls dropped)', async () => {
    await createsNothing(async () => {
      const res = await post({ clusterId: 'typo', namespace: ns, labls: { team: 'a' } }, {});
      expect(res.status).toBe(422);
      expect(res.body.error?.message).toBe('Unknown field "labls" (did you mean "jobManager.labels" or "taskManager.labels"?). Nothing was changed.');
      expect(res.body.error?.issues).toEqual([{ path: 'labls', message: 'Unknown field "labls" (did you mean "jobManager.labels" or "taskManager.labels"?)' }]);
    });
    expect(await deploymentExists('typo')).toBe(false);
  });

  it('refuses a body past the limit with a 413 in plain words, declared or streamed', async () => {
    await createsNothing(async () => {
      const big = JSON.stringify({ clusterId: 'big', namespace: ns, flinkConfig: [{ key: 'x', value: 'y'.repeat(1024 * 1024) }] });
      const declared = await post(big, {});
      expect(declared.status).toBe(413);
      expect(declared.body.error).toEqual({ code: 'payload_too_large', message: 'The request body is larger than the 1048576 bytes this dashboard accepts. Nothing was changed.' });
      const bytes = new TextEncoder().encode(big);
      const stream = new ReadableStream<Uint8Array>({
        start(c) {
          for (let i = 0; i < bytes.length; i += 64 * 1024) c.enqueue(bytes.subarray(i, i + 64 * 1024));
          c.close();
        },
      });
      const req = new Request('http://dashboard.test/api/clusters', { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
      const streamed = await clustersRoute.POST(req, {} as never);
      expect(streamed.status).toBe(413);
    });
  });
});

describe('upload rate limit', () => {
  it('refuses uploads past FLINK_DASHBOARD_MAX_UPLOADS_PER_MINUTE per client with a 429', async () => {
    process.env.FLINK_DASHBOARD_MAX_UPLOADS_PER_MINUTE = '2';
    try {
      const upload = async (address: string) => {
        const req = new Request(`http://dashboard.test/api/clusters/${ns}/nowhere/jars?name=a.jar`, {
          method: 'POST',
          headers: { 'content-type': 'application/java-archive', 'x-forwarded-for': address },
          body: new Uint8Array([0x50, 0x4b, 3, 4]),
        });
        const res = await jarsRoute.POST(req, { params: Promise.resolve({ namespace: ns, id: 'nowhere' }) });
        return { status: res.status, body: (await res.json()) as { error: { code: string; message: string } } };
      };
      // The cluster does not exist: the first two are refused by the cluster check, the third by the limit.
      expect((await upload('10.0.0.1')).status).not.toBe(429);
      expect((await upload('10.0.0.1')).status).not.toBe(429);
      const third = await upload('10.0.0.1');
      expect(third.status).toBe(429);
      expect(third.body.error.message).toMatch(/^Too many jar uploads: at most 2 every 60 s\. Try again in \d+ s\.$/);
      expect((await upload('10.0.0.2')).status).not.toBe(429);
    } finally {
      delete process.env.FLINK_DASHBOARD_MAX_UPLOADS_PER_MINUTE;
    }
  });
});

describe('query parameters', () => {
  it('refuses an unknown query parameter of a change, and creates nothing', async () => {
    await createsNothing(async () => {
      const req = new Request(`http://dashboard.test/api/clusters?contxt=sim-admin`, { method: 'POST', body: JSON.stringify({ clusterId: 'query', namespace: ns }) });
      const res = await clustersRoute.POST(req, {} as never);
      expect(res.status).toBe(422);
      expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
        'Unknown query parameter "contxt" (did you mean "context"?). This route takes "context". Nothing was changed.',
      );
    });
    expect(await deploymentExists('query')).toBe(false);
  });
});
