import 'server-only';
import { ApiError, isApiError } from '@/lib/api/api-error';
import { buildClusterObjects, type ClusterObjects } from '@/lib/flink/build-cluster-objects';
import { buildJobManagerParameters } from '@/lib/flink/cluster-parameters';
import type { ClusterSpec } from '@/lib/flink/cluster-spec-schema';
import { buildCliCommand } from '@/lib/flink/cli-command';
import { buildFlinkServiceAccountObjects, FLINK_SERVICE_ACCOUNT, type RequiredPermission } from '@/lib/flink/rbac';
import { buildYamlPreview } from '@/lib/flink/yaml-preview';
import type { Connection } from '../kubeconfig';
import { toK8sApiError } from '../errors';
import { checkServiceAccount, describePermissions } from './check-service-account';
import { collectReferences, type Reference } from './collect-references';
import { findHaLeftovers } from './find-ha-leftovers';
import { callK8s, hasStatus } from './k8s-call';
import { toObjectPath, type KubeObject } from './object-path';
import { dryRunServiceAccountObjects } from './provision-service-account';
import { toCreateError } from './to-create-error';

export type PreflightWarning = { code: string; message: string; field?: string };

export type PreflightServiceAccount = {
  name: string;
  exists: boolean;
  willProvision: boolean;
  missing: RequiredPermission[];
};

export type PreflightReport = {
  spec: ClusterSpec;
  objects: KubeObject[];
  yaml: string;
  cli: string;
  warnings: PreflightWarning[];
  haLeftovers: string[];
  serviceAccount: PreflightServiceAccount;
};

/** What the create flow needs besides the report: the objects to create and the account decision. */
export type PreflightResult = { report: PreflightReport; cluster: ClusterObjects };

/** GET by path: true when it exists, false on 404. */
async function exists(conn: Connection, path: string, op: { resource: string; namespace: string }): Promise<boolean> {
  try {
    await callK8s(conn, { method: 'GET', path });
    return true;
  } catch (err) {
    if (hasStatus(err, 404)) return false;
    throw toK8sApiError(err, { verb: 'get', resource: op.resource, namespace: op.namespace, server: conn.server });
  }
}

async function dryRunCreate(conn: Connection, namespace: string, object: KubeObject, replaceable: boolean): Promise<void> {
  try {
    await callK8s(conn, { method: 'POST', path: toObjectPath(object, namespace), query: { dryRun: 'All' }, body: object });
  } catch (err) {
    // Dependents are created or replaced (Flink's createOrReplace): an orphan of that name is no obstacle.
    if (replaceable && hasStatus(err, 409)) return;
    throw toCreateError(err, conn, object, namespace);
  }
}

