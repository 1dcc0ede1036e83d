// The failover timeline of one cluster, PURE: what the recorder (lib/k8s/ha-timeline-recorder.ts)
// observes (leader changes, JobManager and TaskManager pods lost, job status transitions), how each
// observation is kept in Kubernetes (a core/v1 Event on the cluster's Deployment, reported by
// flink-native-dashboard, with a name derived from what happened, so every replica writes it once),
// and how the timeline and each failover's recovery times are derived from those Events.
import { z } from 'zod';
import type { JobsList } from '@/lib/jobs/job-views';
import type { LeaderElection } from './parse-leader-election-record';

export const DASHBOARD_COMPONENT = 'flink-native-dashboard';
/** The Event annotation that carries the observation as JSON (the message is for people and kubectl). */
export const TIMELINE_ANNOTATION = 'flink-native-dashboard/ha-timeline';

const iso = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be a time');
const podLoss = {
  at: iso,
  pod: z.string(),
  uid: z.string(),
  /** deleted: deletionTimestamp set (or gone); restarted: a container's restartCount rose. */
  how: z.enum(['deleted', 'restarted']),
  restartCount: z.number().int().optional(),
  reason: z.string().optional(),
  exitCode: z.number().int().optional(),
};

export const timelineFactSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('LeaderChanged'),
    /** The new holder's acquireTime. */
    at: iso,
    transitions: z.number().int(),
    holder: z.string(),
    leaderPod: z.string().optional(),
    previousHolder: z.string().optional(),
    previousPod: z.string().optional(),
    /** The previous holder's last renewTime: when its lease stopped being renewed. */
    previousRenewTime: iso.optional(),
  }),
  z.object({ type: z.literal('JobManagerLost'), ...podLoss, leader: z.boolean() }),
  z.object({ type: z.literal('TaskManagerLost'), ...podLoss }),
  z.object({
    type: z.literal('JobStatusChanged'),
    /** Flink's last-modification of the job (the time of the transition, from Flink itself). */
    at: iso,
    jobId: z.string(),
    jobName: z.string(),
    from: z.string().optional(),
    to: z.string(),
  }),
  z.object({
    type: z.literal('FailoverRecovered'),
    at: iso,
    lostAt: iso,
    leaderAt: iso,
    transitions: z.number().int(),
    newLeaderPod: z.string().optional(),
    toLeaderMs: z.number(),
    toRunningMs: z.number().optional(),
  }),
  /** Test failover: the dashboard deleted the leader pod (the route writes it). */
  z.object({ type: z.literal('TestFailover'), at: iso, pod: z.string(), uid: z.string().optional() }),
]);
export type TimelineFact = z.infer<typeof timelineFactSchema>;
export type TimelineReason = TimelineFact['type'];

/** One Event of the timeline as the browser gets it. */
export type TimelineEntry = { key: string; resourceVersion: string; fact: TimelineFact };

function ms(t: string): number {
  return Date.parse(t);
}
function label(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
}

/**
 * The Event's name: what happened, not when it was seen, so two replicas (or one replica after a
 * restart) observing the same thing name it alike and the second create is a 409 AlreadyExists.
 */
export function timelineEventName(deployment: string, fact: TimelineFact): string {
  const parts: (string | number)[] = (() => {
    switch (fact.type) {
      case 'LeaderChanged':
        return [fact.transitions, fact.holder];
      case 'JobManagerLost':
      case 'TaskManagerLost':
        return [fact.uid, fact.how === 'deleted' ? 'deleted' : fact.restartCount ?? 0];
      case 'JobStatusChanged':
        return [fact.jobId, ms(fact.at), fact.to];
      case 'FailoverRecovered':
        return [fact.transitions];
      case 'TestFailover':
        return [fact.uid ?? fact.pod];
    }
  })();
  return [deployment, fact.type.toLowerCase(), ...parts.map((p) => label(String(p)))].join('.').slice(0, 253).replace(/[.-]+$/, '');
}

function secs(msValue: number): string {
  return `${(msValue / 1000).toFixed(1)} s`;
}

