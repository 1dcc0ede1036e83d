import { describe, expect, it } from 'vitest';
import { ApiError } from '@/lib/api/api-error';
import { assertSameOriginRequest } from './csrf';
import { CSRF_COOKIE, CSRF_HEADER, readCsrfCookie } from './csrf-token';

const TOKEN = 'x'.repeat(43);
const good = { origin: 'http://dash.example:3000', 'sec-fetch-site': 'same-origin', cookie: `${CSRF_COOKIE}=${TOKEN}`, [CSRF_HEADER]: TOKEN };

function check(headers: Record<string, string>, opts: { method?: string; url?: string; env?: Record<string, string> } = {}): string | undefined {
  try {
    assertSameOriginRequest(new Request(opts.url ?? 'http://dash.example:3000/api/clusters', { method: opts.method ?? 'POST', headers }), opts.env ?? {});
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('forbidden');
    return (err as ApiError).message;
  }
}

describe('assertSameOriginRequest', () => {
  it('passes a same-origin change that echoes its token, and reads nothing of safe methods', () => {
    expect(check(good)).toBeUndefined();
    expect(check({ origin: 'https://evil.example' }, { method: 'GET' })).toBeUndefined();
  });

  it('refuses cross-site and same-site (a sibling host) by Sec-Fetch-Site', () => {
    expect(check({ ...good, 'sec-fetch-site': 'cross-site' })).toMatch(/^Refused a cross-site request/);
    expect(check({ ...good, 'sec-fetch-site': 'same-site' })).toMatch(/^Refused a same-site request/);
  });

  it('refuses an Origin of another host, port or a null one', () => {
    for (const origin of ['https://evil.example', 'http://dash.example:3001', 'http://dash.example.evil:3000', 'null', 'not a url']) {
      expect(check({ ...good, origin }), origin).toMatch(/^Refused a cross-site request from /);
    }
  });

  it('believes X-Forwarded-Host only when told to trust the proxy', () => {
    const behind = { ...good, origin: 'https://dash.corp', 'x-forwarded-host': 'dash.corp', 'x-forwarded-proto': 'https' };
    expect(check(behind)).toMatch(/^Refused a cross-site/);
    expect(check(behind, { env: { FLINK_DASHBOARD_TRUST_PROXY: 'true' } })).toBeUndefined();
    // The scheme counts too once it is known.
    expect(check({ ...behind, origin: 'http://dash.corp' }, { env: { FLINK_DASHBOARD_TRUST_PROXY: 'true' } })).toMatch(/^Refused a cross-site/);
    // A client cannot make itself same-origin by sending the header without a trusted proxy.
    expect(check({ ...good, origin: 'https://evil.example', 'x-forwarded-host': 'evil.example' })).toMatch(/^Refused a cross-site/);
  });

  it('refuses a browser change without the token, with a different one, or with a malformed cookie', () => {
    const { [CSRF_HEADER]: _omit, ...noHeader } = good;
    void _omit;
    expect(check(noHeader)).toMatch(/anti-forgery token/);
    expect(check({ ...good, [CSRF_HEADER]: 'y'.repeat(43) })).toMatch(/anti-forgery token/);
    expect(check({ ...good, [CSRF_HEADER]: TOKEN.slice(1) })).toMatch(/anti-forgery token/);
    expect(check({ ...good, cookie: `${CSRF_COOKIE}=short`, [CSRF_HEADER]: 'short' })).toMatch(/anti-forgery token/);
    // Origin alone (a browser without Sec-Fetch-Site) still needs the token.
    expect(check({ origin: good.origin })).toMatch(/anti-forgery token/);
  });

  it('passes a client that is no browser (neither Sec-Fetch-Site nor Origin)', () => {
    expect(check({})).toBeUndefined();
    expect(check({ cookie: `${CSRF_COOKIE}=${TOKEN}` })).toBeUndefined();
  });

  it('reads its cookie among others', () => {
    expect(readCsrfCookie(`a=1; ${CSRF_COOKIE}=${TOKEN}; b=2`)).toBe(TOKEN);
    expect(readCsrfCookie(`${CSRF_COOKIE}x=${TOKEN}`)).toBeUndefined();
    expect(readCsrfCookie(null)).toBeUndefined();
  });
});
