import { ApiError } from '@/lib/api/api-error';
import { withRoute } from '@/lib/api/with-route';
import { authConfigOrThrow } from '@/lib/auth/authenticate';
import { startLogin } from '@/lib/auth/oidc';
import { isHttps, safeNext, signJson } from '@/lib/auth/session';
import { takeSignInAttempt } from '@/lib/auth/sign-in';

export const dynamic = 'force-dynamic';

const OIDC_STATE_COOKIE = 'fd_oidc';
const STATE_TTL_MS = 10 * 60_000;

/** GET /api/auth/oidc/login?next=/path → 302 to the provider (PKCE, state, nonce kept in a signed 10-minute cookie). */
export const GET = withRoute(
  async (request) => {
    const config = authConfigOrThrow();
    if (config.mode !== 'oidc') throw new ApiError('bad_request', 'This dashboard does not sign in with OpenID Connect.');
    takeSignInAttempt(request);
    const next = safeNext(new URL(request.url).searchParams.get('next'));
    const { url, pending } = await startLogin(config.oidc, next);
    const value = signJson(pending, config.sessionSecret, 'oidc-state', Date.now() + STATE_TTL_MS);
    const secure = isHttps(request) ? '; Secure' : '';
    return new Response(null, {
      status: 302,
      headers: {
        location: url,
        'cache-control': 'no-store',
        // Lax: the provider's redirect back is a top-level GET, which carries Lax cookies.
        'set-cookie': `${OIDC_STATE_COOKIE}=${value}; Path=/api/auth/oidc; HttpOnly; SameSite=Lax; Max-Age=${STATE_TTL_MS / 1000}${secure}`,
      },
    });
  },
  { access: 'public' },
);
