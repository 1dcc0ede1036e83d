import { NextResponse, type NextRequest } from 'next/server';
import { readAuthConfig } from '@/lib/auth/config';
import { SECURE_SESSION_COOKIE, SESSION_COOKIE, verifySession } from '@/lib/auth/session';
import { securityProxy } from '@/lib/security/proxy';

/**
 * For pages (a proxy in front of /api would buffer, and cut short, jar uploads; the API routes check
 * sessions themselves, lib/api/with-route.ts, and get their headers from next.config.ts):
 * - in token/oidc mode, a page needs a valid session (signature, expiry); without one the browser is
 *   sent to /login?next=<where it was going>;
 * - every page gets the security headers, the CSP nonce and the anti-forgery cookie (lib/security/proxy.ts).
 */
export function proxy(request: NextRequest) {
  if (!isPublicPage(request.nextUrl.pathname) && !hasSession(request)) return redirectToLogin(request);
  return securityProxy(request);
}

function isPublicPage(path: string): boolean {
  return path === '/login' || path.startsWith('/login/') || path === '/healthz' || path === '/readyz' || path === '/live-worker.js' || path.startsWith('/readme/');
}

function hasSession(request: NextRequest): boolean {
  let config;
  try {
    config = readAuthConfig();
  } catch {
    return false; // the login page says what is misconfigured
  }
  if (config.mode === 'none') return true;
  const cookie = request.cookies.get(SECURE_SESSION_COOKIE)?.value ?? request.cookies.get(SESSION_COOKIE)?.value;
  return verifySession(cookie, config.sessionSecret).ok;
}

function redirectToLogin(request: NextRequest) {
  const url = request.nextUrl.clone();
  const next = `${request.nextUrl.pathname}${request.nextUrl.search}`;
  url.pathname = '/login';
  url.search = next === '/' ? '' : `?next=${encodeURIComponent(next)}`;
  return NextResponse.redirect(url);
}

export const config = {
  // Pages only: not the API (see above) nor Next's static files.
  matcher: ['/((?!api/|_next/static|_next/image|favicon.ico|icon.svg).*)'],
};
