import type { Metadata } from 'next';
import { ClusterForm } from '@/components/cluster-form/cluster-form';
import { ScopeBar } from '@/components/shell/scope-bar';
import { ScopeError } from '@/components/shell/scope-error';
import { isAllNamespaces } from '@/lib/api/scope';
import { tryResolveScope } from '@/lib/k8s/scope';

export const metadata: Metadata = { title: 'New cluster' };

export default async function NewClusterPage({
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
      <main className="mx-auto w-full max-w-7xl flex-1 px-6 py-8">
        <ClusterForm key={`${scope.context}/${scope.namespace}`} context={scope.context} namespace={isAllNamespaces(scope.namespace) ? 'default' : scope.namespace} />
      </main>
    </>
  );
}
