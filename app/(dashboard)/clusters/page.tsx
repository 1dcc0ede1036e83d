import type { Metadata } from 'next';
import { ClusterList } from '@/components/clusters/cluster-list';
import { ScopeBar } from '@/components/shell/scope-bar';
import { ScopeError } from '@/components/shell/scope-error';
import { tryResolveScope } from '@/lib/k8s/scope';

export const metadata: Metadata = { title: 'Clusters' };

export default async function ClustersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const resolved = tryResolveScope(await searchParams);
  if (!resolved.ok) return <ScopeError message={resolved.message} />;
  const { scope } = resolved;
  return (
    <>
      <ScopeBar scope={scope} />
      <main className="mx-auto w-full max-w-6xl flex-1 px-6 py-8">
        <ClusterList key={`${scope.context}/${scope.namespace}`} scope={scope} />
      </main>
    </>
  );
}
