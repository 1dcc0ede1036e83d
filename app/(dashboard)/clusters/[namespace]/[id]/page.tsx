import type { Metadata } from 'next';
import { ClusterDetail } from '@/components/cluster-detail/cluster-detail';
import { toScopeSearch } from '@/lib/api/scope';
import type { PageSearchParams } from '@/app/(dashboard)/_lib/scoped-page';
import { renderClusterPage, type ClusterPageParams } from './_lib/cluster-page';

export async function generateMetadata({ params }: { params: ClusterPageParams }): Promise<Metadata> {
  const { id } = await params;
  return { title: `${decodeURIComponent(id)} · Cluster` };
}

export default async function ClusterPage({ params, searchParams }: { params: ClusterPageParams; searchParams: PageSearchParams }) {
  return renderClusterPage(params, searchParams, (clusterRef, { namespace, id }, scope) => (
    <ClusterDetail key={`${scope.context}/${namespace}/${id}`} clusterRef={clusterRef} backHref={`/clusters?${toScopeSearch(scope)}`} />
  ));
}
