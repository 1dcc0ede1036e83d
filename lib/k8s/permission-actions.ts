// The dashboard's actions and the Kubernetes rights each needs (client-safe: no server imports).
// Flink REST calls go through the API server's proxy subresources, whose RBAC verb is the HTTP
// method's (GET → get, POST → create, PATCH → patch, DELETE → delete) on `services/proxy` or
// `pods/proxy`; the `proxy` verb only applies to the old /api/v1/proxy/... paths the dashboard never uses.

export type Right = { verb: string; group: string; resource: string; subresource?: string };

const PROXY_GET_SERVICE = { verb: 'get', group: '', resource: 'services', subresource: 'proxy' } as const;

export const DASHBOARD_ACTIONS = {
  createCluster: {
    label: 'create a Flink cluster',
    needs: [
      { verb: 'create', group: 'apps', resource: 'deployments' },
      { verb: 'create', group: '', resource: 'services' },
      { verb: 'create', group: '', resource: 'configmaps' },
    ],
  },
  deleteCluster: { label: 'delete a Flink cluster', needs: [{ verb: 'delete', group: 'apps', resource: 'deployments' }] },
  purgeHaData: {
    label: 'purge HA data',
    needs: [
      { verb: 'list', group: '', resource: 'configmaps' },
      { verb: 'delete', group: '', resource: 'configmaps' },
    ],
  },
  testFailover: { label: 'test a failover', needs: [{ verb: 'delete', group: '', resource: 'pods' }] },
  // Jars live on the leading JobManager: its address is read through the REST Service first (get services/proxy).
  uploadJar: { label: 'upload a jar', needs: [PROXY_GET_SERVICE, { verb: 'create', group: '', resource: 'pods', subresource: 'proxy' }] },
  runJar: { label: 'run a jar', needs: [PROXY_GET_SERVICE, { verb: 'create', group: '', resource: 'pods', subresource: 'proxy' }] },
  deleteJar: { label: 'delete a jar', needs: [PROXY_GET_SERVICE, { verb: 'delete', group: '', resource: 'pods', subresource: 'proxy' }] },
  cancelJob: { label: 'cancel a job', needs: [{ verb: 'patch', group: '', resource: 'services', subresource: 'proxy' }] },
  stopJob: { label: 'stop a job or take a savepoint', needs: [{ verb: 'create', group: '', resource: 'services', subresource: 'proxy' }] },
  readLogs: { label: 'read pod logs', needs: [{ verb: 'get', group: '', resource: 'pods', subresource: 'log' }] },
  // The Flink web UI is read-only, served by GET (and HEAD, which the API server also authorizes as get) through the REST Service's proxy.
  openFlinkUi: { label: 'open the Flink web UI', needs: [PROXY_GET_SERVICE] },
} as const satisfies Record<string, { label: string; needs: readonly Right[] }>;

export type DashboardAction = keyof typeof DASHBOARD_ACTIONS;
export const dashboardActionIds = Object.keys(DASHBOARD_ACTIONS) as DashboardAction[];

export type ActionPermission = { allowed: boolean; reason?: string };

/** What GET /api/permissions answers. */
export type PermissionsDto = {
  context: string;
  namespace: string;
  /** How it was decided: the SelfSubjectRulesReview's rules, or SelfSubjectAccessReviews where those were incomplete. */
  source: 'rules' | 'reviews';
  actions: Record<DashboardAction, ActionPermission>;
};

/** "deployments", "pods/proxy", "deployments (apps)"-free wording as lib/k8s/errors.ts uses it. */
export function describeRight(right: Right): string {
  return right.subresource ? `${right.resource}/${right.subresource}` : right.resource;
}

/** The plain reason a right is missing: "You may not delete deployments in namespace x." */
export function missingRightReason(right: Right, namespace: string): string {
  return `You may not ${right.verb} ${describeRight(right)} in namespace ${namespace}.`;
}

type RuleLike = { verbs?: readonly string[]; apiGroups?: readonly string[]; resources?: readonly string[]; resourceNames?: readonly string[] };

/**
 * Whether one of `rules` (a SelfSubjectRulesReview's resourceRules) grants `right` on every object of
 * its kind, matched as the RBAC authorizer matches (pkg/apis/rbac/v1/evaluation_helpers.go): `*`
 * verbs/groups/resources, `*\/sub` for a subresource. A rule limited to resourceNames does not count:
 * the actions act on objects whose names the rule cannot know in advance.
 */
export function rulesAllow(rules: readonly RuleLike[], right: Right): boolean {
  const combined = right.subresource ? `${right.resource}/${right.subresource}` : right.resource;
  return rules.some((rule) => {
    if (rule.resourceNames && rule.resourceNames.length > 0) return false;
    const verbs = rule.verbs ?? [];
    const groups = rule.apiGroups ?? [];
    const resources = rule.resources ?? [];
    if (!verbs.includes('*') && !verbs.includes(right.verb)) return false;
    if (!groups.includes('*') && !groups.includes(right.group)) return false;
    return resources.some((r) => r === '*' || r === combined || (right.subresource !== undefined && r === `*/${right.subresource}`));
  });
}
