import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSim, stopProcess } from '@/e2e/support/processes';
import { SimClient } from '@/e2e/support/sim-client';

vi.mock('server-only', () => ({}));

// Static-token sign-in against a simulated cluster: the tokens Secret, the session cookie, the
// identity a route runs as, sign-out (a copied cookie is refused, by this and by a fresh replica),
// the Secret's changes, the rate limit, and where mode none is allowed.
const { withRoute } = await import('@/lib/api/with-route');
const { currentIdentity } = await import('./identity');
const { hashToken, mintToken } = await import('./tokens');
const { signSession } = await import('./session');
const { REVOKED_SESSIONS_NAME } = await import('./config');
const loginRoute = await import('@/app/api/auth/login/route');
const logoutRoute = await import('@/app/api/auth/logout/route');
const sessionRoute = await import('@/app/api/auth/session/route');
const contextsRoute = await import('@/app/api/contexts/route');

const SECRET = 'test-session-secret-0123456789abcdefghij';
const ns = 'dash-auth';
let dataDir: string;
let simProcess: ChildProcess;
let sim: SimClient;
const aliceToken = mintToken();
const bobToken = mintToken();
const env = { ...process.env };

const whoAmI = withRoute(async () => Response.json(currentIdentity() ?? null));

function entry(user: string, groups: string[], token: string) {
  return Buffer.from(JSON.stringify({ user, groups, sha256: hashToken(token) })).toString('base64');
}

async function putTokens(data: Record<string, string>) {
  const body = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tokens', namespace: ns }, type: 'Opaque', data };
  try {
    await sim.request('PUT', `/api/v1/namespaces/${ns}/secrets/tokens`, body);
  } catch {
    await sim.request('POST', `/api/v1/namespaces/${ns}/secrets`, body);
  }
}

function login(token: string, address = '10.1.1.1', headers: Record<string, string> = {}) {
  return loginRoute.POST(
    new Request('http://dashboard.test/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address, ...headers },
      body: JSON.stringify({ token }),
    }),
    {},
  );
}

const cookieOf = (res: Response) => res.headers.get('set-cookie')!.split(';')[0];
const withCookie = (cookie: string, url = 'http://dashboard.test/api/x') => new Request(url, { headers: { cookie } });

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'flink-dash-auth-'));
  const started = await startSim(path.join(dataDir, 'sim'));
  simProcess = started.child;
  sim = new SimClient(started.info.url, started.info.kubeconfig);
  await sim.createNamespace(ns);
  await putTokens({ alice: entry('alice', ['team-a', 'viewers'], aliceToken), bob: entry('bob', [], bobToken) });
  process.env.FLINK_DASHBOARD_KUBECONFIG = path.resolve(started.info.kubeconfig);
  process.env.FLINK_DASHBOARD_AUTH = 'token';
  process.env.FLINK_DASHBOARD_SESSION_SECRET = SECRET;
  process.env.FLINK_DASHBOARD_TOKENS_SECRET = `${ns}/tokens`;
  delete process.env.FLINK_DASHBOARD_HOST;
});

afterAll(async () => {
  process.env = env;
  await stopProcess(simProcess);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('static-token sign-in', () => {
  it('refuses a wrong token in plain words', async () => {
    const res = await login(mintToken());
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toBe('That token is not valid. Check that you copied it whole, or ask for a new one.');
  });

  it('signs in: an httpOnly SameSite=Lax cookie, and routes run as the user', async () => {
    const res = await login(aliceToken);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ user: 'alice', groups: ['team-a', 'viewers'] });
    const setCookie = res.headers.get('set-cookie')!;
    const m = /^fd_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=(\d+)$/.exec(setCookie);
    expect(m, setCookie).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(12 * 3600 - 60); // 12 hours by default
    expect(Number(m![1])).toBeLessThanOrEqual(12 * 3600);
    expect(setCookie).not.toContain(aliceToken);
    const cookie = cookieOf(res);

    const identity = await (await whoAmI(withCookie(cookie), {})).json();
    expect(identity).toMatchObject({ mode: 'token', user: 'alice', groups: ['team-a', 'viewers'] });
    expect((await contextsRoute.GET(withCookie(cookie, 'http://dashboard.test/api/contexts'), {})).status).toBe(200);
    const session = await (await sessionRoute.GET(withCookie(cookie), {})).json();
    expect(session).toEqual({ mode: 'token', signedIn: true, user: 'alice', groups: ['team-a', 'viewers'] });
  });

  it('marks the cookie Secure (and __Host-) on https', async () => {
    const res = await login(bobToken, '10.1.1.2', { 'x-forwarded-proto': 'https' });
    expect(res.headers.get('set-cookie')).toMatch(/^__Host-fd_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+; Secure$/);
    const identity = await (await whoAmI(withCookie(cookieOf(res)), {})).json();
    expect(identity).toMatchObject({ user: 'bob', groups: [] });
  });

  it('refuses an expired session and a session signed by another deployment', async () => {
    const expired = signSession({ mode: 'token', user: 'alice', groups: [] }, SECRET, 1_000, Date.now() - 10_000).value;
    const res = await whoAmI(withCookie(`fd_session=${expired}`), {});
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/expired/);
    const foreign = signSession({ mode: 'token', user: 'alice', groups: [] }, 'another-deployments-secret-0123456789', 60_000).value;
    const res2 = await whoAmI(withCookie(`fd_session=${foreign}`), {});
    expect(res2.status).toBe(401);
    expect(((await res2.json()) as { error: { message: string } }).error.message).toMatch(/not issued by this dashboard/);
  });

  it('signing out ends the session: a copy of the cookie is refused, also by another replica', async () => {
    const cookie = cookieOf(await login(aliceToken, '10.1.1.3'));
    expect((await whoAmI(withCookie(cookie), {})).status).toBe(200);
    const out = await logoutRoute.POST(new Request('http://dashboard.test/api/auth/logout', { method: 'POST', headers: { cookie } }), {});
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/^fd_session=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0/);
    const again = await whoAmI(withCookie(cookie), {});
    expect(again.status).toBe(401);
    expect(((await again.json()) as { error: { message: string } }).error.message).toMatch(/signed out/);

    // Recorded in Kubernetes, so a replica that never saw the sign-out refuses it too.
    const cm = (await sim.request('GET', `/api/v1/namespaces/${ns}/configmaps/${REVOKED_SESSIONS_NAME}`)) as { data: Record<string, string> };
    expect(Object.keys(cm.data)).toHaveLength(1);
    delete (globalThis as { __flinkDashRevoked?: unknown }).__flinkDashRevoked;
    expect((await whoAmI(withCookie(cookie), {})).status).toBe(401);
    // A new sign-in still works.
    expect((await whoAmI(withCookie(cookieOf(await login(aliceToken, '10.1.1.3'))), {})).status).toBe(200);
  });

  it('reads the Secret again on sign-in: a removed entry no longer signs in', async () => {
    await putTokens({ bob: entry('bob', [], bobToken) });
    expect((await login(aliceToken, '10.1.1.4')).status).toBe(401);
    await putTokens({ alice: entry('alice', ['team-a'], aliceToken), bob: entry('bob', [], bobToken) });
    expect((await login(aliceToken, '10.1.1.4')).status).toBe(200);
  });

  it('limits sign-in attempts per client address', async () => {
    for (let i = 0; i < 10; i++) expect((await login('wrong', '10.9.9.9')).status).toBe(401);
    const limited = await login(aliceToken, '10.9.9.9');
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { error: { message: string } }).error.message).toMatch(/Too many sign-in attempts from your address/);
    expect((await login(aliceToken, '10.9.9.10')).status).toBe(200);
  });
});

