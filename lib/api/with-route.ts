import { assertSameOriginRequest } from '@/lib/security/csrf';
import { toErrorResponse } from './to-error-response';

type Handler<C> = (request: Request, context: C) => Promise<Response> | Response;

/** Wraps every route export: the only try/catch, so every error leaves in the one shape. */
export function withRoute<C = unknown>(handler: Handler<C>): (request: Request, context: C) => Promise<Response> {
  return async (request, context) => {
    try {
      assertSameOriginRequest(request);
      return await handler(request, context);
    } catch (err) {
      return toErrorResponse(err);
    }
  };
}