export function timelineMessage(fact: TimelineFact): string {
  switch (fact.type) {
    case 'LeaderChanged':
      return `JobManager ${fact.leaderPod ?? fact.holder} became the leader (transition ${fact.transitions})${fact.previousPod ? `, after ${fact.previousPod}` : ''}.`;
    case 'JobManagerLost':
    case 'TaskManagerLost': {
      const who = `${fact.type === 'JobManagerLost' ? (fact.leader ? 'leader JobManager' : 'JobManager') : 'TaskManager'} pod ${fact.pod}`;
      if (fact.how === 'deleted') return `The ${who} was deleted.`;
      return `The ${who} restarted (restart ${fact.restartCount ?? '?'}${fact.reason ? `, ${fact.reason}` : ''}${fact.exitCode !== undefined ? `, exit ${fact.exitCode}` : ''}).`;
    }
    case 'JobStatusChanged':
      return `Job ${fact.jobName} (${fact.jobId}): ${fact.from ? `${fact.from} → ` : ''}${fact.to}.`;
    case 'FailoverRecovered':
      return `Failover recovered: new leader ${fact.newLeaderPod ?? ''} after ${secs(fact.toLeaderMs)}${fact.toRunningMs !== undefined ? `, every job RUNNING after ${secs(fact.toRunningMs)}` : ''}.`.replace('  ', ' ');
    case 'TestFailover':
      return `Test failover: deleted the leader JobManager pod ${fact.pod}.`;
  }
}

/** fabric8/Kubernetes MicroTime: RFC 3339 with microseconds. */
export function microTime(t: string | number): string {
  return new Date(t).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** The core/v1 Event that keeps `fact`, on Deployment `deployment`. */
export function timelineEvent(namespace: string, deployment: string, fact: TimelineFact, reportingInstance: string): Record<string, unknown> {
  const warning = fact.type === 'JobManagerLost' || fact.type === 'TaskManagerLost' || (fact.type === 'JobStatusChanged' && /^(FAILED|FAILING|RESTARTING)$/.test(fact.to));
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: timelineEventName(deployment, fact), namespace, annotations: { [TIMELINE_ANNOTATION]: JSON.stringify(fact) } },
    involvedObject: { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment, namespace },
    reason: fact.type,
    action: fact.type,
    type: warning ? 'Warning' : 'Normal',
    message: timelineMessage(fact),
    eventTime: microTime(fact.at),
    reportingComponent: DASHBOARD_COMPONENT,
    reportingInstance: reportingInstance.slice(0, 128),
    source: { component: DASHBOARD_COMPONENT },
  };
}

type Raw = Record<string, unknown>;
function obj(v: unknown): Raw {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {};
}

/** A timeline Event of Deployment `deployment` as the browser gets it; undefined for any other Event. */
export function toTimelineEntry(raw: unknown, deployment: string): TimelineEntry | undefined {
  const o = obj(raw);
  const meta = obj(o.metadata);
  const involved = obj(o.involvedObject);
  if (o.reportingComponent !== DASHBOARD_COMPONENT && obj(o.source).component !== DASHBOARD_COMPONENT) return undefined;
  if (involved.kind !== 'Deployment' || involved.name !== deployment) return undefined;
  const text = obj(meta.annotations)[TIMELINE_ANNOTATION];
  if (typeof text !== 'string') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = timelineFactSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const name = typeof meta.name === 'string' ? meta.name : '';
  return { key: `TimelineEvent/${typeof meta.namespace === 'string' ? meta.namespace : ''}/${name}`, resourceVersion: typeof meta.resourceVersion === 'string' ? meta.resourceVersion : '', fact: parsed.data };
}

// ---------------------------------------------------------------------------------------------
// Observations: what changed between two looks at the cluster.

/** What the recorder needs of a pod (from the raw object). */
export type PodLook = {
  name: string;
  uid: string;
  component: string;
  podIP?: string;
  deleting: boolean;
  /** deletionTimestamp − deletionGracePeriodSeconds: when the delete was asked for. */
  deletedAt?: string;
  restartCount: number;
  lastTerminated?: { reason?: string; exitCode?: number; finishedAt?: string };
};

