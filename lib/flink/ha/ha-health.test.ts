import { describe, expect, it } from 'vitest';
import { toPodDto } from '../cluster-detail-objects';
import { CLUSTER_ID, HELD, LEADER_IP, STANDBY_IP, clusterConfigMap, leaderAnnotation } from './fixtures/ha-config-maps';
import { deriveHaHealth, type HaLockDto, type HaPodDto } from './ha-health';
import { readHaConfigMap } from './read-ha-config-map';

const NOW = Date.parse(HELD.renewTime) + 2_000;
const lock = (annotation?: string): HaLockDto => ({
  ...readHaConfigMap(clusterConfigMap('1.20', annotation), CLUSTER_ID)!,
  kind: 'HaLock',
  key: 'HaLock/team-a/orders-cluster-config-map',
  resourceVersion: '1',
  namespace: 'team-a',
  clusterId: CLUSTER_ID,
});
const pod = (name: string, podIP: string, phase = 'Running'): HaPodDto => ({
  ...toPodDto({ metadata: { name, namespace: 'team-a', resourceVersion: '1', labels: { component: 'jobmanager' } }, spec: {}, status: { phase, podIP } }),
  namespace: 'team-a',
  clusterId: CLUSTER_ID,
});

describe('deriveHaHealth', () => {
  it('a leader and a standby', () => {
    expect(deriveHaHealth([lock(), pod('orders-a', LEADER_IP), pod('orders-b', STANDBY_IP)], NOW).get('team-a/orders')).toEqual({ state: 'leader', leaderPod: 'orders-a', standbys: 1 });
  });

  it('a leader without a standby (the other pod is still starting)', () => {
    expect(deriveHaHealth([lock(), pod('orders-a', LEADER_IP), pod('orders-b', STANDBY_IP, 'Pending')], NOW).get('team-a/orders')).toMatchObject({ standbys: 0 });
  });

  it('no leader: released, stale, unreadable', () => {
    const released = leaderAnnotation({ leaseDuration: 1, acquireTime: HELD.renewTime, renewTime: HELD.renewTime, leaderTransitions: 1 });
    expect(deriveHaHealth([lock(released)], NOW).get('team-a/orders')).toEqual({ state: 'no-leader', reason: 'the lock is released' });
    expect(deriveHaHealth([lock()], NOW + 60_000).get('team-a/orders')).toEqual({ state: 'no-leader', reason: 'the lease is stale' });
    expect(deriveHaHealth([lock('{')], NOW).get('team-a/orders')).toEqual({ state: 'no-leader', reason: 'the leader record is unreadable' });
  });

  it('a cluster without a lock ConfigMap has no entry', () => {
    expect(deriveHaHealth([pod('orders-a', LEADER_IP)], NOW).size).toBe(0);
  });
});
