// ObjectMeta validation (k8s.io/apimachinery/pkg/api/validation/objectmeta.go).
import { type FieldError, forbidden, goQuote, invalid, required, tooLong } from './errors';
import { type NameFn, isQualifiedName, isValidLabelValue, nameIsDNSLabel } from './names';

export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

const byteLen = (s: string) => Buffer.byteLength(s, 'utf8');

export function validateLabelName(name: string, field: string): FieldError[] {
  return isQualifiedName(name).map((m) => invalid(field, name, m));
}

export function validateLabels(labels: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!labels || typeof labels !== 'object') return errs;
  for (const [k, v] of Object.entries(labels as Record<string, unknown>)) {
    errs.push(...validateLabelName(k, field));
    const value = typeof v === 'string' ? v : String(v ?? '');
    for (const m of isValidLabelValue(value)) errs.push(invalid(field, value, m));
  }
  return errs;
}

export function validateAnnotations(annotations: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!annotations || typeof annotations !== 'object') return errs;
  let total = 0;
  for (const [k, v] of Object.entries(annotations as Record<string, unknown>)) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(invalid(field, k, m));
    total += byteLen(k) + byteLen(typeof v === 'string' ? v : String(v ?? ''));
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(tooLong(field, '', TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

const goPtr = (v: unknown, type: string) => (v == null ? `(*${type})(nil)` : `(*${type})(0xc000000000)`);

function goOwnerReferences(refs: any[]): string {
  const one = (r: any) =>
    `v1.OwnerReference{APIVersion:${goQuote(String(r?.apiVersion ?? ''))}, Kind:${goQuote(String(r?.kind ?? ''))}, Name:${goQuote(
      String(r?.name ?? ''),
    )}, UID:${goQuote(String(r?.uid ?? ''))}, Controller:${goPtr(r?.controller, 'bool')}, BlockOwnerDeletion:${goPtr(r?.blockOwnerDeletion, 'bool')}}`;
  return `[]v1.OwnerReference{${refs.map(one).join(', ')}}`;
}

/** ValidateOwnerReferences: note that the per-reference errors carry the list's path, not an index. */
function validateOwnerReferences(refs: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!Array.isArray(refs)) return errs;
  let firstController = '';
  for (const r of refs as any[]) {
    const apiVersion = String(r?.apiVersion ?? '');
    const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
    if (!version) errs.push(invalid(`${field}.apiVersion`, apiVersion, 'version must not be empty'));
    if (!r?.kind) errs.push(invalid(`${field}.kind`, r?.kind ?? '', 'kind must not be empty'));
    if (!r?.name) errs.push(invalid(`${field}.name`, r?.name ?? '', 'name must not be empty'));
    if (!r?.uid) errs.push(invalid(`${field}.uid`, r?.uid ?? '', 'uid must not be empty'));
    if (r?.controller === true) {
      const cur = `${r.kind}/${r.name}`;
      if (firstController)
        errs.push(
          invalid(
            field,
            refs,
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${cur}`,
            goOwnerReferences(refs as any[]),
          ),
        );
      else firstController = cur;
    }
  }
  return errs;
}

function validateFinalizers(finalizers: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!Array.isArray(finalizers)) return errs;
  for (const f of finalizers) {
    const s = String(f);
    for (const m of isQualifiedName(s)) errs.push(invalid(field, s, m));
  }
  return errs;
}

/** ValidateObjectMeta. field is normally "metadata". */
export function validateObjectMeta(meta: any, requiresNamespace: boolean, nameFn: NameFn, field = 'metadata'): FieldError[] {
  const errs: FieldError[] = [];
  meta = meta ?? {};
  const generateName: string = meta.generateName ?? '';
  if (generateName) for (const m of nameFn(generateName, true)) errs.push(invalid(`${field}.generateName`, generateName, m));
  const name: string = meta.name ?? '';
  if (!name) errs.push(required(`${field}.name`, 'name or generateName is required'));
  else for (const m of nameFn(name, false)) errs.push(invalid(`${field}.name`, name, m));
  const ns: string = meta.namespace ?? '';
  if (requiresNamespace) {
    if (!ns) errs.push(required(`${field}.namespace`, ''));
    else for (const m of nameIsDNSLabel(ns, false)) errs.push(invalid(`${field}.namespace`, ns, m));
  } else if (ns) errs.push(forbidden(`${field}.namespace`, 'not allowed on this type'));
  if (typeof meta.generation === 'number' && meta.generation < 0)
    errs.push(invalid(`${field}.generation`, meta.generation, 'must be greater than or equal to 0'));
  errs.push(...validateLabels(meta.labels, `${field}.labels`));
  errs.push(...validateAnnotations(meta.annotations, `${field}.annotations`));
  errs.push(...validateOwnerReferences(meta.ownerReferences, `${field}.ownerReferences`));
  errs.push(...validateFinalizers(meta.finalizers, `${field}.finalizers`));
  return errs;
}

export function validateImmutableField(newVal: unknown, oldVal: unknown, field: string, goValue?: string): FieldError[] {
  if (deepEqual(newVal, oldVal)) return [];
  return [invalid(field, newVal, 'field is immutable', goValue)];
}

/** ValidateObjectMetaAccessorUpdate: identity fields may not change, no new finalizers while deleting. */
export function validateObjectMetaUpdate(meta: any, old: any, field = 'metadata'): FieldError[] {
  const errs: FieldError[] = [];
  meta = meta ?? {};
  old = old ?? {};
  if (old.deletionTimestamp) {
    const before = new Set<string>(Array.isArray(old.finalizers) ? old.finalizers : []);
    const extra = [...new Set<string>(Array.isArray(meta.finalizers) ? meta.finalizers : [])].filter((f) => !before.has(f)).sort();
    if (extra.length)
      errs.push(
        forbidden(
          `${field}.finalizers`,
          `no new finalizers can be added if the object is being deleted, found new finalizers []string{${extra.map((f) => goQuote(f)).join(', ')}}`,
        ),
      );
  }
  if (typeof meta.generation === 'number' && typeof old.generation === 'number' && meta.generation < old.generation)
    errs.push(invalid(`${field}.generation`, meta.generation, 'must not be decremented'));
  errs.push(...validateImmutableField(meta.name ?? '', old.name ?? '', `${field}.name`));
  errs.push(...validateImmutableField(meta.namespace ?? '', old.namespace ?? '', `${field}.namespace`));
  errs.push(...validateImmutableField(meta.uid ?? '', old.uid ?? '', `${field}.uid`));
  // metav1.Time is a fmt.Stringer: its bad value prints like "2026-11-29 19:37:19 +0000 UTC".
  const goTime = (t: unknown) => (typeof t === 'string' && t ? new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' +0000 UTC') : '0001-01-01 00:00:00 +0000 UTC');
  if (old.creationTimestamp && meta.creationTimestamp && meta.creationTimestamp !== old.creationTimestamp)
    errs.push(invalid(`${field}.creationTimestamp`, meta.creationTimestamp, 'field is immutable', goTime(meta.creationTimestamp)));
  if ((meta.deletionTimestamp ?? null) !== (old.deletionTimestamp ?? null))
    errs.push(invalid(`${field}.deletionTimestamp`, meta.deletionTimestamp ?? null, 'field is immutable', meta.deletionTimestamp ? goTime(meta.deletionTimestamp) : 'null'));
  if ((meta.deletionGracePeriodSeconds ?? null) !== (old.deletionGracePeriodSeconds ?? null))
    errs.push(invalid(`${field}.deletionGracePeriodSeconds`, meta.deletionGracePeriodSeconds ?? null, 'field is immutable'));
  errs.push(...validateLabels(meta.labels, `${field}.labels`));
  errs.push(...validateAnnotations(meta.annotations, `${field}.annotations`));
  errs.push(...validateOwnerReferences(meta.ownerReferences, `${field}.ownerReferences`));
  return errs;
}

const isEmptyish = (v: unknown) =>
  v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && Object.keys(v).length === 0);

/** apiequality.Semantic.DeepEqual: like a deep equality, but nil and empty maps and slices are equal. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isEmptyish(a) && isEmptyish(b)) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  for (const k of keys) if (!deepEqual((a as any)[k], (b as any)[k])) return false;
  return true;
}
