import { describe, expect, it } from 'vitest';
import { AuthConfigError, isLoopbackHost, readAuthConfig } from './config';
import { safeNext, signSession, verifySession } from './session';
import { hashToken, matchToken, mintToken, parseTokenEntries } from './tokens';

const SECRET = 'unit-test-session-secret-0123456789abcdef';

describe('session cookies', () => {
  it('round-trips, and refuses a changed payload, another secret and an expired one', () => {
    const { value, sid } = signSession({ mode: 'token', user: 'alice', groups: ['a'] }, SECRET, 60_000, 1_000);
    expect(verifySession(value, SECRET, 2_000)).toEqual({ ok: true, session: { sid, mode: 'token', user: 'alice', groups: ['a'], iat: 1_000, exp: 61_000 } });
    const [body, mac] = value.split('.');
    const forged = Buffer.from(Buffer.from(body, 'base64url').toString().replace('"alice"', '"admin"')).toString('base64url');
    expect(verifySession(`${forged}.${mac}`, SECRET, 2_000)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifySession(value, 'another-secret-0123456789abcdef0123456', 2_000)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifySession(value, SECRET, 61_000)).toEqual({ ok: false, reason: 'expired' });
    expect(verifySession('garbage', SECRET)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifySession(undefined, SECRET)).toEqual({ ok: false, reason: 'missing' });
  });

  it('keeps an OIDC token encrypted in the cookie', () => {
    const idToken = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjYXJvbCJ9.c2lnbmF0dXJl';
    const { value } = signSession({ mode: 'oidc', user: 'carol', groups: [], bearerToken: idToken }, SECRET, 60_000);
    expect(Buffer.from(value.split('.')[0], 'base64url').toString()).not.toContain('eyJzdWIiOiJjYXJvbCJ9');
    const result = verifySession(value, SECRET);
    expect(result.ok && result.session.bearerToken).toBe(idToken);
  });

  it('goes back only to a path of the dashboard', () => {
    expect(safeNext('/clusters/ns/a?x=1')).toBe('/clusters/ns/a?x=1');
    for (const bad of ['//evil.test', 'https://evil.test', '/\\evil.test', '/login', '/api/contexts', undefined]) expect(safeNext(bad)).toBe('/clusters');
  });
});

describe('static tokens', () => {
  it('matches by SHA-256 and reports broken entries by key', () => {
    const token = mintToken();
    expect(token).toMatch(/^fdt_[A-Za-z0-9_-]{43}$/);
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');
    const { entries, problems } = parseTokenEntries({
      alice: b64({ user: 'alice', groups: ['g'], sha256: hashToken(token) }),
      bad: b64({ user: 'bob', sha256: 'plain-token' }),
      notjson: Buffer.from('{').toString('base64'),
    });
    expect(entries).toEqual([{ user: 'alice', groups: ['g'], sha256: hashToken(token) }]);
    expect(problems).toEqual(['entry "bad": sha256 sha256 must be 64 lower-case hex digits', 'entry "notjson" is not JSON']);
    expect(matchToken(token, entries)?.user).toBe('alice');
    expect(matchToken(`${token}x`, entries)).toBeUndefined();
  });
});

describe('configuration', () => {
  it('says in plain words what is wrong', () => {
    const err = (env: Record<string, string | undefined>) => {
      try {
        readAuthConfig(env);
      } catch (e) {
        expect(e).toBeInstanceOf(AuthConfigError);
        return (e as Error).message;
      }
      return undefined;
    };
    expect(readAuthConfig({})).toEqual({ mode: 'none' });
    expect(err({ FLINK_DASHBOARD_AUTH: 'ldap' })).toBe('FLINK_DASHBOARD_AUTH="ldap" is not one of none, token or oidc.');
    expect(err({ FLINK_DASHBOARD_AUTH: 'token' })).toMatch(/^FLINK_DASHBOARD_SESSION_SECRET must be set to at least 32 random characters in token mode/);
    expect(err({ FLINK_DASHBOARD_AUTH: 'token', FLINK_DASHBOARD_SESSION_SECRET: SECRET, FLINK_DASHBOARD_TOKENS_SECRET: 'just-a-name' })).toBe(
      'FLINK_DASHBOARD_TOKENS_SECRET="just-a-name" is not <namespace>/<name> (lower-case letters, digits and \'-\').',
    );
    expect(err({ FLINK_DASHBOARD_AUTH: 'oidc', FLINK_DASHBOARD_SESSION_SECRET: SECRET, FLINK_DASHBOARD_OIDC_ISSUER: 'ftp://x' })).toBe(
      'FLINK_DASHBOARD_OIDC_ISSUER="ftp://x" is not an http(s) URL.',
    );
  });

  it('knows loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost']) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.1', 'example.test', '', undefined]) expect(isLoopbackHost(h)).toBe(false);
  });
});
