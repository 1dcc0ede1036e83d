import type { Metadata } from 'next';
import { JobDetail } from '@/components/jobs/job-detail';
import { ScopeBar } from '@/components/shell/scope-bar';
import { ScopeError } from '@/components/shell/scope-error';
import { Alert } from '@/components/ui/alert';
import { JOB_ID } from '@/lib/jobs/job-views';
import { tryResolveScope } from '@/lib/k8s/scope';

type Params = Promise<{ namespace: string; id: string; jobId: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { id, jobId } = await params;
  return { title: `Job ${decodeURIComponent(jobId).slice(0, 8)} · ${decodeURIComponent(id)}` };
}

export default async function JobPage({ params, searchParams }: { params: Params; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { namespace, id, jobId } = await params;
  const query = await searchParams;
  const resolved = tryResolveScope({ context: query.context, namespace });
  if (!resolved.ok) return <ScopeError message={resolved.message} />;
  const { scope } = resolved;
  return (
    <>
      <ScopeBar scope={scope} />
      <main className="mx-auto w-full max-w-6xl flex-1 px-6 py-8">
        {JOB_ID.test(jobId) ? (
          <JobDetail key={`${scope.context}/${namespace}/${id}/${jobId}`} clusterRef={{ context: scope.context, namespace, clusterId: id }} jobId={jobId.toLowerCase()} />
        ) : (
          <Alert title="This is not a job id">A Flink job id is 32 hexadecimal digits; “{decodeURIComponent(jobId)}” is not one.</Alert>
        )}
      </main>
    </>
  );
}
