'use client';

import { useSearchParams } from 'next/navigation';
import { Card } from '@/components/cluster-detail/card';
import { useJobStream } from '@/lib/jobs/use-job-stream';
import { jobQueries, type JobClusterRef } from '@/lib/queries/job-queries';
import { FlinkUiLink } from './flink-ui-link';
import { JobsLive } from './jobs-live';
import { JobsTable } from './jobs-table';

/** The cluster page's jobs: live from the backend's shared poller, with the way into the Flink web UI. */
export function ClusterJobs({ namespace, clusterId }: { namespace: string; clusterId: string }) {
  const context = useSearchParams()?.get('context') ?? undefined;
  const ref: JobClusterRef = { context, namespace, clusterId };
  const { live, jobs } = useJobStream(jobQueries.watchUrl(ref));
  return (
    <Card
      title="Jobs"
      id="jobs-heading"
      aside={
        <span className="flex items-center gap-3">
          <FlinkUiLink clusterRef={ref} />
          <JobsLive status={live} />
        </span>
      }
    >
      <JobsTable list={jobs} hrefOf={(jobId) => jobQueries.jobHref(ref, jobId)} />
    </Card>
  );
}
