import { describe, expect, it } from 'vitest';
import type { JobsList } from '@/lib/jobs/job-views';
import {
  deriveTimeline,
  diffJobs,
  diffLeader,
  diffPods,
  recoveredFact,
  timelineEvent,
  timelineEventName,
  toPodLook,
  toTimelineEntry,
  type TimelineFact,
} from './failover-timeline';
import type { LeaderElection } from './parse-leader-election-record';

const T0 = Date.parse('2026-12-05T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const JOB = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const HOLDER_A = '0f4d5f0e-1b8c-4b40-9d7e-2a0c1a6a1111';
const HOLDER_B = '7e2c9a31-55b1-4f6a-8e0b-9c3d2b4a2222';

function held(holder: string, transitions: number, acquire: number, renew = acquire): LeaderElection {
  return { state: 'held', holderIdentity: holder, leaseDurationMs: 15_000, acquireTime: at(acquire), renewTime: at(renew), leaderTransitions: transitions };
}

function rawPod(name: string, opts: { uid?: string; component?: string; deletion?: number; grace?: number; restarts?: number; terminated?: Record<string, unknown> } = {}) {
  return {
    metadata: {
      name,
      uid: opts.uid ?? `uid-${name}`,
      labels: { app: 'ha', component: opts.component ?? 'jobmanager', type: 'flink-native-kubernetes' },
      ...(opts.deletion !== undefined ? { deletionTimestamp: at(opts.deletion), deletionGracePeriodSeconds: opts.grace ?? 30 } : {}),
    },
    status: {
      podIP: '10.0.0.1',
      containerStatuses: [{ name: 'flink-main-container', restartCount: opts.restarts ?? 0, lastState: opts.terminated ? { terminated: opts.terminated } : {} }],
    },
  };
}

function jobs(state: string, lastModification: number): JobsList {
  return { reachable: true, jobs: [{ id: JOB, name: 'StreamingJob', state, startTime: T0 - 60_000, endTime: -1, duration: 1, lastModification, tasksTotal: 1, tasksRunning: 1 }] };
}

describe('observations', () => {
  it('a pod being deleted is lost when the delete was asked for (deletionTimestamp − grace), the leader flagged', () => {
    const before = new Map([['uid-jm-1', toPodLook(rawPod('jm-1'))]]);
    const facts = diffPods(before, [toPodLook(rawPod('jm-1', { deletion: 30_000, grace: 30 }))], 'jm-1', T0 + 500);
    expect(facts).toEqual([{ type: 'JobManagerLost', at: at(0), pod: 'jm-1', uid: 'uid-jm-1', how: 'deleted', leader: true }]);
    // Seen again, still deleting: nothing new.
    const next = new Map([['uid-jm-1', toPodLook(rawPod('jm-1', { deletion: 30_000, grace: 30 }))]]);
    expect(diffPods(next, [toPodLook(rawPod('jm-1', { deletion: 30_000, grace: 30 }))], 'jm-1', T0 + 900)).toEqual([]);
  });

  it('a restart (restartCount rose) is lost at the terminated container’s finishedAt, with its reason and exit code', () => {
    const before = new Map([['uid-tm', toPodLook(rawPod('tm', { component: 'taskmanager', restarts: 1 }))]]);
    const after = toPodLook(rawPod('tm', { component: 'taskmanager', restarts: 2, terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: at(4_000) } }));
    expect(diffPods(before, [after], 'jm-1', T0 + 9_000)).toEqual([
      { type: 'TaskManagerLost', at: at(4_000), pod: 'tm', uid: 'uid-tm', how: 'restarted', restartCount: 2, reason: 'OOMKilled', exitCode: 137 },
    ]);
    // The first look reports no old restarts: when they happened is not known.
    expect(diffPods(undefined, [after], 'jm-1', T0)).toEqual([]);
  });

  it('a pod that vanished without being seen deleting is lost at the time it was missed', () => {
    const before = new Map([['uid-jm-2', toPodLook(rawPod('jm-2'))]]);
    expect(diffPods(before, [], 'jm-1', T0 + 7_000)).toEqual([{ type: 'JobManagerLost', at: at(7_000), pod: 'jm-2', uid: 'uid-jm-2', how: 'deleted', leader: false }]);
  });

  it('a new holder waits for its address to name a new pod, then is kept with the previous holder and its last renewal', () => {
    const first = diffLeader(undefined, held(HOLDER_A, 0, 0, 20_000), 'jm-1', T0 + 21_000);
    expect(first.fact).toEqual({ type: 'LeaderChanged', at: at(0), transitions: 0, holder: HOLDER_A, leaderPod: 'jm-1' });
    // Same holder renewing: nothing.
    const renewing = diffLeader(first.next, held(HOLDER_A, 0, 0, 25_000), 'jm-1', T0 + 25_000);
    expect(renewing.fact).toBeUndefined();
    // B took the lock, the restserver entry still names jm-1: wait.
    const early = diffLeader(renewing.next, held(HOLDER_B, 1, 31_200), 'jm-1', T0 + 31_300);
    expect(early.pending).toBe(true);
    expect(early.fact).toBeUndefined();
    const later = diffLeader(early.next, held(HOLDER_B, 1, 31_200), 'jm-2', T0 + 32_000);
    expect(later.fact).toEqual({
      type: 'LeaderChanged',
      at: at(31_200),
      transitions: 1,
      holder: HOLDER_B,
      leaderPod: 'jm-2',
      previousHolder: HOLDER_A,
      previousPod: 'jm-1',
      previousRenewTime: at(25_000),
    });
    // No address after the wait: kept without the pod.
    expect(diffLeader(renewing.next, held(HOLDER_B, 1, 31_200), undefined, T0 + 60_000).fact).toMatchObject({ holder: HOLDER_B, leaderPod: undefined });
  });

  it('job transitions come from Flink’s last-modification; RUNNING again after the REST API was away is one too', () => {
    const first = diffJobs(undefined, jobs('RUNNING', T0 - 50_000), T0);
    expect(first.facts).toEqual([{ type: 'JobStatusChanged', at: at(-50_000), jobId: JOB, jobName: 'StreamingJob', from: undefined, to: 'RUNNING' }]);
    // Task-level changes move last-modification without a job transition: nothing.
    expect(diffJobs(first.next, jobs('RUNNING', T0 - 40_000), T0 + 1_000).facts).toEqual([]);
    const away = diffJobs(first.next, { reachable: false, message: 'down' }, T0 + 2_000);
    const back = diffJobs(away.next, jobs('RUNNING', T0 + 8_000), T0 + 9_000);
    expect(back.facts).toEqual([{ type: 'JobStatusChanged', at: at(8_000), jobId: JOB, jobName: 'StreamingJob', from: 'RUNNING', to: 'RUNNING' }]);
    expect(diffJobs(back.next, jobs('RESTARTING', T0 + 12_000), T0 + 12_500).facts).toEqual([expect.objectContaining({ from: 'RUNNING', to: 'RESTARTING', at: at(12_000) })]);
  });

  it('a job recovered by a new leader is RUNNING again even when no poll saw the REST API go away', () => {
    const L1 = T0 - 60_000;
    const L2 = T0 + 5_000;
    const first = diffJobs(undefined, jobs('RUNNING', T0 - 50_000), T0, L1);
    // Task-level changes under the same leader: nothing.
    const task = diffJobs(first.next, jobs('RUNNING', T0 - 40_000), T0 + 1_000, L1);
    expect(task.facts).toEqual([]);
    // The new leader holds the lock; the standby still answers with the job as it was: nothing yet.
    const stale = diffJobs(task.next, jobs('RUNNING', T0 - 40_000), T0 + 6_000, L2);
    expect(stale.facts).toEqual([]);
    // The new leader recovered the job: its run under the new leader, once.
    const recovered = diffJobs(stale.next, jobs('RUNNING', T0 + 7_000), T0 + 8_000, L2);
    expect(recovered.facts).toEqual([{ type: 'JobStatusChanged', at: at(7_000), jobId: JOB, jobName: 'StreamingJob', from: 'RUNNING', to: 'RUNNING' }]);
    expect(diffJobs(recovered.next, jobs('RUNNING', T0 + 9_000), T0 + 10_000, L2).facts).toEqual([]);
  });

  it('a recovered job seen before the new lock reached the dashboard is reported once the lock does', () => {
    const L1 = T0 - 60_000;
    const L2 = T0 + 5_000;
    const first = diffJobs(undefined, jobs('RUNNING', T0 - 50_000), T0, L1);
    // The poll answers from the new leader while the ConfigMap watch still shows the old lock.
    const early = diffJobs(first.next, jobs('RUNNING', T0 + 7_000), T0 + 8_000, L1);
    expect(early.facts).toEqual([]);
    const late = diffJobs(early.next, jobs('RUNNING', T0 + 7_500), T0 + 9_000, L2);
    expect(late.facts).toEqual([expect.objectContaining({ from: 'RUNNING', to: 'RUNNING', at: at(7_500) })]);
    // No leader known (the ConfigMap not synced yet): only state changes.
    expect(diffJobs(undefined, jobs('RUNNING', T0), T0).facts).toHaveLength(1);
  });
});

