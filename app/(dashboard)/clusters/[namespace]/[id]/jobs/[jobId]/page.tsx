import type { Metadata } from 'next';
import { JobDetail } from '@/components/jobs/job-detail';
import { Alert } from '@/components/ui/alert';
import { JOB_ID } from '@/lib/jobs/job-views';
import type { PageSearchParams } from '@/app/(dashboard)/_lib/scoped-page';
import { renderClusterPage, type ClusterPageParams } from '../../_lib/cluster-page';

type Params = ClusterPageParams<{ jobId: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { id, jobId } = await params;
  return { title: `Job ${decodeURIComponent(jobId).slice(0, 8)} · ${decodeURIComponent(id)}` };
}

export default async function JobPage({ params, searchParams }: { params: Params; searchParams: PageSearchParams }) {
  return renderClusterPage(params, searchParams, (clusterRef, { namespace, id, jobId }, scope) =>
    JOB_ID.test(jobId) ? (
      <JobDetail key={`${scope.context}/${namespace}/${id}/${jobId}`} clusterRef={clusterRef} jobId={jobId.toLowerCase()} />
    ) : (
      <Alert title="This is not a job id">A Flink job id is 32 hexadecimal digits; “{decodeURIComponent(jobId)}” is not one.</Alert>
    ),
  );
}
