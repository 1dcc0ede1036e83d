// RBAC evaluation as kube-apiserver v1.28 does it: the RBAC authorizer (plugin/pkg/auth/authorizer/rbac),
// the rule resolver and escalation checks (pkg/registry/rbac/validation, pkg/registry/rbac/*/policybased),
// the Forbidden wording of responsewriters.Forbidden, the bootstrap policy and ClusterRole aggregation.
import type { KubeStatus } from '../status';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles, type PolicyRule } from './bootstrap-policy';

export type { PolicyRule } from './bootstrap-policy';

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

const RBAC_GROUP = 'rbac.authorization.k8s.io';
/** user.SystemPrivilegedGroup: the privileged-group authorizer allows it everything, with no reason. */
export const SYSTEM_MASTERS = 'system:masters';

// ---------------------------------------------------------------------------------------------
// Go formatting helpers (%q of a string and of a []string).

export function goQuote(s: string): string {
  return JSON.stringify(s).replace(/\\u00([0-7][0-9a-fA-F])/g, (_m, hex: string) => `\\x${hex.toLowerCase()}`);
}

export function goQuoteList(list: string[]): string {
  return `[${list.map(goQuote).join(' ')}]`;
}

// ---------------------------------------------------------------------------------------------
// Rule matching (pkg/apis/rbac/v1/evaluation_helpers.go).

const has = (set: string[] | undefined, e: string) => !!set && set.includes(e);

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return has(rule.verbs, '*') || has(rule.verbs, verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return has(rule.apiGroups, '*') || has(rule.apiGroups, group);
}

export function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  for (const r of rule.resources ?? []) {
    if (r === '*' || r === combined) return true;
    if (!subresource) continue;
    if (r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)) return true;
  }
  return false;
}

export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  if (!rule.resourceNames?.length) return true;
  return rule.resourceNames.includes(name);
}

export function nonResourceURLMatches(rule: PolicyRule, url: string): boolean {
  for (const u of rule.nonResourceURLs ?? []) {
    if (u === '*' || u === url) return true;
    if (u.endsWith('*') && url.startsWith(u.replace(/\*+$/, ''))) return true;
  }
  return false;
}

export function ruleAllows(attrs: RequestAttributes, rule: PolicyRule): boolean {
  if (attrs.resourceRequest) {
    const sub = attrs.subresource ?? '';
    const combined = sub ? `${attrs.resource ?? ''}/${sub}` : (attrs.resource ?? '');
    return verbMatches(rule, attrs.verb) && apiGroupMatches(rule, attrs.apiGroup ?? '') && resourceMatches(rule, combined, sub) && resourceNameMatches(rule, attrs.name ?? '');
  }
  return verbMatches(rule, attrs.verb) && nonResourceURLMatches(rule, attrs.path ?? '');
}

// ---------------------------------------------------------------------------------------------
// Rule resolution (pkg/registry/rbac/validation/rule.go).

/**
 * How "role not found" is worded: the authorizer reads through listers (`role.rbac.authorization.k8s.io`),
 * the registry's escalation checks through storage (`roles.rbac.authorization.k8s.io`).
 */
type ResolverMode = 'lister' | 'storage';

class NotFoundError extends Error {
  constructor(
    readonly resource: string,
    readonly name: string,
  ) {
    super(`${resource}.${RBAC_GROUP} ${goQuote(name)} not found`);
  }
}

function matchesServiceAccount(namespace: string, name: string, username: string): boolean {
  return username === `system:serviceaccount:${namespace}:${name}`;
}

function appliesToUser(user: UserInfo, subject: any, namespace: string): boolean {
  switch (subject?.kind) {
    case 'User':
      return user.username === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const saNamespace = subject.namespace || namespace;
      if (!saNamespace) return false;
      return matchesServiceAccount(saNamespace, subject.name, user.username);
    }
    default:
      return false;
  }
}

