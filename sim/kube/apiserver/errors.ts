// Status objects worded as kube-apiserver words them (k8s.io/apimachinery/pkg/api/errors).
import type { ResourceType } from '../resources';
import type { KubeStatus } from '../status';

/** Thrown inside handlers; the server answers with its Status. */
export class StatusError extends Error {
  constructor(
    readonly status: KubeStatus,
    readonly headers: Record<string, string> = {},
  ) {
    super(status.message ?? status.reason);
  }
}

export function statusOf(code: number, reason: string, message: string, details?: KubeStatus['details'], metadata: Record<string, unknown> = {}): KubeStatus {
  const s: KubeStatus = { kind: 'Status', apiVersion: 'v1', metadata, status: 'Failure', message, reason, code };
  if (details !== undefined) s.details = details;
  // key order as the server prints it: kind, apiVersion, metadata, status, message, reason, details, code
  return s;
}

function gk(rt: Pick<ResourceType, 'group' | 'plural'>, name?: string): KubeStatus['details'] {
  const d: NonNullable<KubeStatus['details']> = {};
  if (name !== undefined && name !== '') d.name = name;
  if (rt.group) d.group = rt.group;
  d.kind = rt.plural;
  return d;
}

function qr(rt: Pick<ResourceType, 'group' | 'plural'>): string {
  return rt.group ? `${rt.plural}.${rt.group}` : rt.plural;
}

export const errNotFound = (rt: Pick<ResourceType, 'group' | 'plural'>, name: string) =>
  new StatusError(statusOf(404, 'NotFound', `${qr(rt)} "${name}" not found`, gk(rt, name)));

export const errAlreadyExists = (rt: Pick<ResourceType, 'group' | 'plural'>, name: string) =>
  new StatusError(statusOf(409, 'AlreadyExists', `${qr(rt)} "${name}" already exists`, gk(rt, name)));

export const errConflict = (rt: Pick<ResourceType, 'group' | 'plural'>, name: string, why: string) =>
  new StatusError(statusOf(409, 'Conflict', `Operation cannot be fulfilled on ${qr(rt)} "${name}": ${why}`, gk(rt, name)));

export const CONFLICT_MODIFIED = 'the object has been modified; please apply your changes to the latest version and try again';

export const errForbidden = (rt: Pick<ResourceType, 'group' | 'plural'>, name: string, why: string) =>
  new StatusError(statusOf(403, 'Forbidden', `${qr(rt)}${name ? ` "${name}"` : ''} is forbidden: ${why}`, gk(rt, name)));

export const errBadRequest = (message: string) => new StatusError(statusOf(400, 'BadRequest', message));

export const errNotFoundGeneric = () => new StatusError(statusOf(404, 'NotFound', 'the server could not find the requested resource', {}));

export const errMethodNotAllowed = () =>
  new StatusError(statusOf(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {}));

export const errNotAcceptable = () =>
  new StatusError(statusOf(406, 'NotAcceptable', 'the server was unable to respond with a content type that the client supports', {}));

export const errUnsupportedMediaType = (contentType: string) =>
  new StatusError(statusOf(415, 'UnsupportedMediaType', `${contentType ? '415: Unsupported Media Type' : '415: Unsupported Media Type'}`, {}));

/**
 * The request decoder's 415 (apiserver's negotiation.NewUnsupportedMediaTypeError) for a body type the route
 * accepts but the decoder cannot read. A real server also decodes application/vnd.kubernetes.protobuf; the
 * simulator does not, and says so instead of answering go-restful's bare "415: Unsupported Media Type".
 */
export const errBodyFormatUnknown = (accepted: string[]) =>
  new StatusError(statusOf(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`));

export const errServiceUnavailable = (message: string) => new StatusError(statusOf(503, 'ServiceUnavailable', message));

export const errInternal = (message: string) =>
  new StatusError(statusOf(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] }));

export const errUnauthorized = () => new StatusError(statusOf(401, 'Unauthorized', 'Unauthorized'));

export const errInvalidGeneric = (message: string, causes: { reason?: string; message?: string; field?: string }[] = []) =>
  new StatusError(statusOf(422, 'Invalid', message, causes.length ? { causes } : {}));

export function successStatus(code = 200, details?: KubeStatus['details']): KubeStatus {
  const s: KubeStatus = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code };
  if (details) s.details = details;
  return s;
}

export function deletedStatus(rt: Pick<ResourceType, 'group' | 'plural'>, name: string, uid: string): KubeStatus {
  const d: NonNullable<KubeStatus['details']> = { name };
  if (rt.group) d.group = rt.group;
  d.kind = rt.plural;
  d.uid = uid;
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: d } as KubeStatus;
}
