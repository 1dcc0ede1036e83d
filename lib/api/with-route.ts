import { authenticate } from '@/lib/auth/authenticate';
import { runAs } from '@/lib/auth/identity';
import { assertSameOriginRequest } from '@/lib/security/csrf';
import { toErrorResponse } from './to-error-response';

type Handler<C> = (request: Request, context: C) => Promise<Response> | Response;

export type RouteOptions = {
  /**
   * `public`: served without a session (the sign-in routes only). Every other route first
   * authenticates the request (401 with no data without a valid session in token/oidc mode) and
   * runs as the caller's identity (lib/auth/identity.ts).
   */
  access?: 'signed-in' | 'public';
};

/** Wraps every route export: the only try/catch, so every error leaves in the one shape. */
export function withRoute<C = unknown>(handler: Handler<C>, options: RouteOptions = {}): (request: Request, context: C) => Promise<Response> {
  return async (request, context) => {
    try {
      // Cross-site writes are refused first, sign-in included (lib/security/csrf.ts).
      assertSameOriginRequest(request);
      if (options.access === 'public') return await handler(request, context);
      const identity = await authenticate(request);
      return await runAs(identity, () => handler(request, context));
    } catch (err) {
      return toErrorResponse(err);
    }
  };
}
