import { withRoute } from '@/lib/api/with-route';
import { authConfigOrThrow } from '@/lib/auth/authenticate';
import { revoke } from '@/lib/auth/revocation';
import { clearSessionCookies, sessionCookieOf, verifySession } from '@/lib/auth/session';

export const dynamic = 'force-dynamic';

/**
 * POST /api/auth/logout → 200 { signedOut: true }: clears the cookie and records the session as
 * signed out (where the dashboard has a place for that), so a copy of the cookie no longer works either.
 */
export const POST = withRoute(
  async (request) => {
    const config = authConfigOrThrow();
    let recorded = false;
    if (config.mode !== 'none') {
      const result = verifySession(sessionCookieOf(request), config.sessionSecret);
      if (result.ok && config.stateRef) {
        await revoke(config.stateRef, result.session.sid, result.session.exp);
        recorded = true;
      }
    }
    const headers = new Headers({ 'cache-control': 'no-store' });
    for (const c of clearSessionCookies(request)) headers.append('set-cookie', c);
    return Response.json({ signedOut: true, revoked: recorded }, { headers });
  },
  { access: 'public' },
);
