import { withRoute } from '@/lib/api/with-route';
import { authConfigOrThrow, authenticate } from '@/lib/auth/authenticate';
import { isApiError } from '@/lib/api/api-error';

export const dynamic = 'force-dynamic';

/**
 * GET /api/auth/session → { mode, signedIn, user?, groups?, providerName?, problem? }: who is signed
 * in, for the shell and the login page. Public (it tells only the caller's own state); never tokens.
 */
export const GET = withRoute(
  async (request) => {
    const headers = { 'cache-control': 'no-store' };
    let mode: string;
    let providerName: string | undefined;
    try {
      const config = authConfigOrThrow();
      mode = config.mode;
      providerName = config.mode === 'oidc' ? config.oidc.providerName : undefined;
    } catch (err) {
      return Response.json({ mode: 'unknown', signedIn: false, problem: isApiError(err) ? err.message : 'Sign-in is misconfigured.' }, { headers });
    }
    try {
      const id = await authenticate(request);
      return Response.json({ mode, signedIn: mode !== 'none', user: id.user, groups: id.groups, ...(providerName ? { providerName } : {}) }, { headers });
    } catch (err) {
      if (isApiError(err) && err.code === 'unauthorized') return Response.json({ mode, signedIn: false, ...(providerName ? { providerName } : {}) }, { headers });
      if (isApiError(err)) return Response.json({ mode, signedIn: false, problem: err.message }, { headers });
      throw err;
    }
  },
  { access: 'public' },
);
