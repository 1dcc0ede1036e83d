import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { toDeploymentDto, toPodDto } from '@/lib/flink/cluster-detail-objects';
import { ClusterDetailView, type ClusterDetailViewProps } from './cluster-detail-view';

vi.mock('next/link', () => ({ default: ({ href, children }: { href: string; children: unknown }) => createElement('a', { href }, children as never) }));

// The view renders every state from fixtures: no server; its live sections (jobs, jars) get an
// empty query cache, as on the first server render.
const deployment = toDeploymentDto({
  metadata: { name: 'orders', namespace: 'team-a', resourceVersion: '1' },
  spec: { replicas: 1, template: { spec: { containers: [{ name: 'flink-main-container', image: 'flink:1.20.99' }] } } },
  status: {},
});
const pod = (state: Record<string, unknown>, ready = false, phase = 'Pending') =>
  toPodDto({
    metadata: { name: 'orders-6b9f7c-abcde', namespace: 'team-a', resourceVersion: '2', labels: { component: 'jobmanager' } },
    spec: { nodeName: 'sim-worker-1', containers: [{ name: 'flink-main-container', image: 'flink:1.20.99' }] },
    status: { phase, containerStatuses: [{ name: 'flink-main-container', ready, restartCount: 0, state }] },
  });

function render(overrides: Partial<ClusterDetailViewProps>): string {
  return renderToStaticMarkup(
    createElement(
      QueryClientProvider,
      { client: new QueryClient() },
      createElement(ClusterDetailView, {
      namespace: 'team-a',
      clusterId: 'orders',
      backHref: '/clusters',
      result: { status: 'pending' },
      live: { state: 'live' },
      flink: { status: 'idle' },
      ...overrides,
      }),
    ),
  );
}

describe('ClusterDetailView', () => {
  it('shows an image pull failure as an error, never as Running', () => {
    const html = render({ result: { status: 'success', objects: [deployment, pod({ waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "flink:1.20.99"' } })] } });
    expect(html).toContain('The cluster is not starting');
    expect(html).toContain('Cluster status: ImagePullBackOff');
    expect(html).toContain('JobManager waiting reason: ImagePullBackOff');
    expect(html).not.toContain('Cluster status: Running');
  });

  it('shows the Flink version and job counts once the REST API answers, and places the live jobs section', () => {
    const html = render({
      result: { status: 'success', objects: [deployment, pod({ running: {} }, true, 'Running')] },
      flink: {
        status: 'success',
        data: {
          reachable: true,
          flinkVersion: '1.20.3',
          overview: { taskmanagers: 1, 'slots-total': 1, 'slots-available': 0, 'jobs-running': 1, 'jobs-finished': 0, 'jobs-cancelled': 0, 'jobs-failed': 0 },
          jobs: [{ id: 'a'.repeat(32), name: 'State machine job', state: 'RUNNING', startTime: 1, duration: 5 }],
        },
      },
    });
    expect(html).toContain('Cluster status: Running');
    expect(html).toContain('Flink 1.20.3');
    expect(html).toMatch(/Jobs running<\/dt><dd[^>]*>1</);
    // the job table itself is live (components/jobs, tested there)
    expect(html).toContain('id="jobs-heading"');
  });

  it('says plainly when the cluster does not exist, and when reading failed', () => {
    expect(render({ result: { status: 'success', objects: [] } })).toContain('There is no cluster orders in namespace team-a');
    expect(render({ result: { status: 'error', message: 'forbidden: cannot list pods' } })).toContain('forbidden: cannot list pods');
  });
});
