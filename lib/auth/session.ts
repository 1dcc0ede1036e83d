import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** The session cookie. `__Host-` needs Secure, so it is used on https only. */
export const SESSION_COOKIE = 'fd_session';
export const SECURE_SESSION_COOKIE = '__Host-fd_session';

/**
 * What the signed cookie carries. `bt` is the OIDC id_token encrypted (AES-256-GCM, key derived from
 * the session secret): the browser holds only ciphertext it cannot read, and the server decrypts it
 * per request for Kubernetes.
 */
const payloadSchema = z.object({
  v: z.literal(1),
  sid: z.string().min(16).max(64),
  mode: z.enum(['token', 'oidc']),
  user: z.string().min(1).max(256),
  groups: z.array(z.string().max(256)).max(256),
  iat: z.number(),
  exp: z.number(),
  bt: z.string().max(16_000).optional(),
});
export type SessionPayload = z.infer<typeof payloadSchema>;

export type Session = Omit<SessionPayload, 'v' | 'bt'> & { bearerToken?: string };

function key(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'flink-dashboard', purpose, 32));
}

function mac(secret: string, data: string): Buffer {
  return createHmac('sha256', key(secret, 'session-mac')).update(data).digest();
}

function encrypt(secret: string, text: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(secret, 'session-enc'), iv);
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

function decrypt(secret: string, data: string): string | undefined {
  try {
    const raw = Buffer.from(data, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key(secret, 'session-enc'), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

export function newSessionId(): string {
  return randomBytes(18).toString('base64url');
}

/** A cookie value: base64url(JSON payload) "." base64url(HMAC-SHA256 of it). */
export function signSession(
  session: { mode: 'token' | 'oidc'; user: string; groups: readonly string[]; bearerToken?: string },
  secret: string,
  ttlMs: number,
  now = Date.now(),
): { value: string; sid: string; exp: number } {
  const sid = newSessionId();
  const payload: SessionPayload = {
    v: 1,
    sid,
    mode: session.mode,
    user: session.user,
    groups: [...session.groups],
    iat: now,
    exp: now + ttlMs,
    ...(session.bearerToken ? { bt: encrypt(secret, session.bearerToken) } : {}),
  };
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return { value: `${body}.${mac(secret, body).toString('base64url')}`, sid, exp: payload.exp };
}

export type VerifyResult = { ok: true; session: Session } | { ok: false; reason: 'missing' | 'malformed' | 'bad_signature' | 'expired' };

/** Checks the signature (constant time), the shape and the expiry. A cookie of another deployment fails the signature. */
export function verifySession(value: string | undefined, secret: string, now = Date.now()): VerifyResult {
  if (!value) return { ok: false, reason: 'missing' };
  const dot = value.indexOf('.');
  if (dot <= 0 || dot !== value.lastIndexOf('.')) return { ok: false, reason: 'malformed' };
  const body = value.slice(0, dot);
  const given = Buffer.from(value.slice(dot + 1), 'base64url');
  const expected = mac(secret, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
  let parsed: SessionPayload;
  try {
    parsed = payloadSchema.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (parsed.exp <= now) return { ok: false, reason: 'expired' };
  const bearerToken = parsed.bt ? decrypt(secret, parsed.bt) : undefined;
  if (parsed.bt && bearerToken === undefined) return { ok: false, reason: 'malformed' };
  const session: Session = { sid: parsed.sid, mode: parsed.mode, user: parsed.user, groups: parsed.groups, iat: parsed.iat, exp: parsed.exp };
  if (bearerToken) session.bearerToken = bearerToken;
  return { ok: true, session };
}

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const v = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(v);
      } catch {
        return v;
      }
    }
  }
  return undefined;
}

export function isHttps(request: Request): boolean {
  const proto = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
  return proto ? proto === 'https' : new URL(request.url).protocol === 'https:';
}

/** The session cookie's value from a request (either name). */
export function sessionCookieOf(request: Request): string | undefined {
  const header = request.headers.get('cookie');
  return readCookie(header, SECURE_SESSION_COOKIE) ?? readCookie(header, SESSION_COOKIE);
}

/** Set-Cookie for a new session: httpOnly, SameSite=Lax, Secure (and __Host-) on https, expiring with it. */
export function sessionSetCookie(request: Request, value: string, exp: number): string {
  const secure = isHttps(request);
  const name = secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
  const maxAge = Math.max(0, Math.floor((exp - Date.now()) / 1000));
  return `${name}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
}

/** Set-Cookie headers that clear both cookie names. */
export function clearSessionCookies(request: Request): string[] {
  const secure = isHttps(request);
  return [
    `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? '; Secure' : ''}`,
    ...(secure ? [`${SECURE_SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure`] : []),
  ];
}

/** A short, non-reversible label of a session id for logs. */
export function sessionLabel(sid: string): string {
  return createHash('sha256').update(sid).digest('hex').slice(0, 12);
}

/** A small signed JSON value for other short-lived cookies (the OIDC login's state): body.mac, expiring. */
export function signJson(value: Record<string, unknown>, secret: string, purpose: string, exp: number): string {
  const body = Buffer.from(JSON.stringify({ ...value, exp }), 'utf8').toString('base64url');
  return `${body}.${createHmac('sha256', key(secret, purpose)).update(body).digest('base64url')}`;
}

export function verifyJson(token: string | undefined, secret: string, purpose: string, now = Date.now()): Record<string, unknown> | undefined {
  if (!token) return undefined;
  const [body, sig, extra] = token.split('.');
  if (!body || !sig || extra !== undefined) return undefined;
  const given = Buffer.from(sig, 'base64url');
  const expected = createHmac('sha256', key(secret, purpose)).update(body).digest();
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    if (!parsed || typeof parsed !== 'object') return undefined;
    const exp = (parsed as { exp?: unknown }).exp;
    if (typeof exp !== 'number' || exp <= now) return undefined;
    return parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** A path inside the dashboard to go to after signing in (never another site). */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.startsWith('/login') || next.startsWith('/api/')) return '/clusters';
  return next;
}
