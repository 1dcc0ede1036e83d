import { describe, expect, it } from 'vitest';
import { toPodDto, type PodDto } from '../cluster-detail-objects';
import { deriveHaState } from './derive-ha-state';
import { deriveLeadership, type Leadership } from './derive-leadership';
import { CLUSTER_ID, HELD, LEADER_IP, STANDBY_IP, clusterConfigMap, jobConfigMap, leaderAnnotation } from './fixtures/ha-config-maps';
import { readHaConfigMap } from './read-ha-config-map';

const NOW = Date.parse(HELD.renewTime) + 4_000;

function jm(name: string, podIP: string | undefined, opts: { phase?: string; ready?: boolean; deleting?: boolean } = {}): PodDto {
  return toPodDto({
    metadata: { name, namespace: 'team-a', resourceVersion: '1', labels: { component: 'jobmanager' }, ...(opts.deleting ? { deletionTimestamp: '2026-12-05T01:10:01Z' } : {}) },
    spec: { containers: [{ name: 'flink-main-container' }] },
    status: { phase: opts.phase ?? 'Running', podIP, containerStatuses: [{ name: 'flink-main-container', ready: opts.ready ?? true, state: { running: {} } }] },
  });
}
const LEADER = jm('orders-7d9c8b-aaaaa', LEADER_IP);
const STANDBY = jm('orders-7d9c8b-bbbbb', STANDBY_IP);

function lead(cms: unknown[], pods: PodDto[], opts: { haEnabled?: boolean; now?: number } = {}): Leadership {
  const records = cms.map((c) => readHaConfigMap(c, CLUSTER_ID)!).filter(Boolean);
  return deriveLeadership({ clusterId: CLUSTER_ID, haEnabled: opts.haEnabled ?? true, state: deriveHaState(records), pods, now: opts.now ?? NOW });
}
function on(l: Leadership) {
  if (l.ha !== 'on') throw new Error('HA is off');
  return l;
}
const codes = (l: Leadership) => on(l).warnings.map((w) => w.code);

describe('deriveLeadership', () => {
  it('names the leader pod by its restserver address and the standby', () => {
    const l = on(lead([clusterConfigMap('1.20'), jobConfigMap('1.20')], [STANDBY, LEADER]));
    expect(l.leading).toBe(true);
    expect(l.leaderPod?.name).toBe(LEADER.name);
    expect(l.standbys.map((p) => p.name)).toEqual([STANDBY.name]);
    expect(l.leaseAgeMs).toBe(4_000);
    expect(l.leaseDurationMs).toBe(15_000);
    expect(l.acquireTime).toBe(HELD.acquireTime);
    expect(l.warnings).toEqual([]);
  });

  it('HA off: no HA ConfigMaps and Flink made the internal Service', () => {
    expect(lead([], [LEADER], { haEnabled: false })).toEqual({ ha: 'off', jobManagers: [expect.objectContaining({ name: LEADER.name })] });
  });

  it('warns when the lease is stale (renewTime older than the lease duration)', () => {
    const l = on(lead([clusterConfigMap('2.0')], [LEADER, STANDBY], { now: Date.parse(HELD.renewTime) + 15_001 }));
    expect(l.leading).toBe(false);
    expect(codes(l)).toEqual(['stale']);
    expect(l.warnings[0].message).toBe(
      'The lease is stale: last renewed 15 s ago, longer than its 15 s duration. The leader is stuck or gone; a standby takes over.',
    );
    // The pod that last led is still named, as the last leader.
    expect(l.leaderPod?.name).toBe(LEADER.name);
  });

  it('a lease exactly at its duration is still held', () => {
    expect(on(lead([clusterConfigMap('2.0')], [LEADER, STANDBY], { now: Date.parse(HELD.renewTime) + 15_000 })).leading).toBe(true);
  });

  it('warns when no one leads (released lock)', () => {
    const released = leaderAnnotation({ holderIdentity: null, leaseDuration: 1, acquireTime: HELD.renewTime, renewTime: HELD.renewTime, leaderTransitions: 2 });
    const l = on(lead([clusterConfigMap('2.3', released)], [STANDBY]));
    expect(l.leading).toBe(false);
    expect(codes(l)).toEqual(['released', 'no-pod']);
  });

  it('warns when only one JobManager runs (no standby); a starting pod is not a standby', () => {
    const starting = jm('orders-7d9c8b-ccccc', undefined, { phase: 'Pending', ready: false });
    const l = on(lead([clusterConfigMap('1.19')], [LEADER, starting]));
    expect(codes(l)).toEqual(['no-standby']);
    expect(l.others.map((p) => p.name)).toEqual([starting.name]);
  });

  it('a deleted cluster ConfigMap: says what is not known, and still lists the JobManagers', () => {
    const l = on(lead([jobConfigMap('1.19')], [LEADER, STANDBY]));
    expect(codes(l)).toEqual(['no-record']);
    expect(l.warnings[0].message).toMatch(/^ConfigMap orders-cluster-config-map does not exist, so no leader is known/);
    expect(l.leaderPod).toBeUndefined();
    expect(l.standbys.map((p) => p.name)).toEqual([LEADER.name, STANDBY.name]);
    expect(l.state.jobs[0].latestCheckpointId).toBe(42);
  });

  it('HA on before any HA ConfigMap exists', () => {
    expect(codes(lead([], [LEADER]))).toEqual(['no-record']);
  });

  it('a leader address that matches no pod', () => {
    const l = on(lead([clusterConfigMap('1.20')], [STANDBY]));
    expect(codes(l)).toEqual(['no-pod']);
    expect(l.warnings[0].message).toContain(`http://${LEADER_IP}:8081 matches no JobManager pod's IP`);
    expect(l.leaderAddress).toBe(`http://${LEADER_IP}:8081`);
  });

  it('a live pod wins over a terminating one with the same (reused) IP', () => {
    const old = jm('orders-7d9c8b-zzzzz', LEADER_IP, { deleting: true });
    expect(on(lead([clusterConfigMap('1.20')], [old, LEADER, STANDBY])).leaderPod?.name).toBe(LEADER.name);
  });

  it('a ConfigMap edited by hand: unreadable annotation, unreadable restserver entry', () => {
    const cm = clusterConfigMap('1.20', 'garbage', { 'org.apache.flink.k8s.leader.restserver': 'garbage' });
    const l = on(lead([cm], [LEADER, STANDBY]));
    expect(codes(l)).toEqual(['unreadable', 'problems']);
    expect(l.warnings[0].message).toMatch(/^The leader annotation of orders-cluster-config-map cannot be read: The leader annotation is not JSON/);
    // Falls back to the dispatcher's address for the pod.
    expect(l.leaderPod?.name).toBe(LEADER.name);
    expect(l.leading).toBe(false);
  });
});
