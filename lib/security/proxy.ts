import { NextResponse, type NextRequest } from 'next/server';
import { API_CSP, createNonce, pageCsp } from './csp';
import { CSRF_COOKIE, readCsrfCookie } from './csrf-token';
import { trustsProxy } from './trust-proxy';

/** The JobManager's own web UI: its route sets a sandboxed policy of its own (flink-ui/route.ts). */
const FLINK_UI = /^\/api\/clusters\/[^/]+\/[^/]+\/flink-ui(\/|$)/;

function newCsrfToken(): string {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64url');
}

function isHttps(request: NextRequest): boolean {
  if (trustsProxy()) {
    const proto = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
    if (proto) return proto === 'https';
  }
  return request.nextUrl.protocol === 'https:';
}

/**
 * The security part of proxy.ts, for every request but static files:
 * - pages get a Content-Security-Policy with a fresh nonce, also handed to Next.js in the request's
 *   own CSP header, from which it nonces its scripts;
 * - API answers get a policy that loads nothing and may not be framed;
 * - a browser without the anti-forgery cookie gets one (lib/security/csrf.ts).
 */
export function securityProxy(request: NextRequest): NextResponse {
  const path = request.nextUrl.pathname;
  let response: NextResponse;
  if (path.startsWith('/api/')) {
    response = NextResponse.next();
    if (!FLINK_UI.test(path)) response.headers.set('Content-Security-Policy', API_CSP);
  } else {
    const nonce = createNonce();
    const csp = pageCsp(nonce, { dev: process.env.NODE_ENV !== 'production' });
    const headers = new Headers(request.headers);
    headers.set('x-nonce', nonce);
    headers.set('Content-Security-Policy', csp);
    response = NextResponse.next({ request: { headers } });
    response.headers.set('Content-Security-Policy', csp);
  }
  if (!readCsrfCookie(request.headers.get('cookie'))) {
    response.cookies.set(CSRF_COOKIE, newCsrfToken(), { path: '/', sameSite: 'strict', httpOnly: false, secure: isHttps(request) });
  }
  return response;
}