function describeSubject(s: any, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') return `${s.kind} ${goQuote(`${s.name}/${s.namespace || bindingNamespace}`)}`;
  return `${s.kind} ${goQuote(s.name)}`;
}

export function getRoleReferenceRules(objs: RbacObjects, roleRef: any, bindingNamespace: string, mode: ResolverMode = 'lister'): PolicyRule[] {
  switch (roleRef?.kind) {
    case 'Role': {
      const role = bindingNamespace ? objs.roles(bindingNamespace).find((r) => r.metadata?.name === roleRef.name) : undefined;
      if (!role) throw new NotFoundError(mode === 'lister' ? 'role' : 'roles', roleRef.name);
      return role.rules ?? [];
    }
    case 'ClusterRole': {
      const role = objs.clusterRoles().find((r) => r.metadata?.name === roleRef.name);
      if (!role) throw new NotFoundError(mode === 'lister' ? 'clusterrole' : 'clusterroles', roleRef.name);
      return role.rules ?? [];
    }
    default:
      throw new Error(`unsupported role reference kind: ${goQuote(String(roleRef?.kind ?? ''))}`);
  }
}

type Visitor = (source: string | undefined, rule: PolicyRule | undefined, err: Error | undefined) => boolean;

export function visitRulesFor(objs: RbacObjects, user: UserInfo, namespace: string, visitor: Visitor, mode: ResolverMode = 'lister'): void {
  for (const b of objs.clusterRoleBindings()) {
    const subjects: any[] = b.subjects ?? [];
    const subject = subjects.find((s) => appliesToUser(user, s, ''));
    if (!subject) continue;
    let rules: PolicyRule[];
    try {
      rules = getRoleReferenceRules(objs, b.roleRef, '', mode);
    } catch (e) {
      if (!visitor(undefined, undefined, e as Error)) return;
      continue;
    }
    const source = `ClusterRoleBinding ${goQuote(b.metadata?.name ?? '')} of ${b.roleRef.kind} ${goQuote(b.roleRef.name)} to ${describeSubject(subject, '')}`;
    for (const r of rules) if (!visitor(source, r, undefined)) return;
  }
  if (!namespace) return;
  for (const b of objs.roleBindings(namespace)) {
    const subjects: any[] = b.subjects ?? [];
    const subject = subjects.find((s) => appliesToUser(user, s, namespace));
    if (!subject) continue;
    let rules: PolicyRule[];
    try {
      rules = getRoleReferenceRules(objs, b.roleRef, namespace, mode);
    } catch (e) {
      if (!visitor(undefined, undefined, e as Error)) return;
      continue;
    }
    const bindingNs = b.metadata?.namespace ?? namespace;
    const source = `RoleBinding ${goQuote(`${b.metadata?.name ?? ''}/${bindingNs}`)} of ${b.roleRef.kind} ${goQuote(b.roleRef.name)} to ${describeSubject(subject, bindingNs)}`;
    for (const r of rules) if (!visitor(source, r, undefined)) return;
  }
}

