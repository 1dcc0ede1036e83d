// STUB, to be replaced by the RBAC helper: same exports, real evaluation.
import type { KubeStatus } from '../status';

export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
}

export interface RequestAttributes {
  user: UserInfo;
  verb: string; // get list watch create update patch delete deletecollection impersonate escalate bind ...
  resourceRequest: boolean;
  apiGroup?: string; // '' for core
  apiVersion?: string;
  resource?: string; // plural, or 'users'/'groups'/'serviceaccounts' for impersonate
  subresource?: string;
  namespace?: string;
  name?: string;
  path?: string; // non-resource requests: "/version", "/healthz", "/api"
}

/** Read access to the RBAC objects currently stored. */
export interface RbacObjects {
  roles(namespace: string): any[];
  roleBindings(namespace: string): any[];
  clusterRoles(): any[];
  clusterRoleBindings(): any[];
}

export interface Decision {
  allowed: boolean;
  reason: string; // e.g. 'RBAC: allowed by ClusterRoleBinding "x" of ClusterRole "y" to User "z"'
}

export function authorize(_objs: RbacObjects, attrs: RequestAttributes): Decision {
  const masters = attrs.user.groups.includes('system:masters');
  return { allowed: masters, reason: masters ? '' : 'stub' };
}

/** The 403 Forbidden Status for a denied request, worded as kube-apiserver words it. */
export function forbiddenStatus(attrs: RequestAttributes, extra?: string): KubeStatus {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `forbidden${extra ? ': ' + extra : ''}`,
    reason: 'Forbidden',
    details: { name: attrs.name, group: attrs.apiGroup, kind: attrs.resource },
    code: 403,
  };
}

/**
 * Escalation check for creating/updating Roles, ClusterRoles and their bindings. Returns undefined when
 * allowed, else the Forbidden Status the real server answers.
 */
export function checkEscalation(_objs: RbacObjects, _user: UserInfo, _kind: string, _obj: any, _namespace?: string): KubeStatus | undefined {
  return undefined;
}

/** The bootstrap ClusterRoles and ClusterRoleBindings of a v1.28 server (aggregated rules materialized). */
export function bootstrapPolicy(): any[] {
  return [];
}

/** Re-materializes aggregated ClusterRoles (aggregationRule) from the current set; returns the changed ones. */
export function aggregateClusterRoles(_clusterRoles: any[]): any[] {
  return [];
}
