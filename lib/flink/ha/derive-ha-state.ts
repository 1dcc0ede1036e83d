// A cluster's HA state from its HA ConfigMaps' records (read-ha-config-map.ts): the leader election,
// the leader of each component and job, the jobs in the HA store and their checkpoints. PURE.
import type { ClusterComponent } from './ha-keys';
import type { LeaderElection } from './parse-leader-election-record';
import type { LeaderInformation } from './parse-leader-information';
import type { HaConfigMapRecord } from './read-ha-config-map';

export type HaJob = {
  jobId: string;
  /** In the cluster ConfigMap's job store (jobGraph- on 1.x, executionPlan- on 2.x). */
  inStore: boolean;
  markedForDeletion: boolean;
  leader?: LeaderInformation;
  /** `<cid>-<jobId>-config-map` exists. */
  hasCheckpointConfigMap: boolean;
  checkpointCounter?: number;
  latestCheckpointId?: number;
};

export type HaLayout = '1.19–1.20' | '2.x' | 'unknown';

export type HaState = {
  /** `<cid>-cluster-config-map` exists. */
  clusterConfigMap: boolean;
  election: LeaderElection;
  leaders: Partial<Record<ClusterComponent, LeaderInformation>>;
  jobs: HaJob[];
  layout: HaLayout;
  /** Every problem found, prefixed with its ConfigMap's name. */
  problems: string[];
  /** Whether any HA ConfigMap of the cluster exists at all. */
  present: boolean;
};

function detectLayout(records: readonly HaConfigMapRecord[]): HaLayout {
  const kinds = new Set(records.flatMap((r) => r.storedJobs.map((j) => j.kind)));
  if (kinds.has('executionPlan') && !kinds.has('jobGraph')) return '2.x';
  if (kinds.has('jobGraph') && !kinds.has('executionPlan')) return '1.19–1.20';
  if (kinds.size > 0 || records.length === 0) return 'unknown';
  // No jobs: the labels tell (2.0 dropped configmap-type=high-availability).
  return records.every((r) => r.hasConfigMapTypeLabel) ? '1.19–1.20' : records.every((r) => !r.hasConfigMapTypeLabel) ? '2.x' : 'unknown';
}

export function deriveHaState(records: readonly HaConfigMapRecord[]): HaState {
  const cluster = records.find((r) => r.role === 'cluster');
  const jobs = new Map<string, HaJob>();
  const job = (jobId: string) => {
    let j = jobs.get(jobId);
    if (!j) {
      j = { jobId, inStore: false, markedForDeletion: false, hasCheckpointConfigMap: false };
      jobs.set(jobId, j);
    }
    return j;
  };
  const leaders: HaState['leaders'] = {};
  for (const entry of cluster?.leaders ?? []) {
    if (entry.component === 'job') job(entry.jobId).leader = entry.info;
    else leaders[entry.component] = entry.info;
  }
  for (const stored of cluster?.storedJobs ?? []) {
    const j = job(stored.jobId);
    j.inStore = true;
    j.markedForDeletion = stored.handle.readable && stored.handle.markedForDeletion;
  }
  for (const r of records) {
    if (r.role !== 'job' || !r.jobId) continue;
    const j = job(r.jobId);
    j.hasCheckpointConfigMap = true;
    j.checkpointCounter = r.checkpoints?.counter;
    j.latestCheckpointId = r.checkpoints?.latestCheckpointId;
  }
  return {
    clusterConfigMap: cluster !== undefined,
    election: cluster?.election ?? { state: 'missing' },
    leaders,
    jobs: [...jobs.values()].sort((a, b) => (a.jobId < b.jobId ? -1 : 1)),
    layout: detectLayout(records),
    problems: records.flatMap((r) => r.problems.map((p) => `${r.name}: ${p}`)),
    present: records.length > 0,
  };
}
