import type { ErrorCode } from './error-codes';

/** A field's problem: `message` in plain words; `detail` the original Kubernetes/Flink wording, when there is one. */
export type ErrorIssue = { path: string; message: string; detail?: string };

/**
 * The body of every error answer: `{ error: { code, message, issues?, details?, detail? } }`.
 * `detail` is the long upstream text behind the message (e.g. Flink's Java stack trace), which the UI
 * shows only on request ("Show details"); it is never the message itself.
 */
export type ErrorBody = {
  error: { code: ErrorCode; message: string; issues?: ErrorIssue[]; details?: Record<string, unknown>; detail?: string };
};

/** The one error type routes throw. Its message is safe to show to the user. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly issues?: ErrorIssue[];
  /** Machine-readable facts the UI acts on (e.g. `{ haLeftovers: string[] }`); never secrets or raw upstream text. */
  readonly details?: Record<string, unknown>;
  /** The long upstream text (a Flink stack trace) shown behind "Show details"; never secrets. */
  readonly detail?: string;

  constructor(
    code: ErrorCode,
    message: string,
    options?: { issues?: ErrorIssue[]; details?: Record<string, unknown>; detail?: string; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ApiError';
    this.code = code;
    this.issues = options?.issues;
    this.details = options?.details;
    this.detail = options?.detail;
  }

  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.issues ? { issues: this.issues } : {}),
        ...(this.details ? { details: this.details } : {}),
        ...(this.detail ? { detail: this.detail } : {}),
      },
    };
  }
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}