/** A missing Secret or ConfigMap leaves the pods in ContainerCreating; unknown (no rights to read) is no warning. */
async function checkReference(conn: Connection, namespace: string, ref: Reference): Promise<PreflightWarning | undefined> {
  const plural = ref.kind === 'Secret' ? 'secrets' : 'configmaps';
  try {
    await callK8s(conn, { method: 'GET', path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/${plural}/${encodeURIComponent(ref.name)}` });
    return undefined;
  } catch (err) {
    if (!hasStatus(err, 404)) return undefined;
    return {
      code: ref.kind === 'Secret' ? 'missing_secret' : 'missing_config_map',
      field: ref.field,
      message: `${ref.kind} ${ref.name} (${ref.use}) does not exist in namespace ${namespace}: the pods will wait in ContainerCreating until it does.`,
    };
  }
}

/**
 * "A cluster named demo already exists in namespace ns: Deployment demo and Service demo-rest."
 * Flink's client counts either object as the cluster (KubernetesClusterDescriptor checks both).
 */
export function toTakenError(clusterId: string, namespace: string, taken: { deployment: boolean; restService: boolean }): ApiError {
  const what = [taken.deployment ? `Deployment ${clusterId}` : '', taken.restService ? `Service ${clusterId}-rest` : ''].filter(Boolean).join(' and ');
  const message = `A cluster named ${clusterId} already exists in namespace ${namespace}: ${what}. Choose another cluster id, or delete that cluster first.`;
  return new ApiError('conflict', message, { issues: [{ path: 'clusterId', message }] });
}

function haStorageWarning(spec: ClusterSpec): PreflightWarning[] {
  const dir = spec.ha.enabled ? spec.ha.storageDir : undefined;
  if (!dir || !(dir.startsWith('file:') || dir.startsWith('/'))) return [];
  return [
    {
      code: 'ha_storage_local',
      field: 'ha.storageDir',
      message: `${dir} is a local path: each JobManager pod writes HA data to its own disk, so a restarted or standby JobManager cannot recover jobs unless a shared volume is mounted there (pod template).`,
    },
  ];
}

/**
 * Everything known before creating a cluster, read in ONE parallel round of requests: is the id
 * taken (Deployment `<id>` or Service `<id>-rest`, as Flink checks), HA ConfigMaps left by an
 * earlier cluster of that id, the ServiceAccount, referenced Secrets/ConfigMaps, and a server-side
 * dry run of every object. Throws 409 for a taken id, 403/422 when the dry run is refused.
 */
export async function preflightCluster(conn: Connection, spec: ClusterSpec): Promise<PreflightResult> {
  const namespace = spec.namespace;
  const params = buildJobManagerParameters(spec);
  const cluster = buildClusterObjects(spec);
  const accountName = params.serviceAccount;
  const provisioned = accountName === FLINK_SERVICE_ACCOUNT;
  const ns = encodeURIComponent(namespace);

  const [deploymentTaken, restTaken, leftovers, account, rbacDryRun, dryRuns, refWarnings] = await Promise.allSettled([
    exists(conn, `/apis/apps/v1/namespaces/${ns}/deployments/${encodeURIComponent(spec.clusterId)}`, { resource: 'deployments', namespace }),
    exists(conn, `/api/v1/namespaces/${ns}/services/${encodeURIComponent(`${spec.clusterId}-rest`)}`, { resource: 'services', namespace }),
    findHaLeftovers(conn, namespace, spec.clusterId),
    provisioned
      ? exists(conn, `/api/v1/namespaces/${ns}/serviceaccounts/${FLINK_SERVICE_ACCOUNT}`, { resource: 'serviceaccounts', namespace }).then((e) => ({
          name: accountName,
          exists: e,
          missing: [] as RequiredPermission[],
        }))
      : checkServiceAccount(conn, namespace, accountName, spec),
    provisioned ? dryRunServiceAccountObjects(conn, namespace) : Promise.resolve(),
    Promise.allSettled([cluster.deployment, ...cluster.dependents].map((o, i) => dryRunCreate(conn, namespace, o, i > 0))),
    Promise.all(collectReferences(params).map((ref) => checkReference(conn, namespace, ref))),
  ]);

  const value = <T>(r: PromiseSettledResult<T>): T => {
    if (r.status === 'rejected') throw r.reason;
    return r.value;
  };
  const deploymentExists = value(deploymentTaken);
  const restExists = value(restTaken);
  if (deploymentExists || restExists) throw toTakenError(spec.clusterId, namespace, { deployment: deploymentExists, restService: restExists });

  const warnings: PreflightWarning[] = [];
  let sa: PreflightServiceAccount;
  if (account.status === 'rejected' && isApiError(account.reason) && account.reason.code === 'forbidden' && !provisioned) {
    // Cannot review the account's rights: say so, and let the create go on.
    warnings.push({ code: 'service_account_unchecked', field: 'serviceAccount', message: account.reason.message });
    sa = { name: accountName, exists: true, willProvision: false, missing: [] };
  } else {
    const a = value(account);
    sa = { ...a, willProvision: provisioned && !a.exists };
  }
  // Only a refusal of the dry run that matters: the account objects when they will be made.
  for (const r of value(dryRuns)) value(r);
  if (sa.willProvision) value(rbacDryRun);

  if (!provisioned && !sa.exists) {
    warnings.push({ code: 'service_account_missing', field: 'serviceAccount', message: `ServiceAccount ${accountName} does not exist in namespace ${namespace}.` });
  } else if (sa.missing.length > 0) {
    warnings.push({
      code: 'service_account_missing_rights',
      field: 'serviceAccount',
      message: `ServiceAccount ${accountName} may not ${describePermissions(sa.missing)} in namespace ${namespace}; the JobManager needs these rights.`,
    });
  }
  warnings.push(...value(refWarnings).filter((w): w is PreflightWarning => w !== undefined));
  warnings.push(...haStorageWarning(spec));

  const objects: KubeObject[] = [
    ...(sa.willProvision ? buildFlinkServiceAccountObjects(namespace) : []),
    cluster.deployment,
    ...cluster.dependents,
  ];
  const report: PreflightReport = {
    spec,
    objects,
    yaml: buildYamlPreview(objects),
    cli: buildCliCommand(spec),
    warnings,
    haLeftovers: value(leftovers),
    serviceAccount: sa,
  };
  return { report, cluster };
}
