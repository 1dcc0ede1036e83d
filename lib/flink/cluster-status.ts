// The cluster page's headline status, derived from the streamed objects. PURE.
import { compareEventsNewestFirst, type ClusterObject, type DeploymentDto, type PodDto } from './cluster-detail-objects';

export type ClusterPhase = 'missing' | 'starting' | 'running' | 'failing' | 'terminating';

export type Problem = { reason: string; message: string; source: string };

export type JobManagerState = {
  podName: string;
  phase: string;
  nodeName?: string;
  ready: boolean;
  /** e.g. ImagePullBackOff, ErrImagePull, CreateContainerConfigError, CrashLoopBackOff. */
  waitingReason?: string;
  message?: string;
  restarts: number;
};

export type ClusterStatus = {
  phase: ClusterPhase;
  /** Short text for the badge: colour is never the only signal. */
  label: string;
  problems: Problem[];
  jobManager?: JobManagerState;
};

/** Container waiting reasons that mean the pod will not start without a change. */
export const FAILING_WAITING_REASONS = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'CrashLoopBackOff',
]);

/** Warning event reasons shown as problems while the JobManager is not running. */
export const PROBLEM_EVENT_REASONS = new Set(['FailedCreate', 'FailedScheduling', 'FailedMount', 'Failed', 'BackOff', 'FailedAttachVolume']);

export function splitClusterObjects(objects: readonly ClusterObject[]) {
  const of = <K extends ClusterObject['kind']>(kind: K) =>
    objects.filter((o): o is Extract<ClusterObject, { kind: K }> => o.kind === kind);
  return {
    deployment: of('Deployment')[0],
    replicaSets: of('ReplicaSet'),
    pods: of('Pod'),
    configMaps: of('ConfigMap'),
    services: of('Service'),
    events: of('Event'),
  };
}

export function toJobManagerState(pod: PodDto): JobManagerState {
  const main = pod.containers.find((c) => c.name === 'flink-main-container') ?? pod.containers[0];
  const waiting = main?.state === 'waiting' ? main.reason : undefined;
  const terminated = main?.state === 'terminated' ? (main.reason ?? `exit code ${main.exitCode ?? '?'}`) : undefined;
  const unschedulable = pod.conditions.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  return {
    podName: pod.name,
    phase: pod.phase,
    nodeName: pod.nodeName,
    ready: main?.ready === true,
    waitingReason: waiting ?? terminated ?? unschedulable?.reason,
    message: main?.message ?? unschedulable?.message,
    restarts: main?.restartCount ?? 0,
  };
}

/** The JobManager pod to show: a live one that is furthest along, else the newest. */
function pickJobManagerPod(pods: PodDto[]): PodDto | undefined {
  const jms = pods.filter((p) => p.component === 'jobmanager');
  const live = jms.filter((p) => !p.deleting);
  const pool = live.length > 0 ? live : jms;
  const rank = (p: PodDto) => (p.containers.some((c) => c.ready) ? 2 : p.phase === 'Running' ? 1 : 0);
  return [...pool].sort((a, b) => rank(b) - rank(a) || (b.createdAt ?? '').localeCompare(a.createdAt ?? ''))[0];
}

function deploymentProblems(deployment: DeploymentDto): Problem[] {
  return deployment.conditions
    .filter(
      (c) =>
        (c.type === 'ReplicaFailure' && c.status === 'True') ||
        (c.type === 'Progressing' && c.status === 'False' && c.reason === 'ProgressDeadlineExceeded'),
    )
    .map((c) => ({ reason: c.reason ?? c.type, message: c.message ?? '', source: `Deployment ${deployment.name}` }));
}

/**
 * Flink's client creates the Deployment before `flink-config-<id>`, so the kubelet may report
 * `configmap "flink-config-<id>" not found` once before the ConfigMap exists. Such an event is stale
 * when the ConfigMap is there now.
 */
function isResolvedMissingConfigMap(message: string, present: ReadonlySet<string>): boolean {
  const missing = /configmap "([^"]+)" not found/.exec(message)?.[1];
  return missing !== undefined && present.has(missing);
}

/** The headline status: failing beats starting, so a typo in the image never looks like success. */
export function deriveClusterStatus(objects: readonly ClusterObject[]): ClusterStatus {
  const { deployment, pods, events, configMaps } = splitClusterObjects(objects);
  if (!deployment) return { phase: 'missing', label: 'Not found', problems: [] };
  const presentConfigMaps = new Set(configMaps.map((c) => c.name));

  const jmPod = pickJobManagerPod(pods);
  const jobManager = jmPod ? toJobManagerState(jmPod) : undefined;
  const problems: Problem[] = deploymentProblems(deployment);

  if (jmPod && jobManager) {
    const main = jmPod.containers.find((c) => c.name === 'flink-main-container') ?? jmPod.containers[0];
    if (main?.state === 'waiting' && main.reason && FAILING_WAITING_REASONS.has(main.reason)) {
      problems.unshift({ reason: main.reason, message: main.message ?? '', source: `Pod ${jmPod.name}` });
    } else if (main?.state === 'terminated' && (main.exitCode ?? 0) !== 0) {
      problems.unshift({ reason: main.reason ?? 'Error', message: main.message ?? `exited with code ${main.exitCode}`, source: `Pod ${jmPod.name}` });
    } else if (jmPod.phase === 'Failed') {
      problems.unshift({ reason: 'Failed', message: 'The JobManager pod failed.', source: `Pod ${jmPod.name}` });
    }
  }

  const running = jobManager?.ready === true && !jmPod?.deleting;
  if (!running) {
    // Events explain what the objects do not say yet: FailedScheduling, FailedMount, FailedCreate.
    const seen = new Set(problems.map((p) => p.reason));
    for (const e of [...events].sort(compareEventsNewestFirst)) {
      if (e.type !== 'Warning' || !PROBLEM_EVENT_REASONS.has(e.reason) || seen.has(e.reason)) continue;
      if (e.involvedKind === 'Pod' && jmPod && e.involvedName !== jmPod.name && !e.involvedName.includes('-taskmanager-')) continue;
      if (e.reason === 'FailedMount' && isResolvedMissingConfigMap(e.message, presentConfigMaps)) continue;
      seen.add(e.reason);
      problems.push({ reason: e.reason, message: e.message, source: `${e.involvedKind} ${e.involvedName}` });
    }
  }

  if (running && problems.length === 0) return { phase: 'running', label: 'Running', problems, jobManager };
  if (problems.length > 0 && !running) return { phase: 'failing', label: problems[0].reason, problems, jobManager };
  if (running) return { phase: 'running', label: 'Running', problems, jobManager };
  if (jmPod?.deleting) return { phase: 'terminating', label: 'Terminating', problems, jobManager };
  return { phase: 'starting', label: jobManager ? `Starting (${jobManager.waitingReason ?? jobManager.phase})` : 'Starting', problems, jobManager };
}
