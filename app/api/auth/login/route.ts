import { z } from 'zod';
import { ApiError } from '@/lib/api/api-error';
import { withRoute } from '@/lib/api/with-route';
import { authConfigOrThrow } from '@/lib/auth/authenticate';
import { sessionSetCookie, signSession } from '@/lib/auth/session';
import { takeSignInAttempt, userForToken } from '@/lib/auth/sign-in';

export const dynamic = 'force-dynamic';

const bodySchema = z.strictObject({ token: z.string().trim().min(1, 'Enter your token.').max(512, 'A token is at most 512 characters.') });

/** POST /api/auth/login { token } → 200 { user, groups } with the session cookie (static-token mode). */
export const POST = withRoute(
  async (request) => {
    const config = authConfigOrThrow();
    if (config.mode !== 'token') {
      throw new ApiError('bad_request', config.mode === 'none' ? 'Sign-in is off on this dashboard (no login needed).' : 'This dashboard signs in with OpenID Connect, not tokens.');
    }
    takeSignInAttempt(request);
    let json: unknown;
    try {
      json = await request.json();
    } catch {
      throw new ApiError('bad_request', 'The body must be JSON: {"token": "…"}.');
    }
    const { token } = bodySchema.parse(json);
    const entry = await userForToken(config.tokensSecret, token);
    const { value, exp } = signSession({ mode: 'token', user: entry.user, groups: entry.groups }, config.sessionSecret, config.sessionTtlMs);
    return Response.json(
      { user: entry.user, groups: entry.groups, expiresAt: new Date(exp).toISOString() },
      { headers: { 'set-cookie': sessionSetCookie(request, value, exp), 'cache-control': 'no-store' } },
    );
  },
  { access: 'public' },
);
