import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createElement, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { dashboardActionIds, type DashboardAction, type PermissionsDto } from '@/lib/k8s/permission-actions';
import { permissionQueries, type PermissionRef } from '@/lib/queries/permission-queries';

/** GET /api/permissions's answer for a user denied `denied` in `namespace`, each with its reason. */
export function permissionsAnswer(denied: readonly DashboardAction[], namespace = 'team-a'): PermissionsDto {
  return {
    context: 'sim',
    namespace,
    source: 'rules',
    actions: Object.fromEntries(
      dashboardActionIds.map((id) => [id, denied.includes(id) ? { allowed: false, reason: `You may not do ${id} in namespace ${namespace}.` } : { allowed: true }]),
    ) as PermissionsDto['actions'],
  };
}

/** What an RBAC `view` user is denied: everything but reading logs. */
export const VIEWER_DENIED = dashboardActionIds.filter((id) => id !== 'readLogs');

/**
 * Renders `element` as the server would, with `answer` (if any) already in the query cache for each
 * of `refs`: the components read it through usePermission as they would once it came in.
 */
export function renderWithPermissions(answer: PermissionsDto | undefined, element: ReactElement, refs: readonly PermissionRef[] = [{ namespace: 'team-a' }]): string {
  const client = new QueryClient();
  if (answer) for (const ref of refs) client.setQueryData(permissionQueries.forNamespace(ref).queryKey, answer);
  return renderToStaticMarkup(createElement(QueryClientProvider, { client }, element));
}
