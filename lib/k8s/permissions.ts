import 'server-only';
import { z } from 'zod';
import type { Connection } from './kubeconfig';
import { toK8sApiError } from './errors';
import { callK8s } from './request';
import {
  DASHBOARD_ACTIONS,
  dashboardActionIds,
  missingRightReason,
  rulesAllow,
  type ActionPermission,
  type DashboardAction,
  type PermissionsDto,
  type Right,
} from './permission-actions';

const rulesReviewSchema = z.object({
  status: z.object({
    resourceRules: z
      .array(
        z.object({
          verbs: z.array(z.string()),
          apiGroups: z.array(z.string()).optional(),
          resources: z.array(z.string()).optional(),
          resourceNames: z.array(z.string()).optional(),
        }),
      )
      .nullish(),
    incomplete: z.boolean().optional(),
    evaluationError: z.string().optional(),
  }),
});

const accessReviewSchema = z.object({ status: z.object({ allowed: z.boolean().optional() }).optional() });

const rightKey = (r: Right) => `${r.verb} ${r.group}/${r.resource}/${r.subresource ?? ''}`;

/** One SelfSubjectAccessReview: may the connection's user do `right` in `namespace`? */
async function reviewRight(conn: Connection, namespace: string, right: Right): Promise<boolean> {
  try {
    const body = await callK8s(conn, {
      method: 'POST',
      path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: { namespace, verb: right.verb, group: right.group, resource: right.resource, ...(right.subresource ? { subresource: right.subresource } : {}) } },
      },
    });
    return accessReviewSchema.parse(body).status?.allowed === true;
  } catch (err) {
    throw toK8sApiError(err, { verb: 'create', resource: 'selfsubjectaccessreviews', server: conn.server });
  }
}

/**
 * Which dashboard actions the connection's user (impersonated, see kubeconfig.ts) may do in
 * `namespace`. One SelfSubjectRulesReview lists the user's rules there; rules are additive, so a
 * right they grant is certain. A right they do not grant is certain too unless the review says it
 * is incomplete or could not evaluate everything (a webhook authorizer, a missing Role): then that
 * right is asked with a SelfSubjectAccessReview. This is for showing and hiding actions only; the
 * API server still decides each request.
 */
export async function readPermissions(conn: Connection, namespace: string): Promise<PermissionsDto> {
  let review: z.infer<typeof rulesReviewSchema>;
  try {
    review = rulesReviewSchema.parse(
      await callK8s(conn, {
        method: 'POST',
        path: '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews',
        body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace } },
      }),
    );
  } catch (err) {
    throw toK8sApiError(err, { verb: 'create', resource: 'selfsubjectrulesreviews', server: conn.server });
  }
  const rules = review.status.resourceRules ?? [];
  const uncertain = review.status.incomplete === true || Boolean(review.status.evaluationError);
  const decided = new Map<string, Promise<boolean>>();
  const allowed = (right: Right): Promise<boolean> => {
    const key = rightKey(right);
    let p = decided.get(key);
    if (!p) {
      p = rulesAllow(rules, right) ? Promise.resolve(true) : uncertain ? reviewRight(conn, namespace, right) : Promise.resolve(false);
      decided.set(key, p);
    }
    return p;
  };
  const entries = await Promise.all(
    dashboardActionIds.map(async (id): Promise<[DashboardAction, ActionPermission]> => {
      const needs: readonly Right[] = DASHBOARD_ACTIONS[id].needs;
      const results = await Promise.all(needs.map(allowed));
      const missing = needs.find((_, i) => !results[i]);
      return [id, missing ? { allowed: false, reason: missingRightReason(missing, namespace) } : { allowed: true }];
    }),
  );
  return {
    context: conn.context,
    namespace,
    source: uncertain ? 'reviews' : 'rules',
    actions: Object.fromEntries(entries) as Record<DashboardAction, ActionPermission>,
  };
}
