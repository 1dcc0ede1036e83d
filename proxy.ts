import { NextResponse, type NextRequest } from 'next/server';
import { readAuthConfig } from '@/lib/auth/config';
import { SECURE_SESSION_COOKIE, SESSION_COOKIE, verifySession } from '@/lib/auth/session';

/**
 * Pages need a session in token/oidc mode: without a valid one (signature, expiry) the browser is
 * sent to /login?next=<where it was going>. The API routes check for themselves (lib/api/with-route.ts,
 * 401 with no data, signed-out sessions included), so this is only the pages' redirect.
 */
export function proxy(request: NextRequest) {
  let config;
  try {
    config = readAuthConfig();
  } catch {
    return redirectToLogin(request); // the login page says what is misconfigured
  }
  if (config.mode === 'none') return NextResponse.next();
  const cookie = request.cookies.get(SECURE_SESSION_COOKIE)?.value ?? request.cookies.get(SESSION_COOKIE)?.value;
  if (verifySession(cookie, config.sessionSecret).ok) return NextResponse.next();
  return redirectToLogin(request);
}

function redirectToLogin(request: NextRequest) {
  const url = request.nextUrl.clone();
  const next = `${request.nextUrl.pathname}${request.nextUrl.search}`;
  url.pathname = '/login';
  url.search = next === '/' ? '' : `?next=${encodeURIComponent(next)}`;
  return NextResponse.redirect(url);
}

export const config = {
  // Everything but the API (which answers 401 itself), the login page, health checks and static files.
  matcher: ['/((?!api/|_next/|login|healthz|readyz|favicon\\.ico|icon\\.svg|live-worker\\.js|readme/).*)'],
};
