import 'server-only';
import { ApiError } from '@/lib/api/api-error';
import type { Identity } from './identity';
import { AuthConfigError, readAuthConfig, type AuthConfig } from './config';
import { noneModeProblem } from './none-mode';
import { isRevoked } from './revocation';
import { sessionCookieOf, verifySession } from './session';

export const ANONYMOUS: Identity = Object.freeze({ mode: 'none', user: 'anonymous', groups: Object.freeze([]) as readonly string[] });

/** The configuration, or a 503 that says what is wrong with it. */
export function authConfigOrThrow(): AuthConfig {
  try {
    return readAuthConfig();
  } catch (err) {
    if (err instanceof AuthConfigError) throw new ApiError('unavailable', `The dashboard's sign-in is misconfigured: ${err.message}`);
    throw err;
  }
}

/**
 * Who sent `request`: in mode none, anonymous (where allowed); otherwise the user of a valid,
 * unexpired session cookie signed with this deployment's secret and not signed out. Anything else
 * is a 401 (no data) or, when the configuration itself is wrong, a 503 with the reason.
 */
export async function authenticate(request: Request): Promise<Identity> {
  const config = authConfigOrThrow();
  if (config.mode === 'none') {
    const problem = await noneModeProblem();
    if (problem) throw new ApiError('unavailable', problem);
    return ANONYMOUS;
  }
  const result = verifySession(sessionCookieOf(request), config.sessionSecret);
  if (!result.ok) {
    const why = {
      missing: 'You are not signed in.',
      malformed: 'Your session cookie is not valid.',
      bad_signature: 'Your session was not issued by this dashboard.',
      expired: 'Your session has expired.',
    }[result.reason];
    throw new ApiError('unauthorized', `${why} Sign in at /login.`);
  }
  const s = result.session;
  if (s.mode !== config.mode) throw new ApiError('unauthorized', 'Your session was issued for another sign-in mode. Sign in at /login.');
  if (config.stateRef) {
    let revoked: boolean;
    try {
      revoked = await isRevoked(config.stateRef, s.sid);
    } catch (err) {
      throw new ApiError('unavailable', 'The dashboard cannot read its list of signed-out sessions from Kubernetes; try again shortly.', { cause: err });
    }
    if (revoked) throw new ApiError('unauthorized', 'This session was signed out. Sign in at /login.');
  }
  return { mode: s.mode, user: s.user, groups: s.groups, sessionId: s.sid, ...(s.bearerToken ? { bearerToken: s.bearerToken } : {}) };
}
