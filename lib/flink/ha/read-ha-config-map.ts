// One HA ConfigMap of a native Flink cluster (1.19, 1.20, 2.0–2.3 layout) read into a small,
// serialisable record: what the cluster page streams instead of the raw object. PURE; never throws:
// whatever cannot be read is kept with the reason.
import {
  CHECKPOINT_COUNTER_KEY,
  CHECKPOINT_KEY_PREFIX,
  CLUSTER_COMPONENTS,
  EXECUTION_PLAN_KEY_PREFIX,
  HA_CONFIGMAP_TYPE_LABEL,
  HA_CONFIGMAP_TYPE_VALUE,
  JOB_GRAPH_KEY_PREFIX,
  JOB_LEADER_PREFIX,
  LEADER_ANNOTATION,
  LEADER_KEY_PREFIX,
  clusterConfigMapName,
  isJobId,
  jobIdOfConfigMap,
  type ClusterComponent,
} from './ha-keys';
import { parseLeaderElectionRecord, type LeaderElection } from './parse-leader-election-record';
import { parseLeaderInformation, type LeaderInformation } from './parse-leader-information';
import { readStateHandle, type StateHandleInfo } from './read-state-handle';

export type LeaderEntry = { component: ClusterComponent; info: LeaderInformation } | { component: 'job'; jobId: string; info: LeaderInformation };

export type StoredJob = { jobId: string; kind: 'jobGraph' | 'executionPlan'; handle: StateHandleInfo };

export type CheckpointStore = {
  /** The next checkpoint id (CheckpointIDCounter), when readable. */
  counter?: number;
  counterProblem?: string;
  /** Checkpoint ids present and not marked for deletion, ascending. */
  checkpointIds: number[];
  latestCheckpointId?: number;
};

export type HaConfigMapRecord = {
  name: string;
  role: 'cluster' | 'job';
  /** The job of a `<cid>-<jobId>-config-map`. */
  jobId?: string;
  /** Flink before 2.0 adds configmap-type=high-availability; 2.0 dropped it. */
  hasConfigMapTypeLabel: boolean;
  /** The leader annotation: only the cluster ConfigMap is a lock. */
  election: LeaderElection;
  leaders: LeaderEntry[];
  storedJobs: StoredJob[];
  checkpoints?: CheckpointStore;
  /** Keys or values that are not what Flink writes, each said in plain words. */
  problems: string[];
};

type Raw = Record<string, unknown>;
function obj(v: unknown): Raw {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {};
}

/** Which HA ConfigMap of `clusterId` this is, if any. */
export function haConfigMapRole(name: string, clusterId: string): { role: 'cluster' } | { role: 'job'; jobId: string } | undefined {
  if (name === clusterConfigMapName(clusterId)) return { role: 'cluster' };
  const jobId = jobIdOfConfigMap(name, clusterId);
  return jobId ? { role: 'job', jobId } : undefined;
}

function readLeaderEntry(key: string, value: string, problems: string[]): LeaderEntry | undefined {
  const id = key.slice(LEADER_KEY_PREFIX.length);
  const info = parseLeaderInformation(value);
  if (!info.readable) problems.push(`${key}: ${info.reason}`);
  if ((CLUSTER_COMPONENTS as readonly string[]).includes(id)) return { component: id as ClusterComponent, info };
  const jobId = id.startsWith(JOB_LEADER_PREFIX) ? id.slice(JOB_LEADER_PREFIX.length) : id;
  if (isJobId(jobId)) return { component: 'job', jobId, info };
  problems.push(`${key}: not a leader key Flink writes (dispatcher, resourcemanager, restserver or job-<job id>).`);
  return undefined;
}

function readCounter(value: string): { counter?: number; counterProblem?: string } {
  if (!/^\d{1,18}$/.test(value)) return { counterProblem: `counter ${JSON.stringify(value.slice(0, 40))} is not a checkpoint id.` };
  return { counter: Number(value) };
}

/** Reads one ConfigMap; undefined when it is not one of the cluster's HA ConfigMaps. */
export function readHaConfigMap(raw: unknown, clusterId: string): HaConfigMapRecord | undefined {
  const meta = obj(obj(raw).metadata);
  const name = typeof meta.name === 'string' ? meta.name : '';
  const which = haConfigMapRole(name, clusterId);
  if (!which) return undefined;
  const labels = obj(meta.labels);
  const annotations = obj(meta.annotations);
  const data = obj(obj(raw).data);
  const problems: string[] = [];
  const annotation = annotations[LEADER_ANNOTATION];
  const election = parseLeaderElectionRecord(typeof annotation === 'string' ? annotation : undefined);
  if (election.state === 'unreadable') problems.push(`The leader annotation cannot be read: ${election.reason}`);

  const leaders: LeaderEntry[] = [];
  const storedJobs: StoredJob[] = [];
  const checkpointIds: number[] = [];
  let counter: { counter?: number; counterProblem?: string } = {};
  for (const [key, v] of Object.entries(data).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const value = typeof v === 'string' ? v : '';
    if (which.role === 'cluster' && key.startsWith(LEADER_KEY_PREFIX)) {
      const entry = readLeaderEntry(key, value, problems);
      if (entry) leaders.push(entry);
    } else if (which.role === 'cluster' && (key.startsWith(JOB_GRAPH_KEY_PREFIX) || key.startsWith(EXECUTION_PLAN_KEY_PREFIX))) {
      const kind = key.startsWith(JOB_GRAPH_KEY_PREFIX) ? 'jobGraph' : 'executionPlan';
      const jobId = key.slice(kind === 'jobGraph' ? JOB_GRAPH_KEY_PREFIX.length : EXECUTION_PLAN_KEY_PREFIX.length);
      if (!isJobId(jobId)) {
        problems.push(`${key}: ${JSON.stringify(jobId)} is not a job id.`);
        continue;
      }
      const handle = readStateHandle(value);
      if (!handle.readable) problems.push(`${key}: ${handle.reason}`);
      storedJobs.push({ jobId, kind, handle });
    } else if (which.role === 'job' && key === CHECKPOINT_COUNTER_KEY) {
      counter = readCounter(value);
      if (counter.counterProblem) problems.push(counter.counterProblem);
    } else if (which.role === 'job' && key.startsWith(CHECKPOINT_KEY_PREFIX)) {
      const id = key.slice(CHECKPOINT_KEY_PREFIX.length);
      if (!/^\d{19}$/.test(id)) {
        problems.push(`${key}: the checkpoint id is not 19 digits.`);
        continue;
      }
      const handle = readStateHandle(value);
      if (!handle.readable) problems.push(`${key}: ${handle.reason}`);
      else if (!handle.markedForDeletion) checkpointIds.push(Number(id));
    } else {
      problems.push(`${key}: not a key Flink's HA services write here.`);
    }
  }
  const record: HaConfigMapRecord = {
    name,
    role: which.role,
    hasConfigMapTypeLabel: labels[HA_CONFIGMAP_TYPE_LABEL] === HA_CONFIGMAP_TYPE_VALUE,
    election,
    leaders,
    storedJobs,
    problems,
  };
  if (which.role === 'job') {
    record.jobId = which.jobId;
    if (election.state !== 'missing') problems.push('A job ConfigMap carries a leader annotation; Flink writes none there.');
    checkpointIds.sort((a, b) => a - b);
    // Flink creates the ConfigMap empty, then the counter writes its first value: no counter yet is normal.
    record.checkpoints = { ...counter, checkpointIds, latestCheckpointId: checkpointIds.at(-1) };
  }
  return record;
}
