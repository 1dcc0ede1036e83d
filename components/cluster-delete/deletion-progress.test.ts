import { describe, expect, it } from 'vitest';
import { toConfigMapDto, toDeploymentDto, toEventDto, toPodDto } from '@/lib/flink/cluster-detail-objects';
import { toClusterSummary } from '@/lib/flink/cluster-summary';
import { deletionProgress } from './deletion-progress';

const deleting = {
  metadata: { name: 'orders', namespace: 'team-a', resourceVersion: '9', deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] },
  spec: { replicas: 1, template: { spec: { containers: [{ name: 'flink-main-container', image: 'flink:1.20' }] } } },
  status: {},
};

describe('delete progress from the watched objects', () => {
  it('a Deployment being deleted (Foreground) carries its deletionTimestamp to the row and the page', () => {
    expect(toClusterSummary(deleting).deletionTimestamp).toBe('2026-01-01T00:00:00Z');
    expect(toClusterSummary({ ...deleting, metadata: { ...deleting.metadata, deletionTimestamp: undefined } })).not.toHaveProperty('deletionTimestamp');
    expect(toDeploymentDto(deleting).deletionTimestamp).toBe('2026-01-01T00:00:00Z');
  });

  it('counts the objects still there, not events nor the HA ConfigMaps that have no owner', () => {
    const objects = [
      toDeploymentDto(deleting),
      toPodDto({ metadata: { name: 'orders-taskmanager-1-1', namespace: 'team-a', deletionTimestamp: '2026-01-01T00:00:01Z' } }),
      toConfigMapDto({ metadata: { name: 'flink-config-orders', namespace: 'team-a' } }),
      toConfigMapDto({ metadata: { name: 'orders-cluster-config-map', namespace: 'team-a' } }),
      toEventDto({ metadata: { name: 'e1', namespace: 'team-a' }, involvedObject: { kind: 'Pod', name: 'orders-x' } }),
    ];
    expect(deletionProgress(objects)).toEqual({ exists: true, deletionTimestamp: '2026-01-01T00:00:00Z', remaining: 3 });
    expect(deletionProgress([])).toEqual({ exists: false, deletionTimestamp: undefined, remaining: 0 });
  });
});
