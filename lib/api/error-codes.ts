// The closed set of error codes on the wire, and the one place they map to HTTP statuses.
export const errorStatus = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  invalid_input: 422,
  too_many_requests: 429,
  internal: 500,
  upstream_error: 502,
  unavailable: 503,
  timeout: 504,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export const errorCodes = Object.keys(errorStatus) as ErrorCode[];

export function toErrorStatus(code: ErrorCode): number {
  return errorStatus[code];
}

/** Picks the code for an HTTP status received from upstream (Kubernetes, Flink). */
export function toErrorCode(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'bad_request';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 410:
      return 'conflict';
    case 413:
      return 'payload_too_large';
    case 422:
      return 'invalid_input';
    case 429:
      return 'too_many_requests';
    case 503:
      return 'unavailable';
    case 504:
      return 'timeout';
    default:
      return status >= 500 ? 'upstream_error' : 'bad_request';
  }
}
