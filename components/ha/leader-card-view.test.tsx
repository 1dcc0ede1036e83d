import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { toDeploymentDto, toPodDto, toServiceDto, type ClusterObject } from '@/lib/flink/cluster-detail-objects';
import { CLUSTER_ID, HELD, LEADER_IP, STANDBY_IP, clusterConfigMap, jobConfigMap } from '@/lib/flink/ha/fixtures/ha-config-maps';
import { toHaConfigMapDto } from '@/lib/flink/ha/ha-config-map-dto';
import { JobManagerCard } from '@/components/cluster-detail/job-manager-card';
import { deriveClusterStatus } from '@/lib/flink/cluster-status';
import { permissionsAnswer, renderWithPermissions, VIEWER_DENIED } from '@/lib/queries/testing/permission-answers';
import { LeaderCard } from './leader-card';
import { LeaderCardView } from './leader-card-view';
import { leadershipFromObjects } from './leadership-from-objects';

vi.mock('next/link', () => ({ default: ({ href, children }: { href: string; children: unknown }) => createElement('a', { href }, children as never) }));

const NOW = Date.parse(HELD.renewTime) + 3_000;
const deployment = (replicas: number) =>
  toDeploymentDto({ metadata: { name: CLUSTER_ID, namespace: 'team-a', resourceVersion: '1' }, spec: { replicas, template: { spec: { containers: [{ image: 'flink:2.0' }] } } }, status: {} });
const service = (name: string) => toServiceDto({ metadata: { name, namespace: 'team-a', resourceVersion: '1' }, spec: {} });
const jm = (name: string, podIP: string, createdAt: string) =>
  toPodDto({
    metadata: { name, namespace: 'team-a', resourceVersion: '1', creationTimestamp: createdAt, labels: { component: 'jobmanager' } },
    spec: { containers: [{ name: 'flink-main-container' }] },
    status: { phase: 'Running', podIP, containerStatuses: [{ name: 'flink-main-container', ready: true, state: { running: {} } }] },
  });
// The standby is the newer pod (it replaced an earlier leader): the pick without HA would show it.
const standby = jm('orders-7d9c8b-aaaaa', STANDBY_IP, '2026-12-05T01:05:00Z');
const leader = jm('orders-7d9c8b-bbbbb', LEADER_IP, '2026-12-05T00:59:30Z');
const ha = [toHaConfigMapDto(clusterConfigMap('2.0'), CLUSTER_ID)!, toHaConfigMapDto(jobConfigMap('2.0'), CLUSTER_ID)!];

function render(objects: ClusterObject[], now = NOW): string {
  return renderToStaticMarkup(createElement(LeaderCardView, { leadership: leadershipFromObjects(objects, CLUSTER_ID, now), now, newClusterHref: '/clusters/new' }));
}

describe('LeaderCardView', () => {
  it('names the leader, how long it has led, the lease and the standby', () => {
    const html = render([deployment(2), service(`${CLUSTER_ID}-rest`), standby, leader, ...ha]);
    expect(html).toContain('aria-label="Leader JobManager">orders-7d9c8b-bbbbb</span>');
    expect(html).toContain('aria-label="Standby JobManagers">orders-7d9c8b-aaaaa</dd>');
    expect(html).toContain('aria-label="Leading for">10m <span class="text-slate-500">(since 2026-12-05T01:00:00.000000Z)');
    expect(html).toContain('renewed 3.0 s ago, lasts 15 s');
    expect(html).toContain('checkpoint 42');
    expect(html).not.toContain('role="status"');
  });

  it('HA off: says so and how to turn it on, not an empty card', () => {
    const html = render([deployment(1), service(`${CLUSTER_ID}-rest`), service(CLUSTER_ID), leader]);
    expect(html).toContain('HA is off');
    expect(html).toContain('High availability</span> section');
    expect(html).toContain('href="/clusters/new"');
  });

  it('a stale lease, and one JobManager only', () => {
    expect(render([deployment(2), service(`${CLUSTER_ID}-rest`), leader, ...ha], Date.parse(HELD.renewTime) + 20_000)).toContain('Stale lease');
    expect(render([deployment(1), service(`${CLUSTER_ID}-rest`), leader, ...ha])).toContain('No standby');
  });

  it('a deleted cluster ConfigMap shows what is still known', () => {
    const html = render([deployment(2), service(`${CLUSTER_ID}-rest`), standby, leader, ha[1]]);
    expect(html).toContain('No election record');
    expect(html).toContain('checkpoint 42');
  });
});

describe('LeaderCard: the way to turn HA on, for who may take it', () => {
  const haOff = createElement(LeaderCard, {
    clusterRef: { context: 'sim', namespace: 'team-a', clusterId: CLUSTER_ID },
    objects: [deployment(1), service(`${CLUSTER_ID}-rest`), service(CLUSTER_ID), leader],
  });
  const refs = [{ context: 'sim', namespace: 'team-a' }];

  it('a user who may not create clusters is not sent to the form: told in words what it needs instead', () => {
    const html = renderWithPermissions(permissionsAnswer(VIEWER_DENIED), haOff, refs);
    expect(html).toContain('HA is off');
    expect(html).not.toContain('Open the form');
    expect(html).not.toContain('/clusters/new');
    expect(html).toContain(
      'You may not do createCluster in namespace team-a. Creating the cluster again needs the rights to create deployments, services and configmaps in this namespace',
    );
  });

  it('a user who may create clusters, and everyone while the answer is unknown, gets the form', () => {
    for (const answer of [permissionsAnswer(VIEWER_DENIED.filter((id) => id !== 'createCluster')), undefined]) {
      const html = renderWithPermissions(answer, haOff, refs);
      expect(html).toContain('href="/clusters/new?context=sim&amp;namespace=team-a"');
      expect(html).toContain('Open the form');
      expect(html).not.toContain('Creating the cluster again needs');
    }
  });
});

describe('JobManagerCard with HA', () => {
  it('shows the leader pod, not whichever JobManager pod comes first', () => {
    const objects = [deployment(2), standby, leader, ...ha];
    const html = renderToStaticMarkup(createElement(JobManagerCard, { jobManager: deriveClusterStatus(objects).jobManager, objects }));
    expect(html).toContain('aria-label="JobManager pod name">orders-7d9c8b-bbbbb</span>');
    expect(html).toContain('leader');
  });
});
