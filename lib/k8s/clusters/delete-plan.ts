import 'server-only';
import { z } from 'zod';
import { FLINK_NATIVE_TYPE } from '@/lib/flink/cluster-summary';
import { isHaConfigMap, readHaData, readHaSettings, type HaConfigMapInput } from '@/lib/flink/ha-data';
import type { Connection } from '../kubeconfig';
import { toK8sApiError } from '../errors';
import { callK8s, hasStatus } from './k8s-call';
import type { DeletePlan, PlannedObject } from './delete-plan-types';

const ownerSchema = z.object({ uid: z.string(), kind: z.string(), name: z.string() });
const objectSchema = z.object({
  metadata: z.object({
    name: z.string(),
    namespace: z.string().optional(),
    uid: z.string().default(''),
    labels: z.record(z.string(), z.string()).nullish(),
    ownerReferences: z.array(ownerSchema).nullish(),
    deletionTimestamp: z.string().nullish(),
    creationTimestamp: z.string().nullish(),
  }),
  data: z.record(z.string(), z.string()).nullish(),
  spec: z.unknown().optional(),
});
export type RawObject = z.infer<typeof objectSchema>;
const listSchema = z.object({ items: z.array(objectSchema) });

type Kind = { kind: string; resource: string; base: string };
const kinds = {
  Deployment: { kind: 'Deployment', resource: 'deployments', base: '/apis/apps/v1' },
  ReplicaSet: { kind: 'ReplicaSet', resource: 'replicasets', base: '/apis/apps/v1' },
  Pod: { kind: 'Pod', resource: 'pods', base: '/api/v1' },
  ConfigMap: { kind: 'ConfigMap', resource: 'configmaps', base: '/api/v1' },
  Service: { kind: 'Service', resource: 'services', base: '/api/v1' },
} satisfies Record<string, Kind>;

/** `/apis/apps/v1/namespaces/ns/deployments[/name]`, or every namespace's when `namespace` is undefined. */
export function collectionPath(kind: Kind, namespace: string | undefined): string {
  return namespace === undefined ? `${kind.base}/${kind.resource}` : `${kind.base}/namespaces/${encodeURIComponent(namespace)}/${kind.resource}`;
}
export function deploymentPath(namespace: string, clusterId: string): string {
  return `${collectionPath(kinds.Deployment, namespace)}/${encodeURIComponent(clusterId)}`;
}

export async function listObjects(conn: Connection, kind: Kind, namespace: string | undefined, labelSelector?: string): Promise<RawObject[]> {
  try {
    const body = await callK8s(conn, { method: 'GET', path: collectionPath(kind, namespace), query: labelSelector ? { labelSelector } : undefined });
    return listSchema.parse(body).items;
  } catch (err) {
    throw toK8sApiError(err, { verb: 'list', resource: kind.resource, namespace: namespace ?? '_all', server: conn.server });
  }
}

export async function getDeployment(conn: Connection, namespace: string, clusterId: string): Promise<RawObject | undefined> {
  try {
    return objectSchema.parse(await callK8s(conn, { method: 'GET', path: deploymentPath(namespace, clusterId) }));
  } catch (err) {
    if (hasStatus(err, 404)) return undefined;
    throw toK8sApiError(err, { verb: 'get', resource: 'deployments', namespace, server: conn.server });
  }
}

export function toHaInput(o: RawObject): HaConfigMapInput {
  return { name: o.metadata.name, labels: o.metadata.labels ?? undefined, data: o.data ?? undefined, hasOwner: (o.metadata.ownerReferences ?? []).length > 0 };
}

/** The HA ConfigMaps of a cluster id, with their data (Flink labels them app=<id>,type=flink-native-kubernetes in every version since 1.15). */
export async function listHaConfigMaps(conn: Connection, namespace: string, clusterId: string): Promise<RawObject[]> {
  const items = await listObjects(conn, kinds.ConfigMap, namespace, `app=${clusterId},type=${FLINK_NATIVE_TYPE}`);
  return items.filter((o) => isHaConfigMap(clusterId, toHaInput(o)));
}

/**
 * What the garbage collector removes once the Deployment is deleted: objects whose every owner goes,
 * to a fixpoint (ReplicaSets, then their pods; TaskManager pods, ConfigMaps and Services Flink owns
 * by the Deployment). An object with another owner that stays is not collected.
 */
