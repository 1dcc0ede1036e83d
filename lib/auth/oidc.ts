import 'server-only';
import * as oidc from 'openid-client';
import { ApiError } from '@/lib/api/api-error';
import { isLoopbackHost, type OidcConfig } from './config';

/**
 * OpenID Connect sign-in: authorization code with PKCE (S256), state and nonce, through openid-client.
 * Discovery is cached per issuer and client; plain http is allowed only for an issuer on loopback (tests, local providers).
 */
const g = globalThis as unknown as { __flinkDashOidc?: Map<string, Promise<oidc.Configuration>> };
const configs = (g.__flinkDashOidc ??= new Map());

export function discover(c: OidcConfig): Promise<oidc.Configuration> {
  const key = `${c.issuer}|${c.clientId}|${c.clientSecret ?? ''}`;
  let p = configs.get(key);
  if (!p) {
    const issuer = new URL(c.issuer);
    const insecure = issuer.protocol === 'http:' && isLoopbackHost(issuer.hostname);
    p = oidc
      .discovery(issuer, c.clientId, c.clientSecret, c.clientSecret ? undefined : oidc.None(), insecure ? { execute: [oidc.allowInsecureRequests] } : undefined)
      .catch((err: unknown) => {
        configs.delete(key);
        throw new ApiError('unavailable', `The OpenID provider ${c.issuer} cannot be reached or its discovery document is not valid: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      });
    configs.set(key, p);
  }
  return p;
}

export type PendingLogin = { verifier: string; state: string; nonce: string; next: string };

/** Where to send the browser to sign in, and what to remember (in a signed cookie) until it comes back. */
export async function startLogin(c: OidcConfig, next: string): Promise<{ url: string; pending: PendingLogin }> {
  const config = await discover(c);
  const verifier = oidc.randomPKCECodeVerifier();
  const pending: PendingLogin = { verifier, state: oidc.randomState(), nonce: oidc.randomNonce(), next };
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: c.redirectUrl,
    scope: c.scopes,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: pending.state,
    nonce: pending.nonce,
  });
  return { url: url.href, pending };
}

function claimString(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 && v.length <= 256 ? v : undefined;
}

/** Exchanges the code (with the PKCE verifier), checks state and nonce, and reads the user and groups claims. */
export async function finishLogin(
  c: OidcConfig,
  callbackSearch: string,
  pending: PendingLogin,
): Promise<{ user: string; groups: string[]; idToken: string }> {
  const config = await discover(c);
  const current = new URL(c.redirectUrl);
  current.search = callbackSearch;
  let tokens;
  try {
    tokens = await oidc.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
    const msg = (err instanceof Error ? err.message : String(err)) + cause;
    const desc = err && typeof err === 'object' && 'error_description' in err ? String((err as { error_description?: unknown }).error_description) : '';
    throw new ApiError('unauthorized', `Sign-in with ${c.providerName} failed: ${desc || msg}`, { cause: err });
  }
  const claims = tokens.claims();
  if (!claims || !tokens.id_token) throw new ApiError('unauthorized', `${c.providerName} returned no ID token.`);
  const user = claimString(claims[c.userClaim]) ?? claimString(claims.sub);
  if (!user) throw new ApiError('unauthorized', `${c.providerName}'s ID token has no "${c.userClaim}" claim.`);
  const rawGroups = claims[c.groupsClaim];
  const groups = Array.isArray(rawGroups) ? rawGroups.filter((x): x is string => typeof x === 'string' && x.length > 0 && x.length <= 256).slice(0, 256) : [];
  return { user, groups, idToken: tokens.id_token };
}
