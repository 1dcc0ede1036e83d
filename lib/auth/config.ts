import { z } from 'zod';

/**
 * How people sign in, from the environment (read on every call: cheap, and a test may change it).
 *
 * - FLINK_DASHBOARD_AUTH=none|token|oidc (default none)
 * - FLINK_DASHBOARD_SESSION_SECRET: HMAC key of the session cookie (token/oidc; at least 32 characters;
 *   every replica of one deployment shares it)
 * - FLINK_DASHBOARD_SESSION_HOURS: how long a session lasts (default 12)
 * - token: FLINK_DASHBOARD_TOKENS_SECRET=<namespace>/<name>
 * - oidc: FLINK_DASHBOARD_OIDC_ISSUER, _CLIENT_ID, _CLIENT_SECRET (optional: a public client),
 *   _REDIRECT_URL (…/api/auth/oidc/callback), _SCOPES (default "openid profile email"),
 *   _USER_CLAIM (default preferred_username, then sub), _GROUPS_CLAIM (default groups),
 *   _PROVIDER_NAME (shown on the login button; default the issuer's host)
 */
export type AuthMode = 'none' | 'token' | 'oidc';

export type SecretRef = { namespace: string; name: string };

export type OidcConfig = {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  redirectUrl: string;
  scopes: string;
  userClaim: string;
  groupsClaim: string;
  providerName: string;
};

export type AuthConfig =
  | { mode: 'none' }
  | { mode: 'token'; sessionSecret: string; sessionTtlMs: number; tokensSecret: SecretRef; stateRef: SecretRef }
  | { mode: 'oidc'; sessionSecret: string; sessionTtlMs: number; oidc: OidcConfig; stateRef?: SecretRef };

/** A configuration the dashboard cannot run with; the message says which variable and why. */
export class AuthConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthConfigError';
  }
}

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dnsSubdomain = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

function secretRef(variable: string, value: string | undefined): SecretRef {
  if (!value) throw new AuthConfigError(`${variable} is not set: name the Secret as <namespace>/<name>.`);
  const [namespace, name, ...rest] = value.split('/');
  if (rest.length || !namespace || !name || !dnsLabel.test(namespace) || namespace.length > 63 || !dnsSubdomain.test(name) || name.length > 253) {
    throw new AuthConfigError(`${variable}="${value}" is not <namespace>/<name> (lower-case letters, digits and '-').`);
  }
  return { namespace, name };
}

const url = z.url({ protocol: /^https?$/ });

function requireUrl(variable: string, value: string | undefined): string {
  if (!value) throw new AuthConfigError(`${variable} is not set.`);
  if (!url.safeParse(value).success) throw new AuthConfigError(`${variable}="${value}" is not an http(s) URL.`);
  return value;
}

/** The Kubernetes object (ConfigMap) where signed-out session ids are recorded. */
export const REVOKED_SESSIONS_NAME = 'flink-dashboard-signed-out';

export function readAuthConfig(env: Record<string, string | undefined> = process.env): AuthConfig {
  const raw = (env.FLINK_DASHBOARD_AUTH ?? '').trim().toLowerCase() || 'none';
  if (raw !== 'none' && raw !== 'token' && raw !== 'oidc') {
    throw new AuthConfigError(`FLINK_DASHBOARD_AUTH="${env.FLINK_DASHBOARD_AUTH}" is not one of none, token or oidc.`);
  }
  if (raw === 'none') return { mode: 'none' };
  const sessionSecret = env.FLINK_DASHBOARD_SESSION_SECRET ?? '';
  if (sessionSecret.length < 32) {
    throw new AuthConfigError(
      `FLINK_DASHBOARD_SESSION_SECRET must be set to at least 32 random characters in ${raw} mode (every replica uses the same one), e.g. from \`openssl rand -base64 48\`.`,
    );
  }
  const hours = env.FLINK_DASHBOARD_SESSION_HOURS ? Number(env.FLINK_DASHBOARD_SESSION_HOURS) : 12;
  if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 30) {
    throw new AuthConfigError(`FLINK_DASHBOARD_SESSION_HOURS="${env.FLINK_DASHBOARD_SESSION_HOURS}" must be a number of hours between 0 and 720.`);
  }
  const sessionTtlMs = Math.round(hours * 3_600_000);
  if (raw === 'token') {
    const tokensSecret = secretRef('FLINK_DASHBOARD_TOKENS_SECRET', env.FLINK_DASHBOARD_TOKENS_SECRET);
    return { mode: 'token', sessionSecret, sessionTtlMs, tokensSecret, stateRef: { namespace: tokensSecret.namespace, name: REVOKED_SESSIONS_NAME } };
  }
  const issuer = requireUrl('FLINK_DASHBOARD_OIDC_ISSUER', env.FLINK_DASHBOARD_OIDC_ISSUER);
  const clientId = env.FLINK_DASHBOARD_OIDC_CLIENT_ID;
  if (!clientId) throw new AuthConfigError('FLINK_DASHBOARD_OIDC_CLIENT_ID is not set.');
  const redirectUrl = requireUrl('FLINK_DASHBOARD_OIDC_REDIRECT_URL', env.FLINK_DASHBOARD_OIDC_REDIRECT_URL);
  const ns = env.FLINK_DASHBOARD_NAMESPACE;
  if (ns && !dnsLabel.test(ns)) throw new AuthConfigError(`FLINK_DASHBOARD_NAMESPACE="${ns}" is not a namespace name.`);
  return {
    mode: 'oidc',
    sessionSecret,
    sessionTtlMs,
    stateRef: ns ? { namespace: ns, name: REVOKED_SESSIONS_NAME } : undefined,
    oidc: {
      issuer,
      clientId,
      clientSecret: env.FLINK_DASHBOARD_OIDC_CLIENT_SECRET || undefined,
      redirectUrl,
      scopes: env.FLINK_DASHBOARD_OIDC_SCOPES || 'openid profile email',
      userClaim: env.FLINK_DASHBOARD_OIDC_USER_CLAIM || 'preferred_username',
      groupsClaim: env.FLINK_DASHBOARD_OIDC_GROUPS_CLAIM || 'groups',
      providerName: env.FLINK_DASHBOARD_OIDC_PROVIDER_NAME || new URL(issuer).host,
    },
  };
}

/** Whether a host name or address (as given to -H / HOSTNAME) is a loopback one. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}
