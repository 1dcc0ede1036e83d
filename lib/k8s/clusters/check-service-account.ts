import 'server-only';
import type { ClusterSpec } from '@/lib/flink/cluster-spec-schema';
import { requiredFlinkPermissions, type RequiredPermission } from '@/lib/flink/rbac';
import { ApiError } from '@/lib/api/api-error';
import type { Connection } from '../kubeconfig';
import { toK8sApiError } from '../errors';
import { callK8s, hasStatus } from './k8s-call';

export type ServiceAccountCheck = { name: string; exists: boolean; missing: RequiredPermission[] };

type Review = { status?: { allowed?: boolean } };

/** The user and groups the API server gives a ServiceAccount's token. */
function toServiceAccountSubject(namespace: string, name: string) {
  return {
    user: `system:serviceaccount:${namespace}:${name}`,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
  };
}

async function reviewPermission(conn: Connection, namespace: string, name: string, p: RequiredPermission): Promise<boolean> {
  const review = (await callK8s(conn, {
    method: 'POST',
    path: '/apis/authorization.k8s.io/v1/subjectaccessreviews',
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: { ...toServiceAccountSubject(namespace, name), resourceAttributes: { namespace, verb: p.verb, group: p.group, resource: p.resource } },
    },
  })) as Review;
  return review.status?.allowed === true;
}

async function readExists(conn: Connection, namespace: string, name: string): Promise<boolean> {
  try {
    await callK8s(conn, {
      method: 'GET',
      path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/serviceaccounts/${encodeURIComponent(name)}`,
    });
    return true;
  } catch (err) {
    if (hasStatus(err, 404)) return false;
    throw toK8sApiError(err, { verb: 'get', resource: 'serviceaccounts', namespace, server: conn.server });
  }
}

/**
 * Whether a ServiceAccount exists and which of the JobManager's rights it lacks: one
 * SubjectAccessReview per required permission, all in parallel with the existence check.
 */
export async function checkServiceAccount(
  conn: Connection,
  namespace: string,
  name: string,
  spec: ClusterSpec,
): Promise<ServiceAccountCheck> {
  const permissions = requiredFlinkPermissions(spec);
  const [exists, allowed] = await Promise.all([
    readExists(conn, namespace, name),
    Promise.all(permissions.map((p) => reviewPermission(conn, namespace, name, p))).catch((err: unknown) => {
      if (hasStatus(err, 403)) {
        throw new ApiError(
          'forbidden',
          'You may not create subjectaccessreviews (authorization.k8s.io), so the dashboard cannot check what ' +
            `ServiceAccount ${name} may do. Ask for create on subjectaccessreviews, or check its Role yourself.`,
        );
      }
      throw toK8sApiError(err, { verb: 'create', resource: 'subjectaccessreviews', server: conn.server });
    }),
  ]);
  return { name, exists, missing: permissions.filter((_, i) => !allowed[i]) };
}

/** "create pods, get apps/deployments" for messages. */
export function describePermissions(permissions: readonly RequiredPermission[]): string {
  return permissions.map((p) => `${p.verb} ${p.group ? `${p.group}/` : ''}${p.resource}`).join(', ');
}
