import { z } from 'zod';
import type { ClusterStatus } from './cluster-list-status';

/** Labels Flink puts on the JobManager Deployment of every native cluster (KubernetesUtils.getCommonLabels + component). */
export const FLINK_NATIVE_TYPE = 'flink-native-kubernetes';
export const jobManagerSelector = `type=${FLINK_NATIVE_TYPE},component=jobmanager`;

export type ClusterMode = 'session' | 'application' | 'unknown';
export type ClusterHealth = 'ready' | 'progressing' | 'not-ready' | 'stopped';

export type ClusterSummary = {
  /** namespace/name: the stable row key. */
  key: string;
  resourceVersion: string;
  uid: string;
  /** kubernetes.cluster-id: the Deployment's name (also its `app` label). */
  clusterId: string;
  namespace: string;
  image: string;
  /** e.g. "1.20.1", or "custom" when the image tag names no version. */
  flinkVersion: string;
  mode: ClusterMode;
  readyReplicas: number;
  desiredReplicas: number;
  health: ClusterHealth;
  /** ISO timestamp. */
  createdAt: string;
  /** Set while Kubernetes deletes the Deployment (Foreground: until every object it owns is gone). */
  deletionTimestamp?: string;
  /** From the Deployment, its pods and their containers (deriveClusterStatus); set by the list's join. */
  status?: ClusterStatus;
  /** Why the status is not Running, e.g. "JobManager x-6d9f-abc: ImagePullBackOff". */
  statusReason?: string;
  /** TaskManager pods that exist and have not ended. */
  taskManagers?: number;
  /** From flink-config-<id>: 'unknown' when that ConfigMap is not (yet) seen. */
  ha?: 'on' | 'off' | 'unknown';
  /** The JobManager pod whose address is the REST leader in the HA ConfigMap. */
  haLeader?: string;
};

const containerSchema = z.object({
  name: z.string().optional(),
  image: z.string().optional(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
});

const deploymentSchema = z.object({
  metadata: z.object({
    name: z.string(),
    namespace: z.string().default('default'),
    uid: z.string().default(''),
    resourceVersion: z.string().default(''),
    creationTimestamp: z.union([z.string(), z.date()]).optional(),
    deletionTimestamp: z.union([z.string(), z.date()]).nullish(),
    labels: z.record(z.string(), z.string()).optional(),
  }),
  spec: z
    .object({
      replicas: z.number().int().optional(),
      template: z.object({ spec: z.object({ containers: z.array(containerSchema).default([]) }).optional() }).optional(),
    })
    .optional(),
  status: z
    .object({
      readyReplicas: z.number().int().optional(),
      updatedReplicas: z.number().int().optional(),
      replicas: z.number().int().optional(),
    })
    .optional(),
});

/** The Flink version in an image tag: `flink:1.20.1-scala_2.12-java17` → 1.20.1; none → "custom". */
export function parseFlinkVersion(image: string | undefined): string {
  if (!image) return 'custom';
  const withoutDigest = image.split('@')[0];
  const lastPart = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = lastPart.indexOf(':');
  if (colon === -1) return 'custom';
  const match = /^v?(\d+\.\d+(?:\.\d+)?)(?=$|[-_.])/.exec(lastPart.slice(colon + 1));
  return match ? match[1] : 'custom';
}

/** session or application, from `kubernetes-jobmanager.sh kubernetes-session|kubernetes-application` in the args. */
export function parseClusterMode(container: { command?: string[]; args?: string[] } | undefined): ClusterMode {
  const line = [...(container?.command ?? []), ...(container?.args ?? [])].join(' ');
  if (/\bkubernetes-application\b/.test(line)) return 'application';
  if (/\bkubernetes-session\b/.test(line)) return 'session';
  return 'unknown';
}

function toHealth(ready: number, desired: number): ClusterHealth {
  if (desired === 0) return 'stopped';
  if (ready >= desired) return 'ready';
  return ready > 0 ? 'progressing' : 'not-ready';
}

/** A row of the cluster list from a JobManager Deployment (a raw Kubernetes object). */
export function toClusterSummary(deployment: unknown): ClusterSummary {
  const d = deploymentSchema.parse(deployment);
  const containers = d.spec?.template?.spec?.containers ?? [];
  const main = containers.find((c) => c.name === 'flink-main-container') ?? containers[0];
  const desired = d.spec?.replicas ?? 1;
  const ready = d.status?.readyReplicas ?? 0;
  const created = d.metadata.creationTimestamp;
  return {
    key: `${d.metadata.namespace}/${d.metadata.name}`,
    resourceVersion: d.metadata.resourceVersion,
    uid: d.metadata.uid,
    clusterId: d.metadata.name,
    namespace: d.metadata.namespace,
    image: main?.image ?? '',
    flinkVersion: parseFlinkVersion(main?.image),
    mode: parseClusterMode(main),
    readyReplicas: ready,
    desiredReplicas: desired,
    health: toHealth(ready, desired),
    createdAt: created instanceof Date ? created.toISOString() : (created ?? ''),
    ...(d.metadata.deletionTimestamp
      ? { deletionTimestamp: d.metadata.deletionTimestamp instanceof Date ? d.metadata.deletionTimestamp.toISOString() : d.metadata.deletionTimestamp }
      : {}),
  };
}
