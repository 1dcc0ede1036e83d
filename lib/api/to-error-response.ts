import { ZodError } from 'zod';
import { ApiError, type ErrorIssue } from './api-error';
import { toErrorCode, toErrorStatus } from './error-codes';
import { logger } from '@/lib/log';

/** An ApiException from @kubernetes/client-node, recognised by shape (its class differs per bundle). */
type UpstreamException = { code: number; body?: unknown };

function isUpstreamException(err: unknown): err is UpstreamException {
  return (
    err instanceof Error &&
    typeof (err as { code?: unknown }).code === 'number' &&
    'body' in err &&
    'headers' in err
  );
}

function toIssues(err: ZodError): ErrorIssue[] {
  return err.issues.map((i) => {
    // Custom issues may carry the upstream wording as params.detail (see cluster-spec-schema).
    const detail = (i as { params?: { detail?: unknown } }).params?.detail;
    return { path: i.path.map(String).join('.'), message: i.message, ...(typeof detail === 'string' ? { detail } : {}) };
  });
}

/** Kubernetes answers errors with a Status object; its `message` carries no headers. */
function readStatusMessage(body: unknown): string | undefined {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (value && typeof value === 'object' && typeof (value as { message?: unknown }).message === 'string') {
    return (value as { message: string }).message;
  }
  return undefined;
}

/** Turns anything thrown into an ApiError. Unknown errors become `internal`; their text is logged, never sent. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof ZodError) return new ApiError('invalid_input', 'The request is not valid.', { issues: toIssues(err) });
  if (isUpstreamException(err)) {
    // The exception's own message embeds response headers: translate by status code only.
    logger.error('upstream error', { status: err.code });
    const code = toErrorCode(err.code);
    return new ApiError(code, readStatusMessage(err.body) ?? `The Kubernetes API answered ${err.code}.`);
  }
  logger.error('internal error', { err });
  return new ApiError('internal', 'Something went wrong on the server.');
}

export function toErrorResponse(err: unknown): Response {
  const apiError = toApiError(err);
  return Response.json(apiError.toBody(), {
    status: toErrorStatus(apiError.code),
    headers: { 'cache-control': 'no-store' },
  });
}
