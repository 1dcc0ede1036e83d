import type { Metadata } from 'next';
import { HaLeftovers } from '@/components/cluster-delete/ha-leftovers';
import { ScopeBar } from '@/components/shell/scope-bar';
import { ScopeError } from '@/components/shell/scope-error';
import { tryResolveScope } from '@/lib/k8s/scope';

export const metadata: Metadata = { title: 'Leftover HA data' };

export default async function LeftoversPage({
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
        <HaLeftovers key={`${scope.context}/${scope.namespace}`} scope={scope} />
      </main>
    </>
  );
}
