import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import Provider from 'oidc-provider';

vi.mock('server-only', () => ({}));

// OpenID Connect end to end against a real OpenID provider (oidc-provider) on loopback: discovery,
// the redirect with PKCE, signing in at the provider (its own login and consent forms), the
// callback, the session cookie, the identity with the configured claims, and signing out.
const { withRoute } = await import('@/lib/api/with-route');
const { currentIdentity } = await import('./identity');
const oidcLogin = await import('@/app/api/auth/oidc/login/route');
const oidcCallback = await import('@/app/api/auth/oidc/callback/route');
const logoutRoute = await import('@/app/api/auth/logout/route');
const sessionRoute = await import('@/app/api/auth/session/route');

const DASHBOARD = 'http://dashboard.test';
const REDIRECT = `${DASHBOARD}/api/auth/oidc/callback`;
let server: Server;
let issuer: string;
const env = { ...process.env };
const whoAmI = withRoute(async () => Response.json(currentIdentity() ?? null));

beforeAll(async () => {
  server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      { client_id: 'flink-dashboard', client_secret: 'dashboard-client-secret-0123456789', redirect_uris: [REDIRECT], grant_types: ['authorization_code'], response_types: ['code'] },
    ],
    async findAccount(_ctx, id) {
      return { accountId: id, claims: async () => ({ sub: id, email: `${id}@example.test`, roles: ['team-b', 'oncall'] }) };
    },
    claims: { openid: ['sub'], email: ['email'], roles: ['roles'] },
    scopes: ['openid', 'email', 'roles'],
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['provider-cookie-key-0123456789'] },
  });
  provider.on('server_error', (_ctx, err) => console.error('provider error', err));
  server.on('request', provider.callback());
  Object.assign(process.env, {
    FLINK_DASHBOARD_AUTH: 'oidc',
    FLINK_DASHBOARD_SESSION_SECRET: 'oidc-test-session-secret-0123456789abcdef',
    FLINK_DASHBOARD_OIDC_ISSUER: issuer,
    FLINK_DASHBOARD_OIDC_CLIENT_ID: 'flink-dashboard',
    FLINK_DASHBOARD_OIDC_CLIENT_SECRET: 'dashboard-client-secret-0123456789',
    FLINK_DASHBOARD_OIDC_REDIRECT_URL: REDIRECT,
    FLINK_DASHBOARD_OIDC_SCOPES: 'openid email roles',
    FLINK_DASHBOARD_OIDC_USER_CLAIM: 'email',
    FLINK_DASHBOARD_OIDC_GROUPS_CLAIM: 'roles',
    FLINK_DASHBOARD_OIDC_PROVIDER_NAME: 'Test IdP',
  });
  delete process.env.FLINK_DASHBOARD_NAMESPACE;
});

afterAll(async () => {
  process.env = env;
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

/** A browser's cookie jar for one host. */
class Jar {
  private cookies = new Map<string, string>();
  take(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || attrs.some((a) => /^\s*expires=thu, 01 jan 1970/i.test(a)) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  get(name: string) {
    return this.cookies.get(name);
  }
}

/** Follows the provider's redirects and submits its login and consent forms, as a browser would. */
async function signInAtProvider(start: string, dashboardJar: Jar, login: string): Promise<Response> {
  const jar = new Jar();
  let url = start;
  let init: RequestInit = {};
  for (let i = 0; i < 20; i++) {
    if (url.startsWith(DASHBOARD)) {
      expect(new URL(url).pathname).toBe('/api/auth/oidc/callback');
      return oidcCallback.GET(new Request(url, { headers: { cookie: dashboardJar.header() } }), {});
    }
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: jar.header() } });
    jar.take(res);
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location')!, url).href;
      init = {};
      continue;
    }
    const html = await res.text();
    expect(res.status, html.slice(0, 500)).toBe(200);
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
    expect(action, html.slice(0, 500)).toBeDefined();
    const form = new URLSearchParams({ prompt: prompt! });
    if (prompt === 'login') {
      form.set('login', login);
      form.set('password', 'any');
    }
    url = new URL(action!, url).href;
    init = { method: 'POST', body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
  }
  throw new Error('too many redirects');
}

