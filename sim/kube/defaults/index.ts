// STUB, to be replaced by the validation/defaulting helper: same exports, real defaults.
import type { ResourceType } from '../resources';

/**
 * Applies the API server's defaulting and the mutating admission that a v1.28 server runs with
 * default plugins (ServiceAccount: serviceAccountName and the projected kube-api-access-xxxxx volume;
 * DefaultTolerationSeconds: not-ready/unreachable tolerations), mutating obj in place, on create
 * (old undefined) and update. Stateful allocation (Service clusterIP/nodePort) is the API server's job.
 */
export function applyDefaults(_rt: ResourceType, _obj: any, _old?: any): void {}
