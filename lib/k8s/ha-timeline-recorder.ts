import 'server-only';
import { hostname } from 'node:os';
import { FLINK_NATIVE_TYPE } from '@/lib/flink/cluster-summary';
import { toPodDto } from '@/lib/flink/cluster-detail-objects';
import { deriveHaState } from '@/lib/flink/ha/derive-ha-state';
import { findLeaderPod } from '@/lib/flink/ha/derive-leadership';
import {
  deriveTimeline,
  diffJobs,
  diffLeader,
  diffPods,
  recoveredFact,
  timelineEvent,
  toPodLook,
  toTimelineEntry,
  type JobsLook,
  type TimelineEntry,
  type LeaderLook,
  type PodLook,
  type TimelineFact,
} from '@/lib/flink/ha/failover-timeline';
import { clusterConfigMapName } from '@/lib/flink/ha/ha-keys';
import { readHaConfigMap } from '@/lib/flink/ha/read-ha-config-map';
import { createPollSource, jobPollers, toPollerKey } from '@/lib/jobs/job-stream';
import { callK8s, hasStatus } from './clusters/k8s-call';
import { getConnection } from './kubeconfig';
import { runAs } from '@/lib/auth/identity';
import { DASHBOARD_IDENTITY } from '@/lib/audit/audit';
import { logger } from '@/lib/log';
import { acquireInformer, type InformerLease } from './informer-registry';
import type { KubeObject } from './informer';
import type { Connection } from './kubeconfig';
import { configMapsKind, deploymentsKind, eventsKind, podsKind } from './resource-kinds';
import { subscribeSources, type FeedEvent } from './watch-response';

// The failover timeline's recorder: while it runs for a cluster, it follows the cluster's pods and HA
// ConfigMap (the shared informers the cluster page uses) and its jobs (the shared jobs poller), and
// writes each leader change, JobManager/TaskManager loss, job status transition and recovered
// failover as an Event on the Deployment (lib/flink/ha/failover-timeline.ts). Event names come from
// what happened, so replicas that observe the same thing write it once (409 AlreadyExists).
//
// It runs while someone holds it: each viewer of the cluster page's timeline topic, and Test
// failover for FOLLOW_FAILOVER_MS after it deleted the leader pod. Nothing is recorded for a cluster
// that no one looks at.

export const FOLLOW_FAILOVER_MS = 5 * 60_000;

type Recorder = { refs: number; stop: () => void; observe: (facts: readonly TimelineFact[]) => void };

const g = globalThis as unknown as { __flinkDashTimelineRecorders?: Map<string, Recorder> };
const recorders = (g.__flinkDashTimelineRecorders ??= new Map<string, Recorder>());

function keyOf(conn: Connection, namespace: string, clusterId: string): string {
  // Per identity scope: the recorder watches pods and jobs with the rights of those who opened it.
  return [conn.context, conn.server, conn.identityKey, namespace, clusterId].join('|');
}

/** Holds the cluster's recorder (starting it if needed); answers the function that lets it go. */
export function retainTimelineRecorder(conn: Connection, namespace: string, clusterId: string): () => void {
  const key = keyOf(conn, namespace, clusterId);
  let r = recorders.get(key);
  if (!r) {
    r = { refs: 0, ...startRecorder(conn, namespace, clusterId) };
    recorders.set(key, r);
  }
  const held = r;
  held.refs++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    held.refs--;
    if (held.refs === 0 && recorders.get(key) === held) {
      recorders.delete(key);
      held.stop();
    }
  };
}

/**
 * Keeps the recorder running for `ms` (Test failover: the recovery is recorded even if no page is
 * open), told of the Test failover (already written as its Event), so the FailoverRecovered Event
 * measures from the same moment as the timeline does.
 */
export function followFailover(conn: Connection, namespace: string, clusterId: string, testFailover: TimelineFact, ms = FOLLOW_FAILOVER_MS): void {
  const release = retainTimelineRecorder(conn, namespace, clusterId);
  recorders.get(keyOf(conn, namespace, clusterId))?.observe([testFailover]);
  setTimeout(release, ms).unref?.();
}

