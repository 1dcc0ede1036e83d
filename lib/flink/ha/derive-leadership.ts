// Who leads a native Flink cluster, from its HA state and its JobManager pods, and what is wrong
// with that: what the leader card shows. PURE (time comes in as `now`).
import type { PodDto } from '../cluster-detail-objects';
import type { HaState } from './derive-ha-state';
import { clusterConfigMapName } from './ha-keys';
import { hostOfLeaderAddress } from './parse-leader-information';

export type LeadershipWarning = {
  code: 'no-record' | 'unreadable' | 'released' | 'stale' | 'no-address' | 'no-pod' | 'no-standby' | 'problems';
  message: string;
};

export type JobManagerPodRef = { name: string; podIP?: string; phase: string; ready: boolean; deleting: boolean };

export type Leadership =
  | { ha: 'off'; jobManagers: JobManagerPodRef[] }
  | {
      ha: 'on';
      /** The election says someone holds a lease that has not expired. */
      leading: boolean;
      holderIdentity?: string;
      leaseDurationMs?: number;
      acquireTime?: string;
      renewTime?: string;
      /** now − renewTime. */
      leaseAgeMs?: number;
      leaderTransitions?: number;
      /** The restserver leader's address (http://<pod IP>:8081) and the pod it points at. */
      leaderAddress?: string;
      leaderPod?: JobManagerPodRef;
      standbys: JobManagerPodRef[];
      /** JobManager pods that are neither leader nor a running standby (starting, terminating). */
      others: JobManagerPodRef[];
      warnings: LeadershipWarning[];
      state: HaState;
    };

function toRef(p: PodDto): JobManagerPodRef {
  const main = p.containers.find((c) => c.name === 'flink-main-container') ?? p.containers[0];
  return { name: p.name, podIP: p.podIP, phase: p.phase, ready: main?.ready === true, deleting: p.deleting };
}

/** The leader pod by the restserver address's host (its pod IP), else by the dispatcher's. */
export function findLeaderPod(state: HaState, pods: readonly PodDto[]): { address?: string; pod?: PodDto } {
  const info = [state.leaders.restserver, state.leaders.dispatcher].find((i) => i?.readable);
  if (!info || !info.readable) return {};
  const host = hostOfLeaderAddress(info.address);
  const jms = pods.filter((p) => p.component === 'jobmanager' && p.podIP);
  // A deleted pod's IP can be reused: a live pod wins over a terminating one.
  const matches = jms.filter((p) => p.podIP === host).sort((a, b) => Number(a.deleting) - Number(b.deleting));
  return { address: info.address, pod: matches[0] };
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

export type LeadershipInput = {
  clusterId: string;
  /** Whether the cluster runs with high-availability.type: kubernetes. */
  haEnabled: boolean;
  state: HaState;
  pods: readonly PodDto[];
  now: number;
};

export function deriveLeadership({ clusterId, haEnabled, state, pods, now }: LeadershipInput): Leadership {
  const jobManagerPods = pods.filter((p) => p.component === 'jobmanager');
  if (!haEnabled && !state.present) return { ha: 'off', jobManagers: jobManagerPods.map(toRef) };
  const warnings: LeadershipWarning[] = [];
  const { election } = state;
  let leading = false;
  let leaseAgeMs: number | undefined;
  const lockName = clusterConfigMapName(clusterId);
  if (!state.clusterConfigMap) {
    warnings.push({
      code: 'no-record',
      message: `ConfigMap ${lockName} does not exist, so no leader is known: the JobManager creates it when its leader election starts, and it is gone if someone deleted it (a running leader writes it again within its retry period).`,
    });
  } else if (election.state === 'missing') {
    warnings.push({ code: 'no-record', message: `ConfigMap ${lockName} has no leader annotation, so the election record is unknown (edited by hand?).` });
  } else if (election.state === 'unreadable') {
    warnings.push({ code: 'unreadable', message: `The leader annotation of ${lockName} cannot be read: ${election.reason}` });
  } else {
    leaseAgeMs = Math.max(0, now - Date.parse(election.renewTime));
    if (election.state === 'released') {
      warnings.push({ code: 'released', message: 'No one leads: the last leader released the lock (a JobManager stopped). A standby takes it within its retry period.' });
    } else if (leaseAgeMs > election.leaseDurationMs) {
      warnings.push({
        code: 'stale',
        message: `The lease is stale: last renewed ${seconds(leaseAgeMs)} ago, longer than its ${seconds(election.leaseDurationMs)} duration. The leader is stuck or gone; a standby takes over.`,
      });
    } else {
      leading = true;
    }
  }

  const { address, pod } = findLeaderPod(state, pods);
  if (state.clusterConfigMap && !address) {
    const unreadable = state.leaders.restserver && !state.leaders.restserver.readable;
    warnings.push({
      code: 'no-address',
      message: unreadable
        ? `The restserver leader entry cannot be read (${state.leaders.restserver && !state.leaders.restserver.readable ? state.leaders.restserver.reason : ''}), so the leader pod is unknown.`
        : 'The leader has not published its REST address yet, so the leader pod is unknown.',
    });
  } else if (address && !pod) {
    warnings.push({ code: 'no-pod', message: `The leader address ${address} matches no JobManager pod's IP: that pod is gone, or the new leader has not published its address yet.` });
  }
  const leaderPod = pod && leading ? toRef(pod) : undefined;
  const lastLeaderPod = pod && !leading ? toRef(pod) : undefined;
  const rest = jobManagerPods.filter((p) => p.name !== pod?.name).map(toRef);
  const standbys = rest.filter((p) => !p.deleting && p.phase === 'Running');
  const others = rest.filter((p) => p.deleting || p.phase !== 'Running');
  if (leading && standbys.length === 0) {
    warnings.push({ code: 'no-standby', message: 'Only one JobManager runs: there is no standby. If it fails, jobs wait until a new JobManager pod has started (set JobManager replicas to 2 for a standby).' });
  }
  if (state.problems.length > 0) warnings.push({ code: 'problems', message: `Some HA data is not what Flink writes: ${state.problems.join(' · ')}` });
  const held = election.state === 'held' || election.state === 'released' ? election : undefined;
  return {
    ha: 'on',
    leading,
    holderIdentity: held?.holderIdentity,
    leaseDurationMs: held?.leaseDurationMs,
    acquireTime: held?.acquireTime,
    renewTime: held?.renewTime,
    leaseAgeMs,
    leaderTransitions: held?.leaderTransitions,
    leaderAddress: address,
    leaderPod: leaderPod ?? lastLeaderPod,
    standbys,
    others,
    warnings,
    state,
  };
}