describe('mode none', () => {
  let fakeApi: Server;
  let fakeKubeconfig: string;

  beforeAll(async () => {
    // A "real" API server: answers /version without the sim's -sim suffix.
    fakeApi = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(req.url === '/version' ? { gitVersion: 'v1.31.2', major: '1', minor: '31' } : { kind: 'Status' }));
    });
    await new Promise<void>((r) => fakeApi.listen(0, '127.0.0.1', r));
    const { port } = fakeApi.address() as AddressInfo;
    fakeKubeconfig = path.join(dataDir, 'real.yaml');
    writeFileSync(
      fakeKubeconfig,
      `apiVersion: v1\nkind: Config\ncurrent-context: real\nclusters:\n- name: real\n  cluster:\n    server: http://127.0.0.1:${port}\ncontexts:\n- name: real\n  context:\n    cluster: real\n    user: u\nusers:\n- name: u\n  user:\n    token: t\n`,
    );
  });
  afterAll(() => new Promise<void>((r) => fakeApi.close(() => r())));

  it('runs as anonymous against the simulated cluster', async () => {
    process.env.FLINK_DASHBOARD_AUTH = 'none';
    const res = await whoAmI(new Request('http://dashboard.test/api/x'), {});
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ mode: 'none', user: 'anonymous', groups: [] });
  });

  it('is refused against a real cluster unless the dashboard listens on loopback', async () => {
    const simKubeconfig = process.env.FLINK_DASHBOARD_KUBECONFIG;
    process.env.FLINK_DASHBOARD_AUTH = 'none';
    process.env.FLINK_DASHBOARD_KUBECONFIG = fakeKubeconfig;
    try {
      const res = await whoAmI(new Request('http://dashboard.test/api/x'), {});
      expect(res.status).toBe(503);
      const msg = ((await res.json()) as { error: { message: string } }).error.message;
      expect(msg).toMatch(/^Sign-in is off \(FLINK_DASHBOARD_AUTH=none\), which is allowed only on loopback or against the simulated cluster, and http:\/\/127\.0\.0\.1:\d+ is a real Kubernetes API server \(v1\.31\.2\)/);
      const session = await (await sessionRoute.GET(new Request('http://dashboard.test/api/auth/session'), {})).json();
      expect(session).toMatchObject({ mode: 'none', signedIn: false, problem: msg });
      process.env.FLINK_DASHBOARD_HOST = '127.0.0.1';
      expect((await whoAmI(new Request('http://dashboard.test/api/x'), {})).status).toBe(200);
    } finally {
      delete process.env.FLINK_DASHBOARD_HOST;
      process.env.FLINK_DASHBOARD_KUBECONFIG = simKubeconfig;
      process.env.FLINK_DASHBOARD_AUTH = 'token';
    }
  });

  it('a misconfigured mode answers 503 in plain words', async () => {
    process.env.FLINK_DASHBOARD_SESSION_SECRET = 'short';
    try {
      const res = await whoAmI(new Request('http://dashboard.test/api/x'), {});
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/FLINK_DASHBOARD_SESSION_SECRET must be set to at least 32 random characters in token mode/);
    } finally {
      process.env.FLINK_DASHBOARD_SESSION_SECRET = SECRET;
    }
  });
});