describe('the Events that keep the timeline', () => {
  const fact: TimelineFact = { type: 'JobManagerLost', at: at(0), pod: 'ha-5d9c7-abcde', uid: '8F0A-uid', how: 'restarted', restartCount: 3, reason: 'Error', exitCode: 1, leader: true };

  it('are named after what happened, as a DNS subdomain, the same for every replica', () => {
    expect(timelineEventName('ha', fact)).toBe('ha.jobmanagerlost.8f0a-uid.3');
    expect(timelineEventName('ha', { type: 'LeaderChanged', at: at(5), transitions: 4, holder: HOLDER_B })).toBe(`ha.leaderchanged.4.${HOLDER_B}`);
    expect(timelineEventName('ha', { type: 'JobStatusChanged', at: at(8_000), jobId: JOB, jobName: 'x', to: 'RUNNING' })).toBe(`ha.jobstatuschanged.${JOB}.${T0 + 8_000}.running`);
    const a = timelineEvent('ns', 'ha', fact, 'replica-a');
    const b = timelineEvent('ns', 'ha', fact, 'replica-b');
    expect((a.metadata as { name: string }).name).toBe((b.metadata as { name: string }).name);
    expect(a).toMatchObject({ reason: 'JobManagerLost', type: 'Warning', reportingComponent: 'flink-native-dashboard', involvedObject: { kind: 'Deployment', name: 'ha' } });
    expect(a.message).toBe('The leader JobManager pod ha-5d9c7-abcde restarted (restart 3, Error, exit 1).');
  });

  it('are read back from the annotation; other Events and a malformed annotation are left out', () => {
    const event = { ...timelineEvent('ns', 'ha', fact, 'r'), metadata: { ...(timelineEvent('ns', 'ha', fact, 'r').metadata as object), resourceVersion: '42' } };
    expect(toTimelineEntry(event, 'ha')).toEqual({ key: 'TimelineEvent/ns/ha.jobmanagerlost.8f0a-uid.3', resourceVersion: '42', fact });
    expect(toTimelineEntry(event, 'other')).toBeUndefined();
    expect(toTimelineEntry({ ...event, reportingComponent: 'kubelet', source: { component: 'kubelet' } }, 'ha')).toBeUndefined();
    const broken = { ...event, metadata: { name: 'x', annotations: { 'flink-native-dashboard/ha-timeline': '{"type":"LeaderChanged"' } } };
    expect(toTimelineEntry(broken, 'ha')).toBeUndefined();
  });
});

