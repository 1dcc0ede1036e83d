// Dispatch of validation by kind.
import type { ResourceType } from '../resources';
import type { FieldError } from './errors';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta';
import { type NameFn, nameIsDNS1035Label, nameIsDNSLabel, nameIsDNSSubdomain, nameIsPathSegment } from './names';

function nameFnFor(rt: ResourceType): NameFn {
  if (rt.kind === 'Namespace') return nameIsDNSLabel;
  if (rt.kind === 'Service') return nameIsDNS1035Label;
  if (rt.group === 'rbac.authorization.k8s.io') return nameIsPathSegment;
  return nameIsDNSSubdomain;
}

export function validateKind(rt: ResourceType, obj: any, old?: any): FieldError[] {
  const errs: FieldError[] = [];
  if (rt.group === 'authorization.k8s.io') return errs;
  if (old) errs.push(...validateObjectMetaUpdate(obj?.metadata, old?.metadata));
  else errs.push(...validateObjectMeta(obj?.metadata, rt.namespaced, nameFnFor(rt)));
  return errs;
}
