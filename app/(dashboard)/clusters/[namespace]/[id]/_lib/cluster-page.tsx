import type { ReactElement, ReactNode } from 'react';
import type { Scope } from '@/lib/api/scope';
import { renderScopedPage, type PageSearchParams } from '@/app/(dashboard)/_lib/scoped-page';

/** The params of a page under /clusters/:namespace/:id, with those of its own segments (`Extra`). */
export type ClusterPageParams<Extra extends Record<string, string> = Record<never, string>> = Promise<{ namespace: string; id: string } & Extra>;

export type ClusterRefOfPage = { context: string; namespace: string; clusterId: string };

/**
 * A page of one cluster: its namespace and id from the path, the context from ?context=, and
 * `render` with the cluster they name (and the page's other params) under the scope bar.
 */
export async function renderClusterPage<Extra extends Record<string, string>>(
  params: ClusterPageParams<Extra>,
  searchParams: PageSearchParams,
  render: (clusterRef: ClusterRefOfPage, params: { namespace: string; id: string } & Extra, scope: Scope) => ReactNode,
): Promise<ReactElement> {
  const p = await params;
  return renderScopedPage(searchParams, (scope) => render({ context: scope.context, namespace: p.namespace, clusterId: p.id }, p, scope), { namespace: p.namespace });
}
