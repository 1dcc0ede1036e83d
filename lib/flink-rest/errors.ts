// How a JobManager REST answer that is not 2xx (or no answer at all) becomes the dashboard's one error:
// a short message in plain words, and Flink's full text (Java stack trace) as `detail`, shown on request.
import { ApiError } from '@/lib/api/api-error';
import { toErrorCode, type ErrorCode } from '@/lib/api/error-codes';

/** Why a call failed: Flink answered with an error, the API server's proxy answered for it, or nothing answered. */
export type FlinkRestFailure = 'flink' | 'proxy' | 'timeout' | 'unreachable' | 'not-json';

/**
 * Thrown by the Flink REST client. An ApiError, so a route that lets it through answers in the one shape
 * (`{ error: { code, message, detail? } }`): `message` is short and safe to show, `detail` is Flink's
 * full error text (stack trace) and `flinkMessage` Flink's own first line without the exception class.
 */
export class FlinkRestError extends ApiError {
  constructor(
    message: string,
    readonly failure: FlinkRestFailure,
    readonly status?: number,
    options: { code?: ErrorCode; detail?: string; flinkMessage?: string; cause?: unknown } = {},
  ) {
    super(options.code ?? (status === undefined ? 'unavailable' : flinkStatusCode(status)), message, {
      detail: options.detail,
      cause: options.cause,
    });
    this.name = 'FlinkRestError';
    this.flinkMessage = options.flinkMessage;
  }
  /** Flink's own words (first line of its first error, without the `org.apache…Exception:` prefix). */
  readonly flinkMessage?: string;

  /** True for what Flink's RestClusterClient retries: a 503 (leader election, proxy without endpoint) or no connection. */
  get retryable(): boolean {
    return this.status === 503 || this.failure === 'unreachable';
  }
}

export function isFlinkRestError(err: unknown): err is FlinkRestError {
  return err instanceof FlinkRestError;
}

/** Flink's 5xx are the JobManager's problem (502 upstream), except 503/504 which keep their meaning. */
function flinkStatusCode(status: number): ErrorCode {
  if (status === 500) return 'upstream_error';
  return toErrorCode(status);
}

// `org.apache.flink.runtime.rest.handler.RestHandlerException: ` and the like: a Java class name ending in
// Exception/Error, optionally with a nested class, before the colon.
const JAVA_EXCEPTION_PREFIX = /^(?:[a-zA-Z_$][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error)(?:\$[\w$]+)?:\s+/;

/** The first line of a Flink error text, without a leading Java exception class when a sentence follows it. */
export function shortFlinkMessage(text: string): string {
  const first = text.split('\n', 1)[0].trim();
  const stripped = first.replace(JAVA_EXCEPTION_PREFIX, '').trim();
  return stripped || first;
}

/** `{ errors: string[] }` (ErrorResponseBody), or undefined when the body is not one. */
export function readFlinkErrors(body: unknown): string[] | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const errors = (body as { errors?: unknown }).errors;
  if (!Array.isArray(errors) || errors.length === 0 || !errors.every((e) => typeof e === 'string')) return undefined;
  return errors as string[];
}

/** The API server's own answer (not the JobManager's): a Status object. */
function readStatus(body: unknown): { message: string; kind?: string } | undefined {
  if (!body || typeof body !== 'object' || (body as { kind?: unknown }).kind !== 'Status') return undefined;
  const { message, details } = body as { message?: unknown; details?: { kind?: unknown } };
  if (typeof message !== 'string') return undefined;
  return { message, kind: typeof details?.kind === 'string' ? details.kind : undefined };
}

/** Where the request went: the REST Service (reads) or one JobManager pod (jars), through which API server. */
export type RestTarget = { kind: 'service' | 'pod'; name: string; namespace: string; server: string };

/** The error for a non-2xx answer: Flink's own (`{errors}`), the API server proxy's (Status), or anything else. */
/** The RBAC verb of a proxy request: the HTTP method's (the API server's RequestInfo). */
const PROXY_VERBS: Record<string, string> = { GET: 'get', HEAD: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

export function toFlinkRestError(status: number, text: string, target: RestTarget, method = 'GET'): FlinkRestError {
  // The API server refuses the proxy request itself (its Status body carries no more than this).
  if (status === 401) {
    return new FlinkRestError(`The API server at ${target.server} did not accept the credentials of this context.`, 'proxy', status);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return new FlinkRestError(`The JobManager's REST API answered ${status} with a body that is not JSON.`, 'not-json', status);
  }
  const errors = readFlinkErrors(body);
  if (errors) {
    const flinkMessage = shortFlinkMessage(errors[0]);
    const detail = errors.join('\n');
    return new FlinkRestError(`The JobManager's REST API answered ${status}: ${flinkMessage}`, 'flink', status, {
      flinkMessage,
      // Only worth showing when there is more than the message itself.
      detail: detail.trim() === flinkMessage ? undefined : detail,
    });
  }
  const apiStatus = readStatus(body);
  if (apiStatus) {
    const what = target.kind === 'service' ? `Service "${target.name}"` : `JobManager pod "${target.name}"`;
    if (status === 503 && apiStatus.message.startsWith('no endpoints available for service')) {
      return new FlinkRestError(`The JobManager is not ready yet: ${what} has no ready endpoint.`, 'proxy', status, { detail: apiStatus.message });
    }
    if (status === 503 && /connection refused/.test(apiStatus.message)) {
      return new FlinkRestError(
        'The JobManager pod is running but its REST API does not accept connections (yet).',
        'proxy',
        status,
        { detail: apiStatus.message },
      );
    }
    if (status === 404 && (apiStatus.kind === 'endpoints' || apiStatus.kind === 'services')) {
      return new FlinkRestError(`${what} (the JobManager's REST API) does not exist.`, 'proxy', status, { code: 'not_found' });
    }
    if (status === 404 && apiStatus.kind === 'pods') {
      return new FlinkRestError(`${what} no longer exists.`, 'proxy', status, { code: 'not_found' });
    }
    if (status === 403) {
      return new FlinkRestError(
        `You may not ${PROXY_VERBS[method.toUpperCase()] ?? 'get'} ${target.kind}s/proxy in namespace ${target.namespace}, which reaching the JobManager's REST API needs.`,
        'proxy',
        status,
        { detail: apiStatus.message },
      );
    }
    return new FlinkRestError(`The Kubernetes API server answered ${status}: ${apiStatus.message}`, 'proxy', status);
  }
  return new FlinkRestError(`The JobManager's REST API answered ${status}.`, 'flink', status);
}