/** utilerrors.NewAggregate(errs).Error(): one message alone, several as "[a, b]" (duplicates dropped). */
function aggregateMessage(errs: Error[]): string {
  const msgs = [...new Set(errs.map((e) => e.message))];
  return msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`;
}

export function rulesFor(objs: RbacObjects, user: UserInfo, namespace: string, mode: ResolverMode = 'lister'): { rules: PolicyRule[]; errors: Error[] } {
  const rules: PolicyRule[] = [];
  const errors: Error[] = [];
  visitRulesFor(
    objs,
    user,
    namespace,
    (_s, rule, err) => {
      if (rule) rules.push(rule);
      if (err) errors.push(err);
      return true;
    },
    mode,
  );
  return { rules, errors };
}

/** The RBAC authorizer alone (no privileged group): allowed, or no opinion with resolution errors as reason. */
export function rbacAuthorize(objs: RbacObjects, attrs: RequestAttributes): Decision {
  let allowed = false;
  let reason = '';
  const errors: Error[] = [];
  visitRulesFor(objs, attrs.user, attrs.namespace ?? '', (source, rule, err) => {
    if (rule && ruleAllows(attrs, rule)) {
      allowed = true;
      reason = `RBAC: allowed by ${source}`;
      return false;
    }
    if (err) errors.push(err);
    return true;
  });
  if (allowed) return { allowed, reason };
  return { allowed: false, reason: errors.length ? `RBAC: ${aggregateMessage(errors)}` : '' };
}

/** The server's authorizer chain: system:masters (privileged group, no reason), then RBAC. */
export function authorize(objs: RbacObjects, attrs: RequestAttributes): Decision {
  if (attrs.user.groups.includes(SYSTEM_MASTERS)) return { allowed: true, reason: '' };
  return rbacAuthorize(objs, attrs);
}

// ---------------------------------------------------------------------------------------------
// Errors.

function statusError(code: number, reason: string, message: string, details: KubeStatus['details']): KubeStatus {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code };
}

function details(group: string, resource: string, name: string): NonNullable<KubeStatus['details']> {
  const d: NonNullable<KubeStatus['details']> = {};
  if (name) d.name = name;
  if (group) d.group = group;
  if (resource) d.kind = resource;
  return d;
}

/** apierrors.NewForbidden(groupResource, name, err). */
export function newForbidden(group: string, resource: string, name: string, message: string): KubeStatus {
  const qualified = resource ? (group ? `${resource}.${group}` : resource) : group;
  let full: string;
  if (!group && !resource) full = `forbidden: ${message}`;
  else if (!name) full = `${qualified} is forbidden: ${message}`;
  else full = `${qualified} ${goQuote(name)} is forbidden: ${message}`;
  return statusError(403, 'Forbidden', full, details(group, resource, name));
}

/** apierrors.NewNotFound for an RBAC resource. */
function newNotFound(group: string, resource: string, name: string): KubeStatus {
  return statusError(404, 'NotFound', `${resource}.${group} ${goQuote(name)} not found`, details(group, resource, name));
}

const sanitize = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** responsewriters.forbiddenMessage. */
export function forbiddenMessage(attrs: RequestAttributes): string {
  const username = attrs.user?.username ?? '';
  if (!attrs.resourceRequest) return `User ${goQuote(username)} cannot ${attrs.verb} path ${goQuote(attrs.path ?? '')}`;
  let resource = attrs.resource ?? '';
  if (attrs.subresource) resource = `${resource}/${attrs.subresource}`;
  const scope = attrs.namespace ? `in the namespace ${goQuote(attrs.namespace)}` : 'at the cluster scope';
  return `User ${goQuote(username)} cannot ${attrs.verb} resource ${goQuote(resource)} in API group ${goQuote(attrs.apiGroup ?? '')} ${scope}`;
}

/** The 403 Forbidden Status for a denied request, worded as kube-apiserver words it. extra: the authorizer's reason. */
export function forbiddenStatus(attrs: RequestAttributes, extra?: string): KubeStatus {
  const msg = sanitize(forbiddenMessage(attrs));
  const errMsg = extra ? `${msg}: ${extra}` : msg;
  if (!attrs.resourceRequest) return newForbidden('', '', '', errMsg);
  return newForbidden(attrs.apiGroup ?? '', attrs.resource ?? '', attrs.name ?? '', errMsg);
}

// ---------------------------------------------------------------------------------------------
// Escalation checks (component-helpers/auth/rbac/validation/policy_comparator.go, policy_compact.go).

export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs ?? []) {
        if (rule.resourceNames?.length) {
          for (const n of rule.resourceNames) out.push({ apiGroups: [group], resources: [resource], verbs: [verb], resourceNames: [n] });
        } else {
          out.push({ apiGroups: [group], resources: [resource], verbs: [verb] });
        }
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) for (const verb of rule.verbs ?? []) out.push({ nonResourceURLs: [url], verbs: [verb] });
  return out;
}

const hasAll = (set: string[] | undefined, contains: string[] | undefined) => (contains ?? []).every((c) => has(set, c));

function resourceCoversAll(set: string[] | undefined, covers: string[] | undefined): boolean {
  if (has(set, '*') || hasAll(set, covers)) return true;
  for (const path of covers ?? []) {
    if (has(set, path)) continue;
    const i = path.indexOf('/');
    if (i < 0) return false;
    if (!has(set, `*/${path.slice(i + 1)}`)) return false;
  }
  return true;
}

function nonResourceURLCovers(owner: string, sub: string): boolean {
  if (owner === sub) return true;
  return owner.endsWith('*') && sub.startsWith(owner.replace(/\*+$/, ''));
}

function nonResourceURLsCoversAll(set: string[] | undefined, covers: string[] | undefined): boolean {
  return (covers ?? []).every((p) => (set ?? []).some((o) => nonResourceURLCovers(o, p)));
}

function ruleCovers(owner: PolicyRule, sub: PolicyRule): boolean {
  const verbs = has(owner.verbs, '*') || hasAll(owner.verbs, sub.verbs);
  const groups = has(owner.apiGroups, '*') || hasAll(owner.apiGroups, sub.apiGroups);
  const resources = resourceCoversAll(owner.resources, sub.resources);
  const urls = nonResourceURLsCoversAll(owner.nonResourceURLs, sub.nonResourceURLs);
  const names = !sub.resourceNames?.length ? !owner.resourceNames?.length : !owner.resourceNames?.length || hasAll(owner.resourceNames, sub.resourceNames);
  return verbs && groups && resources && names && urls;
}

/** validation.Covers: whether ownerRules cover every servant rule, and the uncovered broken-down rules. */
export function covers(ownerRules: PolicyRule[], servantRules: PolicyRule[]): { covered: boolean; missing: PolicyRule[] } {
  const missing: PolicyRule[] = [];
  for (const servant of servantRules) for (const sub of breakdownRule(servant)) if (!ownerRules.some((o) => ruleCovers(o, sub))) missing.push(sub);
  return { covered: missing.length === 0, missing };
}

/** CompactRules: merges the verbs of simple rules (one group, one resource, at most one name). */
export function compactRules(rules: PolicyRule[]): PolicyRule[] {
  const compacted: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const r of rules) {
    const isSimple = (r.resourceNames?.length ?? 0) <= 1 && !r.nonResourceURLs?.length && r.apiGroups?.length === 1 && r.resources?.length === 1;
    if (!isSimple) {
      compacted.push(r);
      continue;
    }
    const key = JSON.stringify([r.apiGroups![0], r.resources![0], r.resourceNames?.[0] ?? null]);
    const existing = simple.get(key);
    if (existing) existing.verbs = [...existing.verbs, ...r.verbs];
    else simple.set(key, { ...r, verbs: [...r.verbs] });
  }
  return [...compacted, ...simple.values()];
}

/** PolicyRule.CompactString. */
export function compactString(r: PolicyRule): string {
  const parts: string[] = [];
  if (r.apiGroups?.length) parts.push(`APIGroups:${goQuoteList(r.apiGroups)}`);
  if (r.resources?.length) parts.push(`Resources:${goQuoteList(r.resources)}`);
  if (r.nonResourceURLs?.length) parts.push(`NonResourceURLs:${goQuoteList(r.nonResourceURLs)}`);
  if (r.resourceNames?.length) parts.push(`ResourceNames:${goQuoteList(r.resourceNames)}`);
  if (r.verbs?.length) parts.push(`Verbs:${goQuoteList(r.verbs)}`);
  return `{${parts.join(', ')}}`;
}

/** ConfirmNoEscalation: undefined when the user's rules in the namespace cover these rules, else the error text. */
export function confirmNoEscalation(objs: RbacObjects, user: UserInfo, namespace: string, rules: PolicyRule[]): string | undefined {
  const { rules: ownerRules, errors } = rulesFor(objs, user, namespace, 'storage');
  const { covered, missing } = covers(ownerRules, rules);
  if (covered) return undefined;
  const descriptions = [...new Set(compactRules(missing).map(compactString))].sort();
  let msg = `user ${goQuote(user.username)} (groups=${goQuoteList(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${descriptions.join('\n')}`;
  if (errors.length) msg += `; resolution errors: [${aggregateMessage(errors)}]`;
  return msg;
}

const FULL_AUTHORITY: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

/**
 * Escalation check for creating/updating Roles, ClusterRoles and their bindings. Returns undefined when
 * allowed, else the Status the real server answers (403 Forbidden, or 404 when a binding's role is missing).
 * op: 'create' (the escalate check then has no name, as a create request has none) or 'update'; by
 * default an object carrying a resourceVersion is taken as an update (creates may not set one).
 */
export function checkEscalation(objs: RbacObjects, user: UserInfo, kind: string, obj: any, namespace?: string, op?: 'create' | 'update'): KubeStatus | undefined {
  op ??= obj?.metadata?.resourceVersion ? 'update' : 'create';
  if (user.groups.includes(SYSTEM_MASTERS)) return undefined;
  const name: string = obj?.metadata?.name ?? '';
  switch (kind) {
    case 'Role':
    case 'ClusterRole': {
      const resource = kind === 'Role' ? 'roles' : 'clusterroles';
      const ns = kind === 'Role' ? (namespace ?? obj?.metadata?.namespace ?? '') : '';
      const escalate = authorize(objs, { user, verb: 'escalate', resourceRequest: true, apiGroup: RBAC_GROUP, apiVersion: '*', resource, namespace: ns, name: op === 'update' ? name : '' });
      if (escalate.allowed) return undefined;
      const err = confirmNoEscalation(objs, user, ns, obj?.rules ?? []);
      if (err) return newForbidden(RBAC_GROUP, resource, name, err);
      if (kind === 'ClusterRole' && obj?.aggregationRule) {
        if (confirmNoEscalation(objs, user, '', FULL_AUTHORITY)) return newForbidden(RBAC_GROUP, resource, name, 'must have cluster-admin privileges to use the aggregationRule');
      }
      return undefined;
    }
    case 'RoleBinding':
    case 'ClusterRoleBinding': {
      const resource = kind === 'RoleBinding' ? 'rolebindings' : 'clusterrolebindings';
      const ns = kind === 'RoleBinding' ? (namespace ?? obj?.metadata?.namespace ?? '') : '';
      const roleRef = obj?.roleRef ?? {};
      const refResource = roleRef.kind === 'ClusterRole' ? 'clusterroles' : roleRef.kind === 'Role' ? 'roles' : undefined;
      if (refResource) {
        const bind = authorize(objs, { user, verb: 'bind', resourceRequest: true, apiGroup: roleRef.apiGroup ?? '', resource: refResource, namespace: ns, name: roleRef.name ?? '' });
        if (bind.allowed) return undefined;
      }
      let rules: PolicyRule[];
      try {
        rules = getRoleReferenceRules(objs, roleRef, ns, 'storage');
      } catch (e) {
        if (e instanceof NotFoundError) return newNotFound(RBAC_GROUP, e.resource, e.name);
        return statusError(500, 'InternalError', `Internal error occurred: ${(e as Error).message}`, { causes: [{ message: (e as Error).message }] });
      }
      const err = confirmNoEscalation(objs, user, ns, rules);
      if (err) return newForbidden(RBAC_GROUP, resource, name, err);
      return undefined;
    }
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Bootstrap policy and aggregation (pkg/controller/clusterroleaggregation).

export function labelSelectorMatches(selector: any, labels: Record<string, string> | undefined): boolean {
  if (!selector) return false;
  const l = labels ?? {};
  const ml: Record<string, string> = selector.matchLabels ?? {};
  const exprs: any[] = selector.matchExpressions ?? [];
  if (!Object.keys(ml).length && !exprs.length) return true;
  for (const [k, v] of Object.entries(ml)) if (l[k] !== v) return false;
  for (const e of exprs) {
    const present = Object.prototype.hasOwnProperty.call(l, e.key);
    const values: string[] = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (!present || !values.includes(l[e.key])) return false;
        break;
      case 'NotIn':
        if (present && values.includes(l[e.key])) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

function normalizeRule(r: any): string {
  return JSON.stringify([r.verbs ?? [], r.apiGroups ?? [], r.resources ?? [], r.resourceNames ?? [], r.nonResourceURLs ?? []]);
}

function sameRules(a: any[] | undefined, b: any[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((r, i) => normalizeRule(r) === normalizeRule(y[i]));
}

/** Re-materializes aggregated ClusterRoles (aggregationRule) from the current set; returns the changed ones (copies). */
export function aggregateClusterRoles(clusterRoles: any[]): any[] {
  const current = new Map<string, any>(clusterRoles.map((r) => [r.metadata?.name, r]));
  const changed = new Map<string, any>();
  // Aggregation chains (admin <- edit <- view) settle in a few rounds; bound it in case of cycles.
  for (let round = 0; round < 10; round++) {
    let any = false;
    const all = [...current.values()].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
    for (const role of all) {
      const selectors: any[] | undefined = role.aggregationRule?.clusterRoleSelectors;
      if (!selectors) continue;
      const rules: any[] = [];
      const seen = new Set<string>();
      for (const sel of selectors) {
        for (const other of all) {
          if (other.metadata.name === role.metadata.name) continue;
          if (!labelSelectorMatches(sel, other.metadata?.labels)) continue;
          for (const r of current.get(other.metadata.name).rules ?? []) {
            const key = normalizeRule(r);
            if (seen.has(key)) continue;
            seen.add(key);
            rules.push(structuredClone(r));
          }
        }
      }
      if (sameRules(rules, current.get(role.metadata.name).rules)) continue;
      const updated = { ...structuredClone(current.get(role.metadata.name)), rules };
      current.set(role.metadata.name, updated);
      changed.set(role.metadata.name, updated);
      any = true;
    }
    if (!any) break;
  }
  return [...changed.values()];
}

/** The bootstrap ClusterRoles and ClusterRoleBindings of a v1.28 server (aggregated rules materialized). */
export function bootstrapPolicy(): any[] {
  const roles = bootstrapClusterRoles();
  const aggregated = new Map(aggregateClusterRoles(roles).map((r) => [r.metadata.name, r]));
  return [...roles.map((r) => aggregated.get(r.metadata.name) ?? r), ...bootstrapClusterRoleBindings()];
}

// ---------------------------------------------------------------------------------------------
// Access reviews (pkg/registry/authorization/*accessreview).

export interface AccessReviewStatus {
  allowed: boolean;
  denied?: boolean;
  reason?: string;
  evaluationError?: string;
}

/** authorizationutil.AuthorizationAttributesFrom for a SubjectAccessReviewSpec (or a self review with its user). */
export function attributesFromReviewSpec(spec: any, user: UserInfo): RequestAttributes {
  const ra = spec?.resourceAttributes;
  if (ra) {
    return {
      user,
      verb: ra.verb ?? '',
      resourceRequest: true,
      apiGroup: ra.group ?? '',
      apiVersion: ra.version ?? '',
      resource: ra.resource ?? '',
      subresource: ra.subresource ?? '',
      namespace: ra.namespace ?? '',
      name: ra.name ?? '',
    };
  }
  const nr = spec?.nonResourceAttributes ?? {};
  return { user, verb: nr.verb ?? '', resourceRequest: false, path: nr.path ?? '' };
}

function reviewStatus(objs: RbacObjects, attrs: RequestAttributes): AccessReviewStatus {
  const d = authorize(objs, attrs);
  const status: AccessReviewStatus = { allowed: d.allowed };
  if (d.reason) status.reason = d.reason;
  return status;
}

/**
 * The status of a SubjectAccessReview (user and groups from spec) or, when `requester` is given, of a
 * SelfSubjectAccessReview (the requester's identity). Shapes as captured: `{allowed: true}`,
 * `{allowed: true, reason: 'RBAC: allowed by ...'}`, `{allowed: false}`.
 */
export function subjectAccessReviewStatus(objs: RbacObjects, spec: any, requester?: UserInfo): AccessReviewStatus {
  const user: UserInfo = requester ?? { username: spec?.user ?? '', uid: spec?.uid, groups: spec?.groups ?? [] };
  return reviewStatus(objs, attributesFromReviewSpec(spec, user));
}

export function selfSubjectAccessReviewStatus(objs: RbacObjects, user: UserInfo, spec: any): AccessReviewStatus {
  return subjectAccessReviewStatus(objs, spec, user);
}

/** An RbacObjects over plain arrays (tests, and callers holding snapshots). */
export function rbacObjectsFrom(items: any[]): RbacObjects {
  return {
    roles: (ns) => items.filter((o) => o.kind === 'Role' && o.metadata?.namespace === ns),
    roleBindings: (ns) => items.filter((o) => o.kind === 'RoleBinding' && o.metadata?.namespace === ns),
    clusterRoles: () => items.filter((o) => o.kind === 'ClusterRole'),
    clusterRoleBindings: () => items.filter((o) => o.kind === 'ClusterRoleBinding'),
  };
}

// ---------------------------------------------------------------------------------------------
// SelfSubjectRulesReview (pkg/registry/authorization/selfsubjectrulesreview/rest.go over the union of
// the Node and RBAC rule resolvers; RBACAuthorizer.RulesFor in plugin/pkg/auth/authorizer/rbac/rbac.go).

export interface SubjectRulesReviewStatus {
  resourceRules: { verbs: string[]; apiGroups?: string[]; resources?: string[]; resourceNames?: string[] }[];
  nonResourceRules: { verbs: string[]; nonResourceURLs?: string[] }[];
  incomplete: boolean;
  evaluationError?: string;
}

/**
 * What `user` may do in `namespace`: every rule of the ClusterRoleBindings and of the namespace's
 * RoleBindings that name the user, in that order, split into resource rules (rules with resources)
 * and non-resource rules (rules with URLs). Roles that cannot be resolved give evaluationError (the
 * RBAC resolver's aggregate) and incomplete stays false, as RBACAuthorizer.RulesFor answers. The
 * privileged group authorizer is no rule resolver: system:masters shows the rules of its binding to
 * cluster-admin. Empty fields are left out (omitempty), the two lists never.
 */
export function selfSubjectRulesReviewStatus(objs: RbacObjects, user: UserInfo, namespace: string): SubjectRulesReviewStatus {
  const { rules, errors } = rulesFor(objs, user, namespace);
  const nonEmpty = (list: string[] | undefined) => (list && list.length > 0 ? list : undefined);
  const status: SubjectRulesReviewStatus = { resourceRules: [], nonResourceRules: [], incomplete: false };
  for (const r of rules) {
    if (r.resources?.length) {
      const rule: SubjectRulesReviewStatus['resourceRules'][number] = { verbs: r.verbs ?? [] };
      if (nonEmpty(r.apiGroups)) rule.apiGroups = r.apiGroups;
      rule.resources = r.resources;
      if (nonEmpty(r.resourceNames)) rule.resourceNames = r.resourceNames;
      status.resourceRules.push(rule);
    }
    if (r.nonResourceURLs?.length) status.nonResourceRules.push({ verbs: r.verbs ?? [], nonResourceURLs: r.nonResourceURLs });
  }
  if (errors.length) status.evaluationError = aggregateMessage(errors);
  return status;
}
