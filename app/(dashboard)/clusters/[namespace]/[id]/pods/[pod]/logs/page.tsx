import type { Metadata } from 'next';
import { PodLogs } from '@/components/logs/pod-logs';
import { ScopeBar } from '@/components/shell/scope-bar';
import { ScopeError } from '@/components/shell/scope-error';
import { tryResolveScope } from '@/lib/k8s/scope';

type Params = Promise<{ namespace: string; id: string; pod: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { pod } = await params;
  return { title: `${decodeURIComponent(pod)} · Log` };
}

export default async function PodLogPage({
  params,
  searchParams,
}: {
  params: Params;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { namespace, id, pod } = await params;
  const query = await searchParams;
  const resolved = tryResolveScope({ context: query.context, namespace });
  if (!resolved.ok) return <ScopeError message={resolved.message} />;
  const { scope } = resolved;
  return (
    <>
      <ScopeBar scope={scope} />
      <main className="mx-auto w-full max-w-6xl flex-1 px-6 py-8">
        <PodLogs
          key={`${scope.context}/${namespace}/${id}/${pod}`}
          clusterRef={{ context: scope.context, namespace, clusterId: id }}
          pod={decodeURIComponent(pod)}
          backHref={`/clusters/${encodeURIComponent(namespace)}/${encodeURIComponent(id)}?${new URLSearchParams({ context: scope.context })}`}
        />
      </main>
    </>
  );
}
