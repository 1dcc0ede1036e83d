import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { toPodDto } from '@/lib/flink/cluster-detail-objects';
import { PodTable } from './pod-table';

vi.mock('next/link', () => ({ default: ({ href, children, ...rest }: { href: string; children: unknown }) => createElement('a', { href, ...rest }, children as never) }));

// The pods table from pod objects in the API's shapes: no server.
const pod = (name: string, component: string, status: Record<string, unknown>, nodeName?: string) =>
  toPodDto({
    metadata: { name, namespace: 'team-a', resourceVersion: '2', creationTimestamp: '2026-12-05T01:00:00Z', labels: { app: 'orders', component } },
    spec: { nodeName, containers: [{ name: 'flink-main-container', image: 'flink:1.20' }] },
    status,
  });

const jm = pod(
  'orders-6b9f7c-abcde',
  'jobmanager',
  {
    phase: 'Running',
    podIP: '10.244.1.7',
    containerStatuses: [
      {
        name: 'flink-main-container',
        ready: true,
        restartCount: 2,
        state: { running: { startedAt: '2026-12-05T01:05:00Z' } },
        lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', finishedAt: '2026-12-05T01:04:59Z' } },
      },
    ],
  },
  'sim-worker-1',
);
const crashing = pod(
  'orders-taskmanager-1-1',
  'taskmanager',
  {
    phase: 'Running',
    podIP: '10.244.2.3',
    containerStatuses: [
      {
        name: 'flink-main-container',
        ready: false,
        restartCount: 5,
        state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 2m40s restarting failed container=flink-main-container pod=orders-taskmanager-1-1_team-a(uid)' } },
        lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2026-12-05T01:06:00Z' } },
      },
    ],
  },
  'sim-worker-2',
);
const unschedulable = pod('orders-taskmanager-1-2', 'taskmanager', {
  phase: 'Pending',
  conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient memory.' }],
});

describe('PodTable', () => {
  const html = renderToStaticMarkup(createElement(PodTable, { pods: [unschedulable, crashing, jm], namespace: 'team-a', clusterId: 'orders' }));

  it('lists the JobManager first, then TaskManagers by name', () => {
    const order = [...html.matchAll(/<tr aria-label="Pod ([^"]+)"/g)].map((m) => m[1]);
    expect(order).toEqual(['orders-6b9f7c-abcde', 'orders-taskmanager-1-1', 'orders-taskmanager-1-2']);
  });

  it('shows status, ready, restarts, the last termination with its exit code, node and pod IP', () => {
    expect(html).toContain('aria-label="Last ended: OOMKilled, exit code 137"');
    expect(html).toContain('aria-label="Restarts: 2"');
    expect(html).toContain('10.244.1.7');
    expect(html).toContain('sim-worker-1');
    expect(html).toContain('aria-label="Pod status: CrashLoopBackOff"');
    expect(html).toContain('aria-label="Last ended: Error, exit code 1"');
    expect(html).toContain('back-off 2m40s restarting failed container');
    expect(html).toContain('aria-label="Pod status: Unschedulable"');
    expect(html).toContain('0/3 nodes are available: 3 Insufficient memory.');
  });

  it('links each pod to its log page', () => {
    expect(html).toContain('href="/clusters/team-a/orders/pods/orders-taskmanager-1-1/logs"');
    expect(html).toContain('aria-label="Log of orders-6b9f7c-abcde"');
  });
});
