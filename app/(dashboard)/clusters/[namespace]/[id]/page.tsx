import type { Metadata } from 'next';
import { ClusterDetail } from '@/components/cluster-detail/cluster-detail';
import { ScopeBar } from '@/components/shell/scope-bar';
import { ScopeError } from '@/components/shell/scope-error';
import { toScopeSearch } from '@/lib/api/scope';
import { tryResolveScope } from '@/lib/k8s/scope';

type Params = Promise<{ namespace: string; id: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { id } = await params;
  return { title: `${decodeURIComponent(id)} · Cluster` };
}

export default async function ClusterPage({
  params,
  searchParams,
}: {
  params: Params;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { namespace, id } = await params;
  const query = await searchParams;
  const resolved = tryResolveScope({ context: query.context, namespace });
  if (!resolved.ok) return <ScopeError message={resolved.message} />;
  const { scope } = resolved;
  return (
    <>
      <ScopeBar scope={scope} />
      <main className="mx-auto w-full max-w-6xl flex-1 px-6 py-8">
        <ClusterDetail
          key={`${scope.context}/${namespace}/${id}`}
          clusterRef={{ context: scope.context, namespace, clusterId: id }}
          backHref={`/clusters?${toScopeSearch(scope)}`}
        />
      </main>
    </>
  );
}
