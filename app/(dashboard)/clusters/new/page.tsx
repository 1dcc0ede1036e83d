import type { Metadata } from 'next';
import { ClusterForm } from '@/components/cluster-form/cluster-form';
import { isAllNamespaces } from '@/lib/api/scope';
import { renderScopedPage, type PageSearchParams } from '@/app/(dashboard)/_lib/scoped-page';

export const metadata: Metadata = { title: 'New cluster' };

export default async function NewClusterPage({ searchParams }: { searchParams: PageSearchParams }) {
  return renderScopedPage(
    searchParams,
    (scope) => (
      <ClusterForm key={`${scope.context}/${scope.namespace}`} context={scope.context} namespace={isAllNamespaces(scope.namespace) ? 'default' : scope.namespace} />
    ),
    { width: '7xl' },
  );
}
