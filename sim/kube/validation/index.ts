// Validation as kube-apiserver v1.28 does it: field errors with Kubernetes' wording, the 422 Invalid
// Status, and decoding errors (strict unknown fields, malformed quantities) as 400 BadRequest.
import type { ResourceType } from '../resources';
import type { KubeStatus } from '../status';
import { buildDecodeErrorStatus, buildInvalidStatus, type FieldError } from './errors';
import { validateKind } from './kinds';
import { decodeObject } from './schema';

export type { FieldError, FieldErrorType } from './errors';
export { errorBody, errorString, aggregateMessage, goQuote, goStringMap, goStringSlice, goLabelSelector } from './errors';
export { pruneUnknownFields, decodeObject } from './schema';
export { parseQuantity, quantityValue } from './quantity';

/** Validation errors for a create (old undefined) or an update (old = stored object). Runs after defaulting. */
export function validateObject(rt: ResourceType, obj: any, old?: any): FieldError[] {
  return validateKind(rt, obj, old);
}

/** The 422 Invalid Status for these errors, worded exactly as kube-apiserver words it. */
export function invalidStatus(rt: ResourceType, name: string, errs: FieldError[]): KubeStatus {
  return buildInvalidStatus(rt.kind, rt.group, name, errs);
}

/**
 * For fieldValidation=Strict: the unknown fields of obj per the OpenAPI schema of its kind, as the
 * paths kube-apiserver prints in `strict decoding error: unknown field "spec.foo"`. Empty when none.
 */
export function unknownFields(rt: ResourceType, obj: any): string[] {
  return decodeObject(rt, obj).unknown;
}

/** The 400 BadRequest for a strict decoding failure (fieldValidation=Strict and unknown fields). */
export function strictDecodingStatus(rt: ResourceType, _name: string, paths: string[]): KubeStatus {
  const err = 'strict decoding error: ' + paths.map((p) => `unknown field "${p}"`).join(', ');
  return buildDecodeErrorStatus(rt.kind, rt.version, err);
}

/**
 * The error that makes the request body undecodable whatever fieldValidation says: a malformed
 * quantity (`quantities must match the regular expression ...`) or a JSON type mismatch
 * (`json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`).
 * undefined when the body decodes.
 */
export function decodeError(rt: ResourceType, obj: any): string | undefined {
  return decodeObject(rt, obj).error;
}

/** The 400 BadRequest for a decodeError: `Pod in version "v1" cannot be handled as a Pod: <err>`. */
export function decodeErrorStatus(rt: ResourceType, err: string): KubeStatus {
  return buildDecodeErrorStatus(rt.kind, rt.version, err);
}