export function toPodLook(raw: unknown): PodLook {
  const meta = obj(obj(raw).metadata);
  const status = obj(obj(raw).status);
  const statuses = (Array.isArray(status.containerStatuses) ? status.containerStatuses : []).map(obj);
  const deletion = typeof meta.deletionTimestamp === 'string' ? meta.deletionTimestamp : meta.deletionTimestamp instanceof Date ? meta.deletionTimestamp.toISOString() : undefined;
  const grace = typeof meta.deletionGracePeriodSeconds === 'number' ? meta.deletionGracePeriodSeconds : 0;
  const restartCount = statuses.reduce((n, s) => n + (typeof s.restartCount === 'number' ? s.restartCount : 0), 0);
  const terminated = statuses.map((s) => obj(obj(s.lastState).terminated)).find((t) => Object.keys(t).length > 0);
  const finishedAt = terminated?.finishedAt;
  return {
    name: typeof meta.name === 'string' ? meta.name : '',
    uid: typeof meta.uid === 'string' ? meta.uid : '',
    component: typeof obj(meta.labels).component === 'string' ? (obj(meta.labels).component as string) : '',
    podIP: typeof status.podIP === 'string' ? status.podIP : undefined,
    deleting: deletion !== undefined,
    deletedAt: deletion ? new Date(Date.parse(deletion) - grace * 1000).toISOString() : undefined,
    restartCount,
    lastTerminated: terminated
      ? {
          reason: typeof terminated.reason === 'string' ? terminated.reason : undefined,
          exitCode: typeof terminated.exitCode === 'number' ? terminated.exitCode : undefined,
          finishedAt: typeof finishedAt === 'string' ? finishedAt : finishedAt instanceof Date ? finishedAt.toISOString() : undefined,
        }
      : undefined,
  };
}

function lossFact(p: PodLook, how: 'deleted' | 'restarted', at: string, leaderPod: string | undefined): TimelineFact | undefined {
  const base = { at, pod: p.name, uid: p.uid, how, ...(how === 'restarted' ? { restartCount: p.restartCount, reason: p.lastTerminated?.reason, exitCode: p.lastTerminated?.exitCode } : {}) };
  if (p.component === 'jobmanager') return { type: 'JobManagerLost', ...base, leader: p.name === leaderPod };
  if (p.component === 'taskmanager') return { type: 'TaskManagerLost', ...base };
  return undefined;
}

/**
 * Pods lost between two looks: deleted (deletionTimestamp appeared, or the pod vanished unseen) or
 * restarted (restartCount rose). The first look (`prev` undefined) reports pods already being
 * deleted, nothing else. `leaderPod` is the leader JobManager's name as last known.
 */
export function diffPods(prev: ReadonlyMap<string, PodLook> | undefined, next: readonly PodLook[], leaderPod: string | undefined, now: number): TimelineFact[] {
  const facts: TimelineFact[] = [];
  const seen = new Set<string>();
  for (const p of next) {
    seen.add(p.uid);
    const before = prev?.get(p.uid);
    if (p.deleting && !before?.deleting) {
      const f = lossFact(p, 'deleted', p.deletedAt ?? new Date(now).toISOString(), leaderPod);
      if (f) facts.push(f);
    } else if (before && p.restartCount > before.restartCount) {
      const f = lossFact(p, 'restarted', p.lastTerminated?.finishedAt ?? new Date(now).toISOString(), leaderPod);
      if (f) facts.push(f);
    }
  }
  for (const [uid, p] of prev ?? []) {
    if (!seen.has(uid) && !p.deleting) {
      const f = lossFact(p, 'deleted', new Date(now).toISOString(), leaderPod);
      if (f) facts.push(f);
    }
  }
  return facts;
}

/** The last lock holder the recorder saw, and the pod it resolved to. */
export type LeaderLook = { holder: string; transitions: number; acquireTime: string; renewTime: string; pod?: string };

/**
 * A new holder of the leader lock. The restserver address (and so the pod) is published after the
 * election: until it names a pod other than the previous leader's, the change waits (answers
 * `pending`), at most `waitForPodMs` after the acquireTime, then it is kept without the pod.
 */
export function diffLeader(
  prev: LeaderLook | undefined,
  election: LeaderElection,
  resolvedPod: string | undefined,
  now: number,
  waitForPodMs = 20_000,
): { fact?: TimelineFact; next?: LeaderLook; pending?: boolean } {
  if (election.state !== 'held' || !election.holderIdentity) return { next: prev };
  if (prev && prev.holder === election.holderIdentity && prev.transitions === election.leaderTransitions) {
    return { next: { ...prev, renewTime: election.renewTime, pod: prev.pod ?? resolvedPod } };
  }
  const podKnown = resolvedPod !== undefined && resolvedPod !== prev?.pod;
  if (!podKnown && now - ms(election.acquireTime) < waitForPodMs) return { next: prev, pending: true };
  const pod = podKnown ? resolvedPod : undefined;
  const fact: TimelineFact = {
    type: 'LeaderChanged',
    at: election.acquireTime,
    transitions: election.leaderTransitions,
    holder: election.holderIdentity,
    leaderPod: pod,
    ...(prev ? { previousHolder: prev.holder, previousPod: prev.pod, previousRenewTime: prev.renewTime } : {}),
  };
  return { fact, next: { holder: election.holderIdentity, transitions: election.leaderTransitions, acquireTime: election.acquireTime, renewTime: election.renewTime, pod } };
}