export function ownedClosure(root: RawObject & { kind: string }, candidates: (RawObject & { kind: string })[]): PlannedObject[] {
  const goingUids = new Map<string, string>([[root.metadata.uid, `${root.kind}/${root.metadata.name}`]]);
  const out: PlannedObject[] = [];
  let grew = true;
  while (grew) {
    grew = false;
    for (const c of candidates) {
      const owners = c.metadata.ownerReferences ?? [];
      if (goingUids.has(c.metadata.uid) || owners.length === 0) continue;
      if (!owners.every((o) => goingUids.has(o.uid))) continue;
      goingUids.set(c.metadata.uid, `${c.kind}/${c.metadata.name}`);
      out.push({ kind: c.kind, name: c.metadata.name, ownedBy: goingUids.get(owners[0].uid), deleting: Boolean(c.metadata.deletionTimestamp) });
      grew = true;
    }
  }
  return out;
}

const kindOrder = ['ReplicaSet', 'Pod', 'ConfigMap', 'Service'];

/** GET …/delete-plan: what deleting the cluster removes and what it keeps, from the live objects. */
export async function buildDeletePlan(conn: Connection, namespace: string, clusterId: string): Promise<DeletePlan> {
  const deployment = await getDeployment(conn, namespace, clusterId);
  const [replicaSets, pods, configMaps, services] = await Promise.all([
    deployment ? listObjects(conn, kinds.ReplicaSet, namespace) : [],
    // Every pod of the cluster carries app=<id> (JobManagers from the template, TaskManagers from Flink).
    deployment ? listObjects(conn, kinds.Pod, namespace, `app=${clusterId}`) : [],
    listObjects(conn, kinds.ConfigMap, namespace),
    deployment ? listObjects(conn, kinds.Service, namespace) : [],
  ]);
  const tag = (kind: string) => (o: RawObject) => ({ ...o, kind });
  const goes: PlannedObject[] = deployment
    ? [
        { kind: 'Deployment', name: clusterId, deleting: Boolean(deployment.metadata.deletionTimestamp) },
        ...ownedClosure({ ...deployment, kind: 'Deployment' }, [
          ...replicaSets.map(tag('ReplicaSet')),
          ...pods.map(tag('Pod')),
          ...configMaps.map(tag('ConfigMap')),
          ...services.map(tag('Service')),
        ]).sort((a, b) => kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) || a.name.localeCompare(b.name)),
      ]
    : [];

  const ha = readHaData(clusterId, configMaps.map(toHaInput));
  const flinkConfig = configMaps.find((c) => c.metadata.name === `flink-config-${clusterId}`);
  const settings = readHaSettings(flinkConfig?.data ?? undefined, clusterId);
  const dataPath = settings.dataPath ?? ha.dataPathFromHandles;
  const podSpec = (deployment?.spec as { template?: { spec?: { serviceAccountName?: string; serviceAccount?: string } } } | undefined)?.template?.spec;
  const serviceAccount = podSpec?.serviceAccountName ?? podSpec?.serviceAccount ?? 'default';
  const enabled = settings.enabled || ha.configMaps.length > 0;
  const recover =
    ha.jobs.length === 0
      ? 'its jobs from their latest checkpoints (none is registered now)'
      : ha.jobs.length === 1
        ? 'its job from the latest checkpoint'
        : `its ${ha.jobs.length} jobs from their latest checkpoints`;
  return {
    namespace,
    clusterId,
    exists: deployment !== undefined,
    deletionTimestamp: deployment?.metadata.deletionTimestamp ?? undefined,
    goes,
    stays: {
      highAvailability: { enabled, configMaps: ha.configMaps, jobs: ha.jobs, storageDir: settings.storageDir, dataPath },
      serviceAccount: { name: serviceAccount, shared: true },
      rbac: serviceAccount === 'flink' ? [{ kind: 'Role', name: 'flink' }, { kind: 'RoleBinding', name: 'flink' }] : [],
    },
    note: enabled
      ? `Keeping the HA data lets a new cluster with the same id ${clusterId} recover ${recover}.`
      : `High availability is off: no HA data is kept for ${clusterId}.`,
  };
}

export { kinds as deleteKinds };
