import type { Metadata } from 'next';
import { ClusterList } from '@/components/clusters/cluster-list';
import { RememberScope } from '@/components/clusters/remember-scope';
import { ScopeBar } from '@/components/shell/scope-bar';
import { ScopeError } from '@/components/shell/scope-error';
import { runAsPageUser } from '@/lib/auth/page-identity';
import { peekClusterSummaries } from '@/lib/k8s/flink-clusters';
import { listContexts } from '@/lib/k8s/kubeconfig';
import { tryResolveScope } from '@/lib/k8s/scope';

export const metadata: Metadata = { title: 'Clusters' };

export default async function ClustersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const resolved = tryResolveScope(params);
  if (!resolved.ok) return <ScopeError message={resolved.message} />;
  const { scope } = resolved;
  const fromUrl = Boolean(params.context || params.namespace);
  // The rows, when the informers already have them; otherwise the browser asks /api/clusters.
  // Read as the signed-in user: the informers are per identity, so nobody sees rows another's rights revealed.
  const initialClusters = await runAsPageUser(() => peekClusterSummaries(scope)).catch(() => undefined);
  return (
    <>
      <RememberScope scope={scope} fromUrl={fromUrl} contexts={listContexts().map((c) => c.name)} />
      <ScopeBar scope={scope} />
      <main className="mx-auto w-full max-w-6xl flex-1 px-6 py-8">
        <ClusterList key={`${scope.context}/${scope.namespace}`} scope={scope} initialClusters={initialClusters} />
      </main>
    </>
  );
}