export type JobLook = {
  state: string;
  lastModification: number;
  /** The job's last-modification when its last transition was reported (task-level changes move the other one). */
  reportedAt: number;
};
export type JobsLook = { jobs: Map<string, JobLook>; unreachableSince?: number };

/**
 * Job status transitions between two polls of the jobs overview. The first poll reports every
 * job's current state (named by Flink's own last-modification, so it is written once). A job in the
 * same state again is a transition too when it was recovered: its last-modification moved after
 * the REST API was unreachable, or moved past the current leader's acquireTime (`leaderSince`) since
 * its last reported transition. A new leader recovers every job, so that is the job's run under the
 * new leader, even when no poll saw the REST API go away (the client retries through a short
 * election, and a standby's REST endpoint answers for the leader). Task-level changes move
 * last-modification too, and are no transition.
 */
export function diffJobs(prev: JobsLook | undefined, list: JobsList, now: number, leaderSince?: number): { facts: TimelineFact[]; next: JobsLook } {
  if (!list.reachable) return { facts: [], next: { jobs: prev?.jobs ?? new Map(), unreachableSince: prev?.unreachableSince ?? now } };
  const facts: TimelineFact[] = [];
  const jobs = new Map<string, JobLook>();
  for (const j of list.jobs) {
    const lastModification = j.lastModification || j.startTime || now;
    const before = prev?.jobs.get(j.id);
    const recovered =
      before !== undefined &&
      ((prev?.unreachableSince !== undefined && before.lastModification !== lastModification) ||
        (leaderSince !== undefined && before.reportedAt < leaderSince && leaderSince <= lastModification));
    const changed = !before || before.state !== j.state || recovered;
    jobs.set(j.id, { state: j.state, lastModification, reportedAt: changed ? lastModification : before.reportedAt });
    if (changed) facts.push({ type: 'JobStatusChanged', at: new Date(lastModification).toISOString(), jobId: j.id, jobName: j.name, from: before?.state, to: j.state });
  }
  return { facts, next: { jobs } };
}

// ---------------------------------------------------------------------------------------------
// The timeline.

export type Failover = {
  key: string;
  /** When the leader was lost: its pod deleted or killed, or its lease last renewed. */
  lostAt: string;
  /** What was lost, in words. */
  cause: string;
  lostPod?: string;
  /** The new leader's acquireTime, and how long after `lostAt`. */
  newLeader?: { at: string; pod?: string; ms: number; transitions: number };
  /** The jobs that ran before the loss, and when all of them were RUNNING again. */
  jobs: { jobId: string; jobName: string; runningAgainAt?: string }[];
  allRunning?: { at: string; ms: number };
  /** Observations that belong to this failover, newest first. */
  facts: TimelineFact[];
};

export type Timeline = {
  /** Newest first. */
  failovers: Failover[];
  /** Everything observed, newest first (FailoverRecovered summaries left out: `failovers` has them). */
  facts: TimelineFact[];
};

function newestFirst(a: TimelineFact, b: TimelineFact): number {
  return ms(b.at) - ms(a.at);
}

/** Facts that are the same observation reported twice (a Test failover and the pod's deletion). */
function sameLoss(a: TimelineFact, b: TimelineFact): boolean {
  const pa = a.type === 'TestFailover' || a.type === 'JobManagerLost' ? a.pod : undefined;
  const pb = b.type === 'TestFailover' || b.type === 'JobManagerLost' ? b.pod : undefined;
  return pa !== undefined && pa === pb;
}

/**
 * Groups the observations into failovers and measures each one's recovery. A failover starts when
 * the leader is lost: the leader JobManager pod deleted or restarted, a Test failover, or a new
 * holder of the lock while nothing was known lost (the lease stopped being renewed: lost at the
 * previous holder's last renewTime). It has a new leader at the next holder's acquireTime, and all
 * jobs RUNNING again when every job that was RUNNING at the loss has reached RUNNING after it.
 */
