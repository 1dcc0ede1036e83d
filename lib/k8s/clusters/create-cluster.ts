import 'server-only';
import type { V1Deployment } from '@kubernetes/client-node';
import { ApiError } from '@/lib/api/api-error';
import type { ClusterDependent } from '@/lib/flink/build-cluster-objects';
import { buildJobManagerParameters } from '@/lib/flink/cluster-parameters';
import type { ClusterSpec } from '@/lib/flink/cluster-spec-schema';
import { withOwnerReference } from '@/lib/flink/with-owner-reference';
import type { Connection } from '../kubeconfig';
import { describePermissions } from './check-service-account';
import { callK8s, hasStatus } from './k8s-call';
import { toObjectPath } from './object-path';
import { preflightCluster, toTakenError } from './preflight-cluster';
import { provisionServiceAccount } from './provision-service-account';
import { purgeHaConfigMaps } from './purge-ha-configmaps';
import { rollbackCluster } from './rollback-cluster';
import { toCreateError } from './to-create-error';

export type HaLeftoverChoice = 'recover' | 'purge';

export type CreatedCluster = { namespace: string; clusterId: string; uid: string };

async function createDependent(conn: Connection, namespace: string, object: ClusterDependent): Promise<void> {
  const path = toObjectPath(object, namespace);
  try {
    await callK8s(conn, { method: 'POST', path, body: object });
  } catch (err) {
    if (!hasStatus(err, 409)) throw toCreateError(err, conn, object, namespace);
    // Flink creates dependents with createOrReplace: an orphan of an earlier cluster is replaced.
    try {
      await callK8s(conn, { method: 'DELETE', path: toObjectPath(object, namespace, true) });
      await callK8s(conn, { method: 'POST', path, body: object });
    } catch (again) {
      throw toCreateError(again, conn, object, namespace);
    }
  }
}

function checkChosenAccount(spec: ClusterSpec, account: { name: string; exists: boolean; willProvision: boolean; missing: { verb: string; group: string; resource: string }[] }) {
  if (account.willProvision) return;
  if (!account.exists) {
    const message = `ServiceAccount ${account.name} does not exist in namespace ${spec.namespace}: create it, or leave the field empty and the dashboard provisions ServiceAccount flink.`;
    throw new ApiError('invalid_input', message, { issues: [{ path: 'serviceAccount', message }] });
  }
  if (account.missing.length > 0) {
    const message = `ServiceAccount ${account.name} may not ${describePermissions(account.missing)} in namespace ${spec.namespace}; the JobManager needs these rights to run TaskManagers${spec.ha.enabled ? ' and high availability' : ''}. Grant them with a Role and RoleBinding, or use ServiceAccount flink.`;
    throw new ApiError('invalid_input', message, { issues: [{ path: 'serviceAccount', message }] });
  }
}

/**
 * Creates a cluster as Flink's client does, with checks first and no half-made cluster left:
 * one parallel round of checks and dry runs (preflightCluster); then, if asked, the HA leftovers
 * are purged; then the Deployment is created while the ServiceAccount objects are provisioned;
 * then every dependent in parallel with an ownerReference to the Deployment's uid. Any failure
 * removes the Deployment (Foreground) and HA ConfigMaps this create brought about.
 */
export async function createCluster(conn: Connection, spec: ClusterSpec, haLeftovers?: HaLeftoverChoice): Promise<CreatedCluster> {
  const { namespace, clusterId } = spec;
  const { report, cluster } = await preflightCluster(conn, spec);
  if (report.haLeftovers.length > 0 && !haLeftovers) {
    throw new ApiError(
      'conflict',
      `High-availability ConfigMaps of an earlier cluster named ${clusterId} exist in namespace ${namespace} (${report.haLeftovers.join(', ')}). ` +
        'Choose "recover" to keep them (the new cluster resumes those jobs from their latest checkpoints) or "purge" to delete them first.',
      { details: { haLeftovers: report.haLeftovers } },
    );
  }
  checkChosenAccount(spec, report.serviceAccount);
  if (haLeftovers === 'purge' && report.haLeftovers.length > 0) await purgeHaConfigMaps(conn, namespace, report.haLeftovers);
  const keepConfigMaps = haLeftovers === 'recover' ? report.haLeftovers : [];

  let deploymentUid: string | undefined;
  const deploymentAndDependents = (async () => {
    let created: V1Deployment;
    try {
      created = (await callK8s(conn, { method: 'POST', path: toObjectPath(cluster.deployment, namespace), body: cluster.deployment })) as V1Deployment;
    } catch (err) {
      if (hasStatus(err, 409)) throw toTakenError(clusterId, namespace, { deployment: true, restService: false });
      throw toCreateError(err, conn, cluster.deployment, namespace);
    }
    const uid = created.metadata?.uid;
    if (!uid) throw new ApiError('upstream_error', `The API server did not answer the uid of Deployment ${clusterId}.`);
    deploymentUid = uid;
    await Promise.all(cluster.dependents.map((d) => createDependent(conn, namespace, withOwnerReference(d, created))));
    return uid;
  })();
  const provisioning = report.serviceAccount.willProvision ? provisionServiceAccount(conn, namespace) : Promise.resolve();

  const [made, provisioned] = await Promise.allSettled([deploymentAndDependents, provisioning]);
  if (made.status === 'fulfilled' && provisioned.status === 'fulfilled') return { namespace, clusterId, uid: made.value };
  await rollbackCluster(conn, { namespace, clusterId, deploymentUid, keepConfigMaps, highAvailability: buildJobManagerParameters(spec).highAvailability });
  throw made.status === 'rejected' ? made.reason : (provisioned as PromiseRejectedResult).reason;
}
