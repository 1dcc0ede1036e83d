import 'server-only';
import { isApiError } from '@/lib/api/api-error';
import { buildFlinkServiceAccountObjects } from '@/lib/flink/rbac';
import type { Connection } from '../kubeconfig';
import { callK8s, hasStatus } from './k8s-call';
import { toObjectPath, type KubeObject } from './object-path';
import { toCreateError } from './to-create-error';

async function createIfAbsent(conn: Connection, namespace: string, object: KubeObject, dryRun: boolean): Promise<void> {
  try {
    await callK8s(conn, {
      method: 'POST',
      path: toObjectPath(object, namespace),
      query: dryRun ? { dryRun: 'All' } : undefined,
      body: object,
    });
  } catch (err) {
    // Shared by every cluster of the namespace: one made by someone else is fine.
    if (hasStatus(err, 409)) return;
    throw toCreateError(err, conn, object, namespace);
  }
}

/**
 * Creates the JobManager's ServiceAccount `flink`, its Role and RoleBinding (objects that exist
 * are kept). The ServiceAccount and Role go in parallel; the RoleBinding follows the Role, since
 * a user without `bind` may only bind a Role that exists and whose rights they hold.
 */
export async function provisionServiceAccount(conn: Connection, namespace: string): Promise<void> {
  const [account, role, binding] = buildFlinkServiceAccountObjects(namespace);
  await Promise.all([createIfAbsent(conn, namespace, account, false), createIfAbsent(conn, namespace, role, false)]);
  await createIfAbsent(conn, namespace, binding, false);
}

/** Dry run of the three objects in parallel: refuses early when the user may not provision them. */
export async function dryRunServiceAccountObjects(conn: Connection, namespace: string): Promise<void> {
  const [account, role, binding] = buildFlinkServiceAccountObjects(namespace);
  const results = await Promise.allSettled([
    createIfAbsent(conn, namespace, account, true),
    createIfAbsent(conn, namespace, role, true),
    createIfAbsent(conn, namespace, binding, true),
  ]);
  const [a, r, b] = results;
  if (a.status === 'rejected') throw a.reason;
  if (r.status === 'rejected') throw r.reason;
  // Without `bind`, the API server checks the bound Role's rules, so a dry run of the binding fails
  // while the Role does not exist yet: 404 (the Role's NotFound, as the rolebinding registry returns
  // it) or 403. It works once the Role is made and its rights are held; the real create reports it
  // if it still fails.
  if (b.status === 'rejected' && !(isApiError(b.reason) && (b.reason.code === 'forbidden' || b.reason.code === 'not_found'))) throw b.reason;
}
