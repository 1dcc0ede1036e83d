import { queryOptions, useQuery } from '@tanstack/react-query';
import { isAllNamespaces } from '@/lib/api/scope';
import type { ActionPermission, DashboardAction, PermissionsDto } from '@/lib/k8s/permission-actions';
import { fetchJson } from './fetch-json';

export type PermissionRef = { context?: string; namespace: string };

/** How long an answer is reused: rights change rarely, and every action's route asks Kubernetes anyway. */
const PERMISSIONS_STALE_MS = 60_000;

export const permissionQueries = {
  all: () => ['permissions'] as const,
  /** GET /api/permissions: what the signed-in user may do in one namespace. */
  forNamespace: (ref: PermissionRef) =>
    queryOptions({
      queryKey: [...permissionQueries.all(), ref.context ?? '', ref.namespace] as const,
      queryFn: () =>
        fetchJson<PermissionsDto>(`/api/permissions?${new URLSearchParams({ ...(ref.context ? { context: ref.context } : {}), namespace: ref.namespace })}`),
      staleTime: PERMISSIONS_STALE_MS,
      retry: false,
    }),
};

/**
 * May the user do `action` in the namespace? `allowed` is undefined while unknown (loading, failed,
 * all namespaces): the action stays shown, and the server's answer (Kubernetes decides) is what counts.
 * `false` comes with the plain reason ("You may not delete deployments in namespace x.").
 */
export function usePermission(ref: PermissionRef, action: DashboardAction): { allowed: boolean | undefined; reason?: string } {
  const known = ref.namespace !== '' && !isAllNamespaces(ref.namespace);
  const query = useQuery({ ...permissionQueries.forNamespace(ref), enabled: known });
  const answer: ActionPermission | undefined = known ? query.data?.actions[action] : undefined;
  return answer ? answer : { allowed: undefined };
}