/** For tests: how many clusters are being recorded. */
export function countTimelineRecorders(): number {
  return recorders.size;
}

function startRecorder(conn: Connection, namespace: string, clusterId: string): Pick<Recorder, 'stop' | 'observe'> {
  const labelSelector = `app=${clusterId},type=${FLINK_NATIVE_TYPE}`;
  const leases: InformerLease[] = [
    acquireInformer({ conn, kind: podsKind, namespace, labelSelector }),
    acquireInformer({ conn, kind: configMapsKind, namespace, labelSelector }),
    acquireInformer({ conn, kind: deploymentsKind, namespace, labelSelector }),
  ];
  const [pods, configMaps, deployments] = leases.map((l) => l.informer);
  /** The cluster itself is going (its Deployment deleted or gone): its pods' ends are no failover. */
  const clusterGoing = (): boolean => {
    if (!deployments.isSynced) return false;
    const d = deployments.list().find((o) => o.metadata?.name === clusterId);
    return !d || Boolean((d.metadata as { deletionTimestamp?: unknown } | undefined)?.deletionTimestamp);
  };
  const instance = hostname();
  let stopped = false;
  let podLooks: Map<string, PodLook> | undefined;
  let leader: LeaderLook | undefined;
  let jobs: JobsLook | undefined;
  const observed: TimelineFact[] = [];
  const written = new Set<string>();
  let chain: Promise<void> = Promise.resolve();
  let pendingTimer: ReturnType<typeof setTimeout> | undefined;

  const write = (fact: TimelineFact) => {
    const body = timelineEvent(namespace, clusterId, fact, instance);
    const name = (body.metadata as { name: string }).name;
    if (written.has(name)) return;
    written.add(name);
    chain = chain.then(async () => {
      try {
        // Written as the dashboard itself (like audit records): a viewer's rights do not decide what is kept.
        await runAs(DASHBOARD_IDENTITY, () =>
          callK8s(getConnection(conn.context), { method: 'POST', path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`, body }),
        );
      } catch (err) {
        // Another replica (or this one before a restart) wrote it already.
        if (hasStatus(err, 409)) return;
        // The namespace is being deleted, and the cluster with it: nothing is left to keep a timeline for.
        if (hasStatus(err, 403) && /because it is being terminated/.test(err instanceof Error ? err.message : '')) return;
        written.delete(name);
        logger.error('failover timeline event not recorded', { namespace, clusterId, event: name, err });
      }
    });
  };
  const record = (facts: readonly TimelineFact[]) => {
    // Deleting the cluster ends its pods, its leadership and its jobs: none of that is a failover.
    if (stopped || facts.length === 0 || clusterGoing()) return;
    for (const f of facts) {
      observed.push(f);
      write(f);
    }
    // A failover that is over gets its summary Event (with the measured times).
    for (const f of deriveTimeline(observed).failovers) {
      const summary = recoveredFact(f);
      if (summary) write(summary);
    }
  };

  const podItems = () => pods.list().map(toPodLook);
  const leaderPodName = (items: readonly KubeObject[]): string | undefined => {
    const cm = configMaps.list().find((o) => o.metadata?.name === clusterConfigMapName(clusterId));
    const rec = cm ? readHaConfigMap(cm, clusterId) : undefined;
    if (!rec) return undefined;
    return findLeaderPod(deriveHaState([rec]), items.map(toPodDto)).pod?.name;
  };
  const lookAtLeader = () => {
    if (!pods.isSynced || !configMaps.isSynced) return;
    const cm = configMaps.list().find((o) => o.metadata?.name === clusterConfigMapName(clusterId));
    const rec = cm ? readHaConfigMap(cm, clusterId) : undefined;
    if (!rec) return;
    const state = deriveHaState([rec]);
    const resolved = findLeaderPod(state, pods.list().map(toPodDto)).pod;
    // A terminating pod's address is the old leader's, not a new holder's; on the first look it is the holder's own.
    const result = diffLeader(leader, state.election, resolved && (!resolved.deleting || leader === undefined) ? resolved.name : undefined, Date.now());
    leader = result.next;
    if (result.fact) record([result.fact]);
    clearTimeout(pendingTimer);
    // Waiting for the new leader's address: look again when the wait runs out, even if nothing changes.
    if (result.pending) pendingTimer = setTimeout(lookAtLeader, 5_000);
  };
  /** The current lock holder's acquireTime, straight from the ConfigMap (not waiting for its pod). */
  const leaderSince = (): number | undefined => {
    if (!configMaps.isSynced) return undefined;
    const cm = configMaps.list().find((o) => o.metadata?.name === clusterConfigMapName(clusterId));
    const rec = cm ? readHaConfigMap(cm, clusterId) : undefined;
    const election = rec ? deriveHaState([rec]).election : undefined;
    const t = election?.state === 'held' ? Date.parse(election.acquireTime) : NaN;
    return Number.isNaN(t) ? undefined : t;
  };
  const lookAtPods = () => {
    if (!pods.isSynced) return;
    const items = podItems();
    const facts = diffPods(podLooks, items, leader?.pod ?? leaderPodName(pods.list()), Date.now());
    podLooks = new Map(items.map((p) => [p.uid, p]));
    record(facts);
  };

  const unsubscribes = [
    pods.subscribe((e) => {
      if (e.type === 'status') return;
      // The leader first: a deleted pod is compared with the leader known before the deletion.
      lookAtPods();
      lookAtLeader();
    }),
    configMaps.subscribe((e) => {
      if (e.type !== 'status') lookAtLeader();
    }),
    jobPollers.subscribe(toPollerKey({ conn, namespace, clusterId }), () => createPollSource({ conn, namespace, clusterId }), (e) => {
      if (e.type !== 'jobs') return;
      try {
        const result = diffJobs(jobs, e.data, Date.now(), leaderSince());
        jobs = result.next;
        record(result.facts);
      } catch (err) {
        // The poller swallows a listener's error: say it here.
        console.error(`The failover timeline of ${namespace}/${clusterId} could not read the jobs:`, err);
      }
    }),
  ];
  void Promise.all([pods.whenSynced(), configMaps.whenSynced()])
    .then(() => {
      if (stopped) return;
      lookAtLeader();
      lookAtPods();
    })
    .catch((err: unknown) => console.error(`The failover timeline of ${namespace}/${clusterId} cannot watch the cluster:`, err instanceof Error ? err.message : err));

  return {
    stop: () => {
      stopped = true;
      clearTimeout(pendingTimer);
      for (const u of unsubscribes) u();
      for (const l of leases) l.release();
    },
    observe: record,
  };
}

/**
 * The cluster's failover timeline as a live feed (topic `/api/clusters/:ns/:id/ha-timeline/watch`):
 * the timeline Events on its Deployment (the namespace's shared Event informer, filtered), and the
 * recorder held while someone follows it.
 */
export async function subscribeTimeline(conn: Connection, namespace: string, clusterId: string, emit: (event: FeedEvent<TimelineEntry>) => void): Promise<() => void> {
  const release = retainTimelineRecorder(conn, namespace, clusterId);
  try {
    const stop = await subscribeSources<TimelineEntry>(
      [
        {
          spec: { conn, kind: eventsKind, namespace },
          toDto: (o) => toTimelineEntry(o, clusterId) ?? { key: `TimelineEvent/${namespace}/${o.metadata?.name ?? ''}`, resourceVersion: '', fact: undefined as never },
          accept: (o) => toTimelineEntry(o, clusterId) !== undefined,
        },
      ],
      emit,
    );
    return () => {
      stop();
      release();
    };
  } catch (err) {
    release();
    throw err;
  }
}
