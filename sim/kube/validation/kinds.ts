// Dispatch of validation by kind: metadata first (create or update rules), then the kind's own rules,
// in the order kube-apiserver's Validate/ValidateUpdate functions append them.
import type { ResourceType } from '../resources';
import type { FieldError } from './errors';
import { validateDeployment, validateReplicaSet } from './apps';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta';
import {
  validateBinding,
  validateConfigMap,
  validateCoreEvent,
  validateEndpoints,
  validateEndpointSlice,
  validateEventsV1Event,
  validateLease,
  validateNode,
  validateRole,
  validateSecret,
} from './misc';
import { type NameFn, nameIsDNS1035Label, nameIsDNSLabel, nameIsDNSSubdomain, nameIsPathSegment } from './names';
import { validatePodSpec, validatePodSpecUpdate } from './pod';
import { validateService } from './service';

function nameFnFor(rt: ResourceType): NameFn {
  if (rt.kind === 'Namespace') return nameIsDNSLabel;
  if (rt.kind === 'Service') return nameIsDNS1035Label;
  if (rt.group === 'rbac.authorization.k8s.io') return nameIsPathSegment;
  return nameIsDNSSubdomain;
}

function validateMeta(rt: ResourceType, obj: any, old?: any): FieldError[] {
  if (old) return validateObjectMetaUpdate(obj?.metadata, old?.metadata);
  return validateObjectMeta(obj?.metadata, rt.namespaced, nameFnFor(rt));
}

export function validateKind(rt: ResourceType, obj: any, old?: any): FieldError[] {
  const errs: FieldError[] = [];
  if (rt.group === 'authorization.k8s.io') return errs;
  // Legacy core/v1 events skip name validation entirely.
  if (rt.kind === 'Event' && rt.group === '') return validateCoreEvent(obj);
  errs.push(...validateMeta(rt, obj, old));
  switch (`${rt.group}/${rt.kind}`) {
    case '/Pod':
      if (old) errs.push(...validatePodSpecUpdate(obj?.spec, old?.spec, 'spec'));
      else errs.push(...validatePodSpec(obj?.spec, 'spec'));
      break;
    case '/Service':
      errs.push(...validateService(obj, old));
      break;
    case '/ConfigMap':
      errs.push(...validateConfigMap(obj, old));
      break;
    case '/Secret':
      errs.push(...validateSecret(obj, old));
      break;
    case '/Node':
      errs.push(...validateNode(obj));
      break;
    case '/Endpoints':
      errs.push(...validateEndpoints(obj));
      break;
    case 'events.k8s.io/Event':
      errs.push(...validateEventsV1Event(obj));
      break;
    case 'discovery.k8s.io/EndpointSlice':
      errs.push(...validateEndpointSlice(obj, old));
      break;
    case 'apps/Deployment':
      errs.push(...validateDeployment(obj, old));
      break;
    case 'apps/ReplicaSet':
      errs.push(...validateReplicaSet(obj, old));
      break;
    case 'coordination.k8s.io/Lease':
      errs.push(...validateLease(obj));
      break;
    case 'rbac.authorization.k8s.io/Role':
      errs.push(...validateRole(obj, true));
      break;
    case 'rbac.authorization.k8s.io/ClusterRole':
      errs.push(...validateRole(obj, false));
      break;
    case 'rbac.authorization.k8s.io/RoleBinding':
      errs.push(...validateBinding(obj, true, old));
      break;
    case 'rbac.authorization.k8s.io/ClusterRoleBinding':
      errs.push(...validateBinding(obj, false, old));
      break;
  }
  return errs;
}
