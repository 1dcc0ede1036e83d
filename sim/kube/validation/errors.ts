// field.Error of k8s.io/apimachinery/pkg/util/validation/field, with its exact wording.
import type { KubeStatus } from '../status';

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueTypeInvalid'
  | 'FieldValueNotFound';

export interface FieldError {
  type: FieldErrorType;
  field: string; // "spec.template.spec.containers[0].name"
  badValue?: unknown;
  detail?: string;
  /**
   * The bad value as Go's %#v prints it, when the JS value cannot say which Go type it had
   * (maps, slices, structs). Strings, numbers and booleans are rendered from badValue.
   */
  goValue?: string;
}

const TYPE_TEXT: Record<FieldErrorType, string> = {
  FieldValueRequired: 'Required value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  FieldValueTypeInvalid: 'Invalid value',
  FieldValueNotFound: 'Not found',
};

// ---- Go value rendering (fmt %q and %#v) ----

/** Go's strconv.Quote: JSON-like, but control characters as \x.. and no escaping of < > &. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\v') out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

/** %#v of map[string]string: keys sorted, `map[string]string{"a":"b", "c":"d"}`. nil maps print `map[string]string(nil)`. */
export function goStringMap(m: Record<string, unknown> | undefined | null): string {
  if (m == null) return 'map[string]string(nil)';
  const keys = Object.keys(m).sort();
  return `map[string]string{${keys.map((k) => `${goQuote(k)}:${goQuote(String(m[k]))}`).join(', ')}}`;
}

/** %#v of []string: `[]string{"a", "b"}`, nil slices `[]string(nil)`. */
export function goStringSlice(a: unknown[] | undefined | null): string {
  if (a == null) return '[]string(nil)';
  return `[]string{${a.map((x) => goQuote(String(x))).join(', ')}}`;
}

/** %#v of a metav1.LabelSelector value. */
export function goLabelSelector(sel: any): string {
  const exprs = sel?.matchExpressions as any[] | undefined;
  const exprText =
    exprs == null
      ? '[]v1.LabelSelectorRequirement(nil)'
      : `[]v1.LabelSelectorRequirement{${exprs
          .map(
            (e) =>
              `v1.LabelSelectorRequirement{Key:${goQuote(String(e?.key ?? ''))}, Operator:${goQuote(String(e?.operator ?? ''))}, Values:${goStringSlice(e?.values)}}`,
          )
          .join(', ')}}`;
  return `v1.LabelSelector{MatchLabels:${goStringMap(sel?.matchLabels)}, MatchExpressions:${exprText}}`;
}

function renderValue(e: FieldError): string {
  if (e.goValue !== undefined) return e.goValue;
  const v = e.badValue;
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return goStringSlice(v);
  if (typeof v === 'object' && Object.values(v as object).every((x) => typeof x === 'string')) return goStringMap(v as Record<string, string>);
  return JSON.stringify(v);
}

/** field.Error.ErrorBody(): the message without the field path. */
export function errorBody(e: FieldError): string {
  let s: string;
  switch (e.type) {
    case 'FieldValueRequired':
    case 'FieldValueForbidden':
    case 'FieldValueTooLong':
      s = TYPE_TEXT[e.type];
      break;
    default:
      s = `${TYPE_TEXT[e.type]}: ${renderValue(e)}`;
  }
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

/** field.Error.Error(): "path: body". */
export function errorString(e: FieldError): string {
  return `${e.field}: ${errorBody(e)}`;
}

/** ErrorList.ToAggregate().Error(): duplicates (by message) dropped, brackets only for more than one. */
export function aggregateMessage(errs: FieldError[]): string {
  const seen = new Set<string>();
  const msgs: string[] = [];
  for (const e of errs) {
    const m = errorString(e);
    if (seen.has(m)) continue;
    seen.add(m);
    msgs.push(m);
  }
  if (msgs.length === 1) return msgs[0];
  return `[${msgs.join(', ')}]`;
}

// ---- constructors (field.Required, field.Invalid, ...) ----

export const required = (field: string, detail = ''): FieldError => ({ type: 'FieldValueRequired', field, badValue: '', detail });
export const invalid = (field: string, badValue: unknown, detail = '', goValue?: string): FieldError =>
  goValue === undefined ? { type: 'FieldValueInvalid', field, badValue, detail } : { type: 'FieldValueInvalid', field, badValue, detail, goValue };
export const notFound = (field: string, badValue: unknown): FieldError => ({ type: 'FieldValueNotFound', field, badValue });
export const forbidden = (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, badValue: '', detail });
export const duplicate = (field: string, badValue: unknown, goValue?: string): FieldError =>
  goValue === undefined ? { type: 'FieldValueDuplicate', field, badValue } : { type: 'FieldValueDuplicate', field, badValue, goValue };
export const tooLong = (field: string, badValue: unknown, max: number): FieldError => ({
  type: 'FieldValueTooLong',
  field,
  badValue,
  detail: `must have at most ${max} bytes`,
});
export const tooLongMaxLength = (field: string, badValue: unknown, max: number): FieldError => ({
  type: 'FieldValueTooLong',
  field,
  badValue,
  detail: max >= 0 ? `may not be longer than ${max}` : 'value is too long',
});
export const tooMany = (field: string, actual: number, max: number): FieldError => ({
  type: 'FieldValueTooMany',
  field,
  badValue: actual,
  detail: max >= 0 ? `must have at most ${max} items` : 'has too many items',
});
export function notSupported(field: string, badValue: unknown, valid: string[]): FieldError {
  return {
    type: 'FieldValueNotSupported',
    field,
    badValue,
    detail: valid.length ? 'supported values: ' + valid.map((v) => goQuote(v)).join(', ') : '',
  };
}

// ---- Status bodies ----

/** errors.NewInvalid: the 422 Status. */
export function buildInvalidStatus(kind: string, group: string, name: string, errs: FieldError[]): KubeStatus {
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  // Go's omitempty: an empty name, group or cause list is left out.
  const details: NonNullable<KubeStatus['details']> = {};
  if (name) details.name = name;
  if (group) details.group = group;
  details.kind = kind;
  if (errs.length) details.causes = errs.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field }));
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: errs.length ? `${qualifiedKind} ${goQuote(name)} is invalid: ${aggregateMessage(errs)}` : `${qualifiedKind} ${goQuote(name)} is invalid`,
    reason: 'Invalid',
    details,
    code: 422,
  };
}

/** The 400 a decoding failure gets: `Pod in version "v1" cannot be handled as a Pod: <err>`. */
export function buildDecodeErrorStatus(kind: string, version: string, err: string): KubeStatus {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `${kind} in version ${goQuote(version)} cannot be handled as a ${kind}: ${err}`,
    reason: 'BadRequest',
    code: 400,
  };
}