describe('deriveTimeline', () => {
  const jobRunning: TimelineFact = { type: 'JobStatusChanged', at: at(-50_000), jobId: JOB, jobName: 'StreamingJob', to: 'RUNNING' };
  const firstLeader: TimelineFact = { type: 'LeaderChanged', at: at(-60_000), transitions: 0, holder: HOLDER_A, leaderPod: 'jm-1' };
  const testFailover: TimelineFact = { type: 'TestFailover', at: at(0), pod: 'jm-1', uid: 'uid-jm-1' };
  const jmLost: TimelineFact = { type: 'JobManagerLost', at: at(0), pod: 'jm-1', uid: 'uid-jm-1', how: 'deleted', leader: true };
  const newLeader: TimelineFact = { type: 'LeaderChanged', at: at(1_250), transitions: 1, holder: HOLDER_B, leaderPod: 'jm-2', previousHolder: HOLDER_A, previousPod: 'jm-1', previousRenewTime: at(-2_000) };
  const initializing: TimelineFact = { type: 'JobStatusChanged', at: at(2_000), jobId: JOB, jobName: 'StreamingJob', from: 'RUNNING', to: 'INITIALIZING' };
  const runningAgain: TimelineFact = { type: 'JobStatusChanged', at: at(6_400), jobId: JOB, jobName: 'StreamingJob', from: 'INITIALIZING', to: 'RUNNING' };

  it('a Test failover: from the deletion to the new leader’s acquireTime, and to every job RUNNING again', () => {
    // In any order, as the Events arrive.
    const timeline = deriveTimeline([runningAgain, newLeader, jmLost, jobRunning, testFailover, initializing, firstLeader]);
    expect(timeline.failovers).toHaveLength(1);
    const [f] = timeline.failovers;
    expect(f).toMatchObject({
      lostAt: at(0),
      cause: 'Test failover deleted jm-1',
      newLeader: { at: at(1_250), pod: 'jm-2', ms: 1_250, transitions: 1 },
      jobs: [{ jobId: JOB, jobName: 'StreamingJob', runningAgainAt: at(6_400) }],
      allRunning: { at: at(6_400), ms: 6_400 },
    });
    expect(f.facts.map((x) => x.type)).toEqual(['JobStatusChanged', 'JobStatusChanged', 'LeaderChanged', 'JobManagerLost', 'TestFailover']);
    // Everything, newest first; the first election is not a failover.
    expect(timeline.facts[0]).toBe(runningAgain);
    expect(timeline.facts.at(-1)).toBe(firstLeader);
    expect(recoveredFact(f)).toEqual({ type: 'FailoverRecovered', at: at(6_400), lostAt: at(0), leaderAt: at(1_250), transitions: 1, newLeaderPod: 'jm-2', toLeaderMs: 1_250, toRunningMs: 6_400 });
  });

  it('a Test failover recorded just after the pod’s deletion (whole seconds) is the cause, and its exact time the loss', () => {
    const truncated: TimelineFact = { ...jmLost, at: at(-673) };
    const [f] = deriveTimeline([jobRunning, firstLeader, truncated, testFailover, newLeader, runningAgain]).failovers;
    expect(f).toMatchObject({ lostAt: at(0), cause: 'Test failover deleted jm-1', newLeader: { ms: 1_250 }, allRunning: { ms: 6_400 } });
  });

  it('while the jobs are not RUNNING again, the failover has a new leader and no end', () => {
    const [f] = deriveTimeline([jobRunning, firstLeader, jmLost, newLeader, initializing]).failovers;
    expect(f.newLeader?.ms).toBe(1_250);
    expect(f.allRunning).toBeUndefined();
    expect(recoveredFact(f)).toBeUndefined();
    const [waiting] = deriveTimeline([jobRunning, firstLeader, jmLost]).failovers;
    expect(waiting.newLeader).toBeUndefined();
  });

  it('a new holder with no pod lost seen: the leader was lost when its lease was last renewed', () => {
    const [f] = deriveTimeline([firstLeader, newLeader]).failovers;
    expect(f).toMatchObject({ lostAt: at(-2_000), newLeader: { ms: 3_250 }, allRunning: { ms: 3_250 }, jobs: [] });
    expect(f.cause).toBe('the lease of jm-1 stopped being renewed');
  });

  it('a standby lost is no failover; two failovers come newest first, each with its own recovery', () => {
    const standbyLost: TimelineFact = { type: 'JobManagerLost', at: at(-30_000), pod: 'jm-2', uid: 'uid-jm-2', how: 'deleted', leader: false };
    const secondLoss: TimelineFact = { type: 'JobManagerLost', at: at(100_000), pod: 'jm-2', uid: 'uid-jm-2b', how: 'restarted', restartCount: 1, reason: 'Error', exitCode: 1, leader: true };
    const third: TimelineFact = { type: 'LeaderChanged', at: at(117_000), transitions: 2, holder: HOLDER_A, leaderPod: 'jm-3', previousHolder: HOLDER_B, previousPod: 'jm-2', previousRenewTime: at(99_000) };
    const runningThird: TimelineFact = { type: 'JobStatusChanged', at: at(121_000), jobId: JOB, jobName: 'StreamingJob', from: 'RUNNING', to: 'RUNNING' };
    const timeline = deriveTimeline([firstLeader, jobRunning, standbyLost, jmLost, newLeader, initializing, runningAgain, secondLoss, third, runningThird]);
    expect(timeline.failovers.map((f) => [f.lostAt, f.newLeader?.ms, f.allRunning?.ms])).toEqual([
      [at(100_000), 17_000, 21_000],
      [at(0), 1_250, 6_400],
    ]);
    expect(timeline.failovers[0].cause).toBe('leader pod jm-2 restarted (Error, exit 1)');
  });
});
