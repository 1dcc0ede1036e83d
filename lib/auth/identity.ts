import 'server-only';
import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who a request acts for. Set once per request by the route wrapper (lib/api/with-route.ts) from the
 * session, and read by everything that talks to Kubernetes (impersonation) or records an action (audit).
 *
 * - `mode: 'none'`: no login (loopback or the simulated cluster only). Kubernetes sees the dashboard's
 *   own credentials; `user` is a display name only and is never sent as Impersonate-User.
 * - `mode: 'token' | 'oidc'`: a signed-in user. Kubernetes requests carry Impersonate-User/-Group.
 */
export type Identity = {
  mode: 'none' | 'token' | 'oidc';
  user: string;
  groups: readonly string[];
  /**
   * OIDC mode: the user's id_token, for API servers that trust the issuer (the rbac part may send it
   * as the bearer token instead of impersonating). Server-side only: never serialise an Identity to the browser.
   */
  bearerToken?: string;
  /** The session's id (token/oidc), for audit and sign-out; not a secret by itself, the cookie is. */
  sessionId?: string;
};

const store = new AsyncLocalStorage<Identity>();

/** Runs `fn` (and everything it starts asynchronously) as `identity`. */
export function runAs<T>(identity: Identity, fn: () => T): T {
  return store.run(identity, fn);
}

/** The identity of the request being served, or undefined outside a request (start-up, tests). */
export function currentIdentity(): Identity | undefined {
  return store.getStore();
}
