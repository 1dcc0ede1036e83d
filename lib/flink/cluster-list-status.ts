// PURE: the status of a cluster-list row, from its JobManager Deployment, its pods and their
// containers. Reads the slim pods the list's informer keeps (see lib/k8s/informer-transforms.ts).

export const clusterStatuses = ['Starting', 'Running', 'Degraded', 'Failing', 'Deleting', 'Stopped'] as const;
export type ClusterStatus = (typeof clusterStatuses)[number];

export type SlimContainerState = {
  waiting?: { reason?: string };
  running?: Record<string, never> | { startedAt?: string };
  terminated?: { reason?: string; exitCode?: number };
};

export type SlimContainerStatus = {
  name: string;
  ready: boolean;
  restartCount: number;
  state?: SlimContainerState;
  lastState?: SlimContainerState;
};

/** The fields of a pod the list's status needs (what the pod transform keeps). */
export type SlimPod = {
  metadata: {
    name: string;
    namespace: string;
    labels?: Record<string, string>;
    deletionTimestamp?: string;
  };
  status?: {
    phase?: string;
    podIP?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    containerStatuses?: SlimContainerStatus[];
  };
};

export type StatusDeployment = {
  deletionTimestamp?: string;
  desiredReplicas: number;
  readyReplicas: number;
};

export type DerivedStatus = { status: ClusterStatus; reason?: string };

/** Waiting reasons that do not go away by waiting (kubelet's image and container errors, back-off). */
const FAILING_WAITING = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'ErrImageNeverPull',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

/** Why a pod is in trouble, in the words Kubernetes uses; undefined when it is not. */
export function podProblem(pod: SlimPod): string | undefined {
  if (pod.metadata.deletionTimestamp) return undefined; // going away on purpose
  const status = pod.status ?? {};
  if (status.phase === 'Failed') return 'Failed';
  for (const c of status.containerStatuses ?? []) {
    const waiting = c.state?.waiting?.reason;
    const lastTerminated = c.lastState?.terminated?.reason;
    if (waiting && FAILING_WAITING.has(waiting)) {
      // CrashLoopBackOff after an OOM kill: the OOM is the cause worth naming.
      return waiting === 'CrashLoopBackOff' && lastTerminated === 'OOMKilled' ? 'OOMKilled (CrashLoopBackOff)' : waiting;
    }
    const terminated = c.state?.terminated?.reason;
    if (terminated === 'OOMKilled' || terminated === 'Error') return terminated;
    if (!c.ready && lastTerminated === 'OOMKilled') return 'OOMKilled';
  }
  if (status.phase === 'Pending') {
    const scheduled = status.conditions?.find((c) => c.type === 'PodScheduled');
    if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') return 'Unschedulable';
  }
  return undefined;
}

function componentOf(pod: SlimPod): string | undefined {
  return pod.metadata.labels?.component;
}

/** TaskManager pods that are not being deleted and have not ended. */
export function countTaskManagers(pods: readonly SlimPod[]): number {
  let n = 0;
  for (const p of pods) {
    if (componentOf(p) !== 'taskmanager' || p.metadata.deletionTimestamp) continue;
    const phase = p.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    n++;
  }
  return n;
}

/**
 * Deleting: the Deployment has a deletionTimestamp. Stopped: 0 replicas wanted.
 * Failing: a JobManager pod is in trouble (crash loop, image pull, OOM kill, unschedulable) and
 * none is ready. Degraded: the JobManager is ready but a JobManager or TaskManager pod is in
 * trouble, or fewer JobManagers are ready than wanted. Starting: nothing is wrong yet and the
 * JobManager is not ready. Running: the rest.
 */
export function deriveClusterStatus(deployment: StatusDeployment, pods: readonly SlimPod[]): DerivedStatus {
  if (deployment.deletionTimestamp) return { status: 'Deleting' };
  if (deployment.desiredReplicas === 0) return { status: 'Stopped' };
  const jmReady = deployment.readyReplicas > 0;
  let jmProblem: string | undefined;
  let tmProblem: string | undefined;
  let tmTrouble = 0;
  for (const p of pods) {
    const problem = podProblem(p);
    if (!problem) continue;
    if (componentOf(p) === 'jobmanager') jmProblem ??= `JobManager ${p.metadata.name}: ${problem}`;
    else if (componentOf(p) === 'taskmanager') {
      tmTrouble++;
      tmProblem ??= `TaskManager ${p.metadata.name}: ${problem}`;
    }
  }
  if (!jmReady) {
    if (jmProblem) return { status: 'Failing', reason: jmProblem };
    return { status: 'Starting' };
  }
  if (jmProblem) return { status: 'Degraded', reason: jmProblem };
  if (tmProblem) {
    return { status: 'Degraded', reason: tmTrouble > 1 ? `${tmProblem} (and ${tmTrouble - 1} more)` : tmProblem };
  }
  if (deployment.readyReplicas < deployment.desiredReplicas) {
    return { status: 'Degraded', reason: `${deployment.readyReplicas} of ${deployment.desiredReplicas} JobManagers ready` };
  }
  return { status: 'Running' };
}

/** The host of the REST leader's address in `<sessionId>,<http://host:port>` (Flink's leader entry). */
export function leaderHost(entry: string | undefined): string | undefined {
  if (!entry) return undefined;
  const comma = entry.indexOf(',');
  const address = comma === -1 ? entry : entry.slice(comma + 1);
  const m = /^[a-z]+:\/\/(\[[^\]]+\]|[^:/]+)/i.exec(address.trim());
  return m ? m[1].replace(/^\[|\]$/g, '') : undefined;
}
