// STUB, to be replaced by the validation helper: same exports, real rules.
import type { ResourceType } from '../resources';
import type { KubeStatus } from '../status';

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueTypeInvalid';

export interface FieldError {
  type: FieldErrorType;
  field: string; // "spec.template.spec.containers[0].name"
  badValue?: unknown;
  detail?: string;
}

/** Validation errors for a create (old undefined) or an update (old = stored object). Runs after defaulting. */
export function validateObject(_rt: ResourceType, _obj: any, _old?: any): FieldError[] {
  return [];
}

/** The 422 Invalid Status for these errors, worded exactly as kube-apiserver words it. */
export function invalidStatus(rt: ResourceType, name: string, errs: FieldError[]): KubeStatus {
  const kind = rt.kind;
  const group = rt.group;
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `${kind}${group ? '.' + group : ''} "${name}" is invalid: ${errs.map((e) => `${e.field}: ${e.detail ?? ''}`).join(', ')}`,
    reason: 'Invalid',
    details: { name, group: group || undefined, kind, causes: errs.map((e) => ({ reason: e.type, message: e.detail, field: e.field })) },
    code: 422,
  };
}

/**
 * For fieldValidation=Strict: the unknown fields of obj per the OpenAPI schema of its kind, as the
 * paths kube-apiserver prints in `strict decoding error: unknown field "spec.foo"`. Empty when none.
 */
export function unknownFields(_rt: ResourceType, _obj: any): string[] {
  return [];
}
