import { ApiError, isApiError } from '@/lib/api/api-error';
import { withRoute } from '@/lib/api/with-route';
import { authConfigOrThrow } from '@/lib/auth/authenticate';
import { finishLogin, type PendingLogin } from '@/lib/auth/oidc';
import { isHttps, readCookie, safeNext, sessionSetCookie, signSession, verifyJson } from '@/lib/auth/session';

export const dynamic = 'force-dynamic';

const OIDC_STATE_COOKIE = 'fd_oidc';

/** GET /api/auth/oidc/callback?code&state → 302 to where the user was going, with the session cookie. */
export const GET = withRoute(
  async (request) => {
    try {
      return await callback(request);
    } catch (err) {
      // The browser came here by navigation: back to the login page, which shows the reason.
      if (!isApiError(err)) throw err;
      return new Response(null, { status: 302, headers: { location: `/login?error=${encodeURIComponent(err.message)}`, 'cache-control': 'no-store' } });
    }
  },
  { access: 'public' },
);

async function callback(request: Request): Promise<Response> {
    const config = authConfigOrThrow();
    if (config.mode !== 'oidc') throw new ApiError('bad_request', 'This dashboard does not sign in with OpenID Connect.');
    const url = new URL(request.url);
    const providerError = url.searchParams.get('error');
    if (providerError) {
      const desc = url.searchParams.get('error_description');
      throw new ApiError('unauthorized', `${config.oidc.providerName} did not sign you in: ${desc || providerError}.`);
    }
    const raw = verifyJson(readCookie(request.headers.get('cookie'), OIDC_STATE_COOKIE), config.sessionSecret, 'oidc-state');
    if (!raw || typeof raw.verifier !== 'string' || typeof raw.state !== 'string' || typeof raw.nonce !== 'string') {
      throw new ApiError('unauthorized', 'This sign-in was not started here or took longer than 10 minutes. Start again at /login.');
    }
    const pending: PendingLogin = { verifier: raw.verifier, state: raw.state, nonce: raw.nonce, next: safeNext(typeof raw.next === 'string' ? raw.next : undefined) };
    const { user, groups, idToken } = await finishLogin(config.oidc, url.search, pending);
    const { value, exp } = signSession({ mode: 'oidc', user, groups, bearerToken: idToken }, config.sessionSecret, config.sessionTtlMs);
    const headers = new Headers({ location: pending.next, 'cache-control': 'no-store' });
    headers.append('set-cookie', sessionSetCookie(request, value, exp));
    headers.append('set-cookie', `${OIDC_STATE_COOKIE}=; Path=/api/auth/oidc; HttpOnly; SameSite=Lax; Max-Age=0${isHttps(request) ? '; Secure' : ''}`);
    return new Response(null, { status: 302, headers });
}
