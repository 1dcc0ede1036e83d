import { describe, expect, it } from 'vitest';
import type { ClusterSummary } from '@/lib/flink/cluster-summary';
import { applyListQuery, readListQuery, writeListQuery } from './cluster-list-query';

const row = (clusterId: string, extra: Partial<ClusterSummary> = {}): ClusterSummary => ({
  key: `ns/${clusterId}`,
  resourceVersion: '1',
  uid: clusterId,
  clusterId,
  namespace: 'ns',
  image: 'flink:1.20.1',
  flinkVersion: '1.20.1',
  mode: 'session',
  readyReplicas: 1,
  desiredReplicas: 1,
  health: 'ready',
  createdAt: '2026-12-01T10:00:00Z',
  status: 'Running',
  taskManagers: 1,
  ha: 'off',
  ...extra,
});

describe('the cluster list query', () => {
  it('round-trips through the URL and keeps context and namespace; unknown values fall back to the defaults', () => {
    const params = writeListQuery(new URLSearchParams('context=kind&namespace=flink'), { q: 'word', status: 'Failing', sort: 'taskmanagers', dir: 'desc' });
    expect(params.toString()).toBe('context=kind&namespace=flink&q=word&status=Failing&sort=taskmanagers&dir=desc');
    expect(readListQuery(params)).toEqual({ q: 'word', status: 'Failing', sort: 'taskmanagers', dir: 'desc' });
    expect(readListQuery(new URLSearchParams('status=Broken&sort=nope&dir=up'))).toEqual({ q: '', sort: 'cluster', dir: 'asc' });
    expect(writeListQuery(params, { q: '', sort: 'cluster', dir: 'asc' }).toString()).toBe('context=kind&namespace=flink');
  });

  it('filters by text and status, and sorts with ties broken by namespace and id', () => {
    const rows = [
      row('wordcount-2', { taskManagers: 3 }),
      row('wordcount-10', { taskManagers: 3, status: 'Failing', statusReason: 'JobManager x: ImagePullBackOff' }),
      row('etl', { taskManagers: 0, image: 'registry/etl:2.0.0' }),
    ];
    const ids = (q: Parameters<typeof applyListQuery>[1]) => applyListQuery(rows, q).map((r) => r.clusterId);
    expect(ids({ q: '', sort: 'cluster', dir: 'asc' })).toEqual(['etl', 'wordcount-2', 'wordcount-10']);
    expect(ids({ q: 'WORD', sort: 'cluster', dir: 'desc' })).toEqual(['wordcount-10', 'wordcount-2']);
    expect(ids({ q: 'imagepull', sort: 'cluster', dir: 'asc' })).toEqual(['wordcount-10']);
    expect(ids({ q: 'registry/etl', sort: 'cluster', dir: 'asc' })).toEqual(['etl']);
    expect(ids({ q: '', status: 'Running', sort: 'cluster', dir: 'asc' })).toEqual(['etl', 'wordcount-2']);
    expect(ids({ q: '', sort: 'taskmanagers', dir: 'desc' })).toEqual(['wordcount-2', 'wordcount-10', 'etl']);
    expect(ids({ q: '', sort: 'status', dir: 'asc' })).toEqual(['wordcount-10', 'etl', 'wordcount-2']);
  });
});
