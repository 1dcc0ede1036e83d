import { ZodError } from 'zod';
import { ApiError, type ErrorIssue } from './api-error';
import { toErrorCode, toErrorStatus } from './error-codes';
import { logger } from '@/lib/log';
import { UNKNOWN_FIELD_SEPARATOR } from './strict-object';

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
  return err.issues.flatMap((i): ErrorIssue[] => {
    if (i.code === 'unrecognized_keys') {
      // One issue per unknown field, at the field's own path (strict-object.ts joins their messages).
      const messages = i.message.split(UNKNOWN_FIELD_SEPARATOR);
      return i.keys.map((key, n) => ({
        path: [...i.path.map(String), key].join('.'),
        message: messages.length === i.keys.length ? messages[n] : `Unknown field "${JSON.stringify(key).slice(1, -1)}"`,
      }));
    }
    // Custom issues may carry the upstream wording as params.detail (see cluster-spec-schema).
    const detail = (i as { params?: { detail?: unknown } }).params?.detail;
    return [{ path: i.path.map(String).join('.'), message: i.message, ...(typeof detail === 'string' ? { detail } : {}) }];
  });
}

/** The message of a refused body: an unknown field is named first, in plain words, with its path. */
function invalidInputMessage(err: ZodError, issues: ErrorIssue[]): string {
  const unknown = err.issues.find((i) => i.code === 'unrecognized_keys');
  if (!unknown) return 'The request is not valid.';
  const first = issues.find((i) => i.message.startsWith('Unknown field'));
  if (!first) return 'The request is not valid.';
  const nested = first.path.includes('.') ? ` at ${first.path}` : '';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  return `${first.message}${nested}${more}. Nothing was changed.`;
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
  if (err instanceof ZodError) {
    const issues = toIssues(err);
    return new ApiError('invalid_input', invalidInputMessage(err, issues), { issues });
  }
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
