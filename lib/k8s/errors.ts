import 'server-only';
import { ApiError } from '@/lib/api/api-error';
import { logger } from '@/lib/log';
import { toErrorCode } from '@/lib/api/error-codes';
import { isAllNamespaces } from '@/lib/api/scope';

/** What was being attempted, so a refusal can be said in the user's words. */
export type K8sOperation = {
  verb: string;
  /** Plural resource name as the user knows it: "deployments", "namespaces". */
  resource: string;
  /** A namespace, ALL_NAMESPACES, or undefined for cluster-scoped resources. */
  namespace?: string;
  server: string;
};

/** An HTTP error answer from the API server, with the Status object's fields when it sent one. */
export class K8sStatusError extends Error {
  constructor(
    readonly statusCode: number,
    readonly reason?: string,
    readonly k8sMessage?: string,
  ) {
    super(k8sMessage ?? `The API server answered ${statusCode}${reason ? ` ${reason}` : ''}.`);
    this.name = 'K8sStatusError';
  }
}

const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

function readStatusCode(err: unknown): number | undefined {
  if (err instanceof K8sStatusError) return err.statusCode;
  if (err && typeof err === 'object') {
    // client-node: ApiException.code (number); Watch errors: statusCode.
    const { code, statusCode } = err as { code?: unknown; statusCode?: unknown };
    if (typeof statusCode === 'number') return statusCode;
    if (typeof code === 'number') return code;
  }
  return undefined;
}

function readNetworkCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const { code, errno } = e as { code?: unknown; errno?: unknown };
    if (typeof code === 'string' && networkCodes.has(code)) return code;
    if (typeof errno === 'string' && networkCodes.has(errno)) return errno;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** " in namespace x", " in all namespaces", or "" for cluster-scoped resources. */
export function where(namespace: string | undefined): string {
  if (namespace === undefined) return '';
  return isAllNamespaces(namespace) ? ' in all namespaces' : ` in namespace ${namespace}`;
}

/** Translates a failed call to the API server into an ApiError by status code, never by message text. */
export function toK8sApiError(err: unknown, op: K8sOperation): ApiError {
  if (err instanceof ApiError) return err;
  const status = readStatusCode(err);
  if (status !== undefined) {
    const code = toErrorCode(status);
    switch (status) {
      case 401:
        return new ApiError(code, `The API server at ${op.server} did not accept the credentials of this context.`);
      case 403:
        return new ApiError(code, `You may not ${op.verb} ${op.resource}${where(op.namespace)}.`);
      default: {
        const detail = err instanceof K8sStatusError && err.k8sMessage ? err.k8sMessage : `it answered ${status}`;
        return new ApiError(code, `Could not ${op.verb} ${op.resource}${where(op.namespace)}: ${detail}.`);
      }
    }
  }
  const net = readNetworkCode(err);
  if (net) return new ApiError('unavailable', `Cannot reach the API server at ${op.server} (${net}).`);
  if (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')) {
    return new ApiError('timeout', `The API server at ${op.server} did not answer in time.`);
  }
  logger.error('unexpected Kubernetes API error', { verb: op.verb, resource: op.resource, namespace: op.namespace, err });
  return new ApiError('upstream_error', `Could not ${op.verb} ${op.resource}${where(op.namespace)}.`);
}