export function deriveTimeline(all: readonly TimelineFact[]): Timeline {
  const facts = all.filter((f) => f.type !== 'FailoverRecovered');
  const asc = [...facts].sort((a, b) => ms(a.at) - ms(b.at) || (a.type === 'TestFailover' ? -1 : b.type === 'TestFailover' ? 1 : 0));
  const jobState = new Map<string, { state: string; name: string }>();
  const failovers: Failover[] = [];
  let open: Failover | undefined;
  const close = () => {
    open = undefined;
  };
  const checkJobs = (f: Failover) => {
    if (!f.newLeader) return;
    if (f.jobs.every((j) => j.runningAgainAt)) {
      const at = f.jobs.reduce((m, j) => Math.max(m, ms(j.runningAgainAt!)), ms(f.newLeader.at));
      f.allRunning = { at: new Date(at).toISOString(), ms: at - ms(f.lostAt) };
      close();
    }
  };
  const start = (fact: TimelineFact, lostAt: string, cause: string, lostPod?: string): Failover => {
    const f: Failover = {
      key: `${lostAt}/${fact.type}/${lostPod ?? ''}`,
      lostAt,
      cause,
      lostPod,
      jobs: [...jobState].filter(([, s]) => s.state === 'RUNNING').map(([jobId, s]) => ({ jobId, jobName: s.name })),
      facts: [],
    };
    failovers.push(f);
    open = f;
    return f;
  };
  for (const fact of asc) {
    switch (fact.type) {
      case 'TestFailover':
      case 'JobManagerLost': {
        const leaderLoss = fact.type === 'TestFailover' || fact.leader;
        if (open && (!open.newLeader || open.facts.some((g) => sameLoss(g, fact)))) {
          open.facts.push(fact);
          // The pod's deletionTimestamp has whole seconds; the dashboard's own record of its delete is exact.
          if (fact.type === 'TestFailover' && open.lostPod === fact.pod && !open.newLeader) {
            open.lostAt = fact.at;
            open.cause = `Test failover deleted ${fact.pod}`;
          }
          break;
        }
        if (leaderLoss) {
          const cause = fact.type === 'TestFailover' ? `Test failover deleted ${fact.pod}` : fact.how === 'deleted' ? `leader pod ${fact.pod} deleted` : `leader pod ${fact.pod} restarted${fact.reason ? ` (${fact.reason}${fact.exitCode !== undefined ? `, exit ${fact.exitCode}` : ''})` : ''}`;
          start(fact, fact.at, cause, fact.pod).facts.push(fact);
        } else if (open) open.facts.push(fact);
        break;
      }
      case 'LeaderChanged': {
        let f = open;
        if (f && f.newLeader) {
          checkJobs(f);
          f = open;
        }
        if (!f && fact.previousHolder) {
          const lostAt = fact.previousRenewTime && ms(fact.previousRenewTime) <= ms(fact.at) ? fact.previousRenewTime : fact.at;
          f = start(fact, lostAt, `the lease of ${fact.previousPod ?? fact.previousHolder} stopped being renewed`, fact.previousPod);
        }
        if (f && !f.newLeader && (fact.leaderPod === undefined || fact.leaderPod !== f.lostPod)) {
          f.newLeader = { at: fact.at, pod: fact.leaderPod, ms: Math.max(0, ms(fact.at) - ms(f.lostAt)), transitions: fact.transitions };
          f.facts.push(fact);
          checkJobs(f);
        }
        break;
      }
      case 'JobStatusChanged': {
        jobState.set(fact.jobId, { state: fact.to, name: fact.jobName });
        if (open) {
          open.facts.push(fact);
          const j = open.jobs.find((x) => x.jobId === fact.jobId);
          if (j && fact.to === 'RUNNING' && !j.runningAgainAt) j.runningAgainAt = fact.at;
          checkJobs(open);
        }
        break;
      }
      case 'TaskManagerLost':
        if (open) open.facts.push(fact);
        break;
    }
  }
  // Gathered oldest first: reversed, newest first (a cause stays below what it caused at the same time).
  for (const f of failovers) f.facts.reverse();
  return { failovers: failovers.reverse(), facts: [...facts].sort(newestFirst) };
}

/** The summary Event of a failover once it is over (new leader and every job RUNNING again). */
export function recoveredFact(f: Failover): TimelineFact | undefined {
  if (!f.newLeader || !f.allRunning) return undefined;
  return {
    type: 'FailoverRecovered',
    at: f.allRunning.at,
    lostAt: f.lostAt,
    leaderAt: f.newLeader.at,
    transitions: f.newLeader.transitions,
    newLeaderPod: f.newLeader.pod,
    toLeaderMs: f.newLeader.ms,
    toRunningMs: f.allRunning.ms,
  };
}