describe('OIDC sign-in', () => {
  it('signs in with PKCE at a real provider, and routes run as the user from the configured claims', async () => {
    const dashboardJar = new Jar();
    const start = await oidcLogin.GET(new Request(`${DASHBOARD}/api/auth/oidc/login?next=/clusters/default/c1`), {});
    expect(start.status).toBe(302);
    dashboardJar.take(start);
    const authUrl = new URL(start.headers.get('location')!);
    expect(authUrl.origin + authUrl.pathname).toBe(`${issuer}/auth`);
    expect(authUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authUrl.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authUrl.searchParams.get('redirect_uri')).toBe(REDIRECT);
    expect(authUrl.searchParams.get('scope')).toBe('openid email roles');
    expect(authUrl.searchParams.get('state')).toBeTruthy();
    expect(authUrl.searchParams.get('nonce')).toBeTruthy();
    expect(dashboardJar.get('fd_oidc')).toBeTruthy();

    const done = await signInAtProvider(authUrl.href, dashboardJar, 'carol');
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe('/clusters/default/c1');
    const setCookies = done.headers.getSetCookie();
    expect(setCookies.find((c) => c.startsWith('fd_session='))).toMatch(/; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
    dashboardJar.take(done);
    const cookie = dashboardJar.header();

    const identity = (await (await whoAmI(new Request(`${DASHBOARD}/api/x`, { headers: { cookie } }), {})).json()) as Record<string, unknown>;
    expect(identity).toMatchObject({ mode: 'oidc', user: 'carol@example.test', groups: ['team-b', 'oncall'] });
    // The id_token is kept server-side: in the identity for Kubernetes, not readable in the cookie.
    const idToken = identity.bearerToken as string;
    const claims = JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: issuer, aud: 'flink-dashboard', sub: 'carol' });
    expect(cookie).not.toContain(idToken.split('.')[1]);
    const session = await (await sessionRoute.GET(new Request(`${DASHBOARD}/api/auth/session`, { headers: { cookie } }), {})).json();
    expect(session).toEqual({ mode: 'oidc', signedIn: true, user: 'carol@example.test', groups: ['team-b', 'oncall'], providerName: 'Test IdP' });
    expect(JSON.stringify(session)).not.toContain(idToken);

    const out = await logoutRoute.POST(new Request(`${DASHBOARD}/api/auth/logout`, { method: 'POST', headers: { cookie } }), {});
    expect(out.status).toBe(200);
    dashboardJar.take(out);
    expect(dashboardJar.get('fd_session')).toBeUndefined();
    expect((await whoAmI(new Request(`${DASHBOARD}/api/x`, { headers: { cookie: dashboardJar.header() } }), {})).status).toBe(401);
  });

  it('refuses a callback that was not started here (no state cookie), back to /login with the reason', async () => {
    const res = await oidcCallback.GET(new Request(`${REDIRECT}?code=abc&state=xyz`), {});
    expect(res.status).toBe(302);
    expect(decodeURIComponent(res.headers.get('location')!)).toBe('/login?error=This sign-in was not started here or took longer than 10 minutes. Start again at /login.');
  });

  it('refuses a callback whose state does not match', async () => {
    const jar = new Jar();
    const start = await oidcLogin.GET(new Request(`${DASHBOARD}/api/auth/oidc/login`), {});
    jar.take(start);
    const res = await oidcCallback.GET(new Request(`${REDIRECT}?code=abc&state=forged&iss=${encodeURIComponent(issuer)}`, { headers: { cookie: jar.header() } }), {});
    expect(res.status).toBe(302);
    expect(decodeURIComponent(res.headers.get('location')!)).toMatch(/^\/login\?error=Sign-in with Test IdP failed: .*state/);
    expect(res.headers.getSetCookie().some((c) => c.startsWith('fd_session='))).toBe(false);
  });
});
