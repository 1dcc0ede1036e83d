import type { Metadata } from 'next';
import { PodLogs } from '@/components/logs/pod-logs';
import type { PageSearchParams } from '@/app/(dashboard)/_lib/scoped-page';
import { renderClusterPage, type ClusterPageParams } from '../../../_lib/cluster-page';

type Params = ClusterPageParams<{ pod: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { pod } = await params;
  return { title: `${decodeURIComponent(pod)} · Log` };
}

export default async function PodLogPage({ params, searchParams }: { params: Params; searchParams: PageSearchParams }) {
  return renderClusterPage(params, searchParams, (clusterRef, { namespace, id, pod }, scope) => (
    <PodLogs
      key={`${scope.context}/${namespace}/${id}/${pod}`}
      clusterRef={clusterRef}
      pod={decodeURIComponent(pod)}
      backHref={`/clusters/${encodeURIComponent(namespace)}/${encodeURIComponent(id)}?${new URLSearchParams({ context: scope.context })}`}
    />
  ));
}
