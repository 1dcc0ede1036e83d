// Names Flink's Kubernetes HA services use (flink-kubernetes: KubernetesLeaderElector,
// KubernetesUtils, Constants, KubernetesStateHandleStore; 1.19–2.3 layout). PURE.

/** fabric8 ConfigMapLock's annotation (KubernetesLeaderElector.LEADER_ANNOTATION_KEY). */
export const LEADER_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader';
/** KubernetesUtils.LEADER_PREFIX: `<prefix><componentId>` = `<leaderSessionId>,<address>`. */
export const LEADER_KEY_PREFIX = 'org.apache.flink.k8s.leader.';
/** JobMaster leader keys are `job-<jobId>` since FLINK-32710 (1.19+); plain `<jobId>` before. */
export const JOB_LEADER_PREFIX = 'job-';
/** Constants.JOB_GRAPH_STORE_KEY_PREFIX (1.x) and EXECUTION_PLAN_STORE_KEY_PREFIX (2.x). */
export const JOB_GRAPH_KEY_PREFIX = 'jobGraph-';
export const EXECUTION_PLAN_KEY_PREFIX = 'executionPlan-';
/** Constants.CHECKPOINT_ID_KEY_PREFIX + %019d, and the checkpoint id counter's key. */
export const CHECKPOINT_KEY_PREFIX = 'checkpointID-';
export const CHECKPOINT_COUNTER_KEY = 'counter';
/** Before 2.0 Flink labels HA ConfigMaps with configmap-type=high-availability as well as app/type. */
export const HA_CONFIGMAP_TYPE_LABEL = 'configmap-type';
export const HA_CONFIGMAP_TYPE_VALUE = 'high-availability';

export const CLUSTER_COMPONENTS = ['dispatcher', 'resourcemanager', 'restserver'] as const;
export type ClusterComponent = (typeof CLUSTER_COMPONENTS)[number];

/** `<cid>-cluster-config-map`: the lock and the job registry. */
export function clusterConfigMapName(clusterId: string): string {
  return `${clusterId}-cluster-config-map`;
}

const JOB_ID = /^[0-9a-f]{32}$/;

/** `<cid>-<jobId>-config-map`'s job id, or undefined when the name is not one of this cluster's job ConfigMaps. */
export function jobIdOfConfigMap(name: string, clusterId: string): string | undefined {
  const prefix = `${clusterId}-`;
  const suffix = '-config-map';
  if (!name.startsWith(prefix) || !name.endsWith(suffix)) return undefined;
  const id = name.slice(prefix.length, name.length - suffix.length);
  return JOB_ID.test(id) ? id : undefined;
}

export function isJobId(s: string): boolean {
  return JOB_ID.test(s);
}
