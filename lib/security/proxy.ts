import { NextResponse, type NextRequest } from 'next/server';
import { createNonce, pageCsp } from './csp';
import { CSRF_COOKIE, readCsrfCookie } from './csrf-token';
import { trustsProxy } from './trust-proxy';

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
 * The security part of proxy.ts, for pages (not /api, not static files): a Content-Security-Policy
 * with a fresh nonce, also handed to Next.js in the request's own CSP header, from which it nonces its
 * scripts; and the anti-forgery cookie for a browser without one (lib/security/csrf.ts). API answers
 * get their policy from next.config.ts: a proxy in front of a route buffers request bodies (10 MB by
 * default), which would cut jar uploads short.
 */
export function securityProxy(request: NextRequest): NextResponse {
  const nonce = createNonce();
  const csp = pageCsp(nonce, { dev: process.env.NODE_ENV !== 'production' });
  const headers = new Headers(request.headers);
  headers.set('x-nonce', nonce);
  headers.set('Content-Security-Policy', csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', csp);
  if (!readCsrfCookie(request.headers.get('cookie'))) {
    response.cookies.set(CSRF_COOKIE, newCsrfToken(), { path: '/', sameSite: 'strict', httpOnly: false, secure: isHttps(request) });
  }
  return response;
}
