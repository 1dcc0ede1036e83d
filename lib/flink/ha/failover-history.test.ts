import { describe, expect, it } from 'vitest';
import { toEventDto } from '../cluster-detail-objects';
import { deriveFailovers, failoverEventMessage } from './failover-history';

const event = (name: string, pod: string, eventTime: string, reason = 'TestFailover') =>
  toEventDto({
    metadata: { name, namespace: 'team-a', resourceVersion: '1' },
    involvedObject: { kind: 'Deployment', name: 'orders', namespace: 'team-a' },
    reason,
    message: failoverEventMessage(pod, '2026-12-05T01:00:00.000000Z', 3),
    eventTime,
    reportingComponent: 'flink-native-dashboard',
  });

describe('deriveFailovers', () => {
  const older = event('orders.failover-a', 'orders-7d9c8b-aaaaa', '2026-12-05T01:05:00.000000Z');
  const latest = event('orders.failover-b', 'orders-7d9c8b-bbbbb', '2026-12-05T01:10:00.250000Z');

  it('newest first; the recovery of the latest from the lease acquired after it by another pod', () => {
    const records = deriveFailovers([older, latest, event('x', 'p', '2026-12-05T01:11:00Z', 'Killing')], {
      leading: true,
      leaderPod: 'orders-7d9c8b-ccccc',
      acquireTime: '2026-12-05T01:10:04.750000Z',
    });
    expect(records).toEqual([
      { key: latest.key, at: '2026-12-05T01:10:00.250000Z', deletedPod: 'orders-7d9c8b-bbbbb', recovery: { newLeaderPod: 'orders-7d9c8b-ccccc', acquireTime: '2026-12-05T01:10:04.750000Z', ms: 4500 } },
      { key: older.key, at: '2026-12-05T01:05:00.000000Z', deletedPod: 'orders-7d9c8b-aaaaa' },
    ]);
  });

  it('no recovery while the lease is older than the failover, held by the deleted pod, or not held', () => {
    expect(deriveFailovers([latest], { leading: true, leaderPod: 'orders-7d9c8b-bbbbb', acquireTime: '2026-12-05T01:00:00Z' })[0].recovery).toBeUndefined();
    expect(deriveFailovers([latest], { leading: true, leaderPod: 'orders-7d9c8b-bbbbb', acquireTime: '2026-12-05T01:10:05Z' })[0].recovery).toBeUndefined();
    expect(deriveFailovers([latest], { leading: false, leaderPod: 'orders-7d9c8b-ccccc', acquireTime: '2026-12-05T01:10:05Z' })[0].recovery).toBeUndefined();
  });
});
