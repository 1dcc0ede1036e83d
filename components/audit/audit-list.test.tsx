// @vitest-environment happy-dom
import { render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from '@testing-library/react';
import { toEventDto } from '@/lib/flink/cluster-detail-objects';
import { AuditList } from './audit-list';

afterEach(cleanup);

const raw = (name: string, reason: string, extra: Record<string, unknown>) => ({
  metadata: { name, namespace: 'team-a', resourceVersion: '1', ...(extra.metadata as object) },
  involvedObject: { kind: 'Deployment', name: 'orders' },
  reason,
  type: 'Normal',
  message: `${reason} message`,
  eventTime: '2026-12-05T03:00:00.000000Z',
  ...extra,
});

describe('AuditList', () => {
  it('lists only the dashboard\'s audit Events, with the user, Warnings as failures', () => {
    const events = [
      raw('a', 'ClusterCreated', { reportingComponent: 'flink-native-dashboard', message: 'alice created cluster team-a/orders.', metadata: { annotations: { 'flink-native-dashboard/user': 'alice' } } }),
      raw('b', 'JobCancelFailed', { type: 'Warning', reportingComponent: 'flink-native-dashboard', eventTime: '2026-12-05T03:00:05.000000Z', metadata: { annotations: { 'flink-native-dashboard/user': 'bob' } } }),
      raw('c', 'ScalingReplicaSet', { source: { component: 'deployment-controller' } }),
    ].map(toEventDto);
    render(<AuditList events={events} />);
    expect(screen.getByRole('heading', { name: 'Audit (2)' })).toBeTruthy();
    const items = within(screen.getByRole('list', { name: 'Audit entries' })).getAllByRole('listitem');
    expect(items.map((i) => i.textContent)).toEqual([
      expect.stringMatching(/^FailedJobCancelFailedby bobJobCancelFailed message/),
      expect.stringMatching(/^DoneClusterCreatedby alicealice created cluster team-a\/orders\./),
    ]);
    expect(screen.queryByText('ScalingReplicaSet')).toBeNull();
  });

  it('says so when there is nothing', () => {
    render(<AuditList events={[]} />);
    expect(screen.getByText('Nobody has changed this cluster through the dashboard yet.')).toBeTruthy();
  });
});
