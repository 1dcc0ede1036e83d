import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createElement, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { AppSidebar } from '@/components/shell/app-sidebar';
import { dashboardActionIds, type DashboardAction, type PermissionsDto } from '@/lib/k8s/permission-actions';
import { permissionQueries } from '@/lib/queries/permission-queries';
import { DeleteClusterButton } from './delete-cluster-button';

// What a viewer (RBAC view) and an editor see, from GET /api/permissions's answer in the query cache.
const search = new URLSearchParams({ namespace: 'team-a' });
vi.mock('next/navigation', () => ({ useSearchParams: () => search, usePathname: () => '/clusters', useParams: () => ({}) }));
vi.mock('next/link', () => ({ default: ({ href, children }: { href: string; children: unknown }) => createElement('a', { href }, children as never) }));

function permissions(denied: DashboardAction[]): PermissionsDto {
  return {
    context: 'sim',
    namespace: 'team-a',
    source: 'rules',
    actions: Object.fromEntries(
      dashboardActionIds.map((id) => [id, denied.includes(id) ? { allowed: false, reason: `You may not do ${id} in namespace team-a.` } : { allowed: true }]),
    ) as PermissionsDto['actions'],
  };
}

const viewer = permissions(['createCluster', 'deleteCluster', 'purgeHaData', 'testFailover', 'uploadJar', 'runJar', 'deleteJar', 'cancelJob', 'stopJob']);

function render(answer: PermissionsDto | undefined, element: ReactElement): string {
  const client = new QueryClient();
  if (answer) client.setQueryData(permissionQueries.forNamespace({ namespace: 'team-a' }).queryKey, answer);
  return renderToStaticMarkup(createElement(QueryClientProvider, { client }, element));
}

describe('actions the user may not do are hidden', () => {
  const row = createElement(DeleteClusterButton, { namespace: 'team-a', clusterId: 'orders', compact: true });
  const page = createElement(DeleteClusterButton, { namespace: 'team-a', clusterId: 'orders' });

  it('a viewer sees no Delete in the list row, and the reason instead of it on the cluster page', () => {
    expect(render(viewer, row)).not.toContain('Delete cluster orders');
    const html = render(viewer, page);
    expect(html).not.toContain('Delete cluster orders');
    expect(html).toContain('You may not do deleteCluster in namespace team-a.');
  });

  it('a viewer sees no New cluster entry; the other links stay', () => {
    const html = render(viewer, createElement(AppSidebar));
    expect(html).not.toContain('New cluster');
    expect(html).toContain('Clusters');
    expect(html).toContain('Leftover HA data');
  });

  it('a user who may delete and create sees both; so does everyone while the answer is unknown', () => {
    for (const answer of [permissions([]), undefined]) {
      expect(render(answer, row)).toContain('aria-label="Delete cluster orders"');
      expect(render(answer, createElement(AppSidebar))).toContain('New cluster');
    }
  });
});
