import { createElement, type ReactElement } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { AppSidebar } from '@/components/shell/app-sidebar';
import type { DashboardAction, PermissionsDto } from '@/lib/k8s/permission-actions';
import { permissionsAnswer, renderWithPermissions, VIEWER_DENIED } from '@/lib/queries/testing/permission-answers';
import { DeleteClusterButton } from './delete-cluster-button';

// What a viewer (RBAC view) and an editor see, from GET /api/permissions's answer in the query cache.
const search = new URLSearchParams({ namespace: 'team-a' });
vi.mock('next/navigation', () => ({ useSearchParams: () => search, usePathname: () => '/clusters', useParams: () => ({}) }));
vi.mock('next/link', () => ({ default: ({ href, children }: { href: string; children: unknown }) => createElement('a', { href }, children as never) }));

const permissions = (denied: DashboardAction[]) => permissionsAnswer(denied);
const viewer = permissionsAnswer(VIEWER_DENIED);
const render = (answer: PermissionsDto | undefined, element: ReactElement) => renderWithPermissions(answer, element);

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
