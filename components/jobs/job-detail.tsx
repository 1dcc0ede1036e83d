'use client';

import Link from 'next/link';
import { useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Skeleton } from '@/components/ui/skeleton';
import type { JobDetail as JobDetailData } from '@/lib/jobs/job-views';
import { useJobStream } from '@/lib/jobs/use-job-stream';
import { jobQueries, type JobClusterRef } from '@/lib/queries/job-queries';
import { FlinkUiLink } from './flink-ui-link';
import { JobActions } from './job-actions';
import { JobDetailView } from './job-detail-view';
import { JobsLive } from './jobs-live';

/** The live job page: the job's details from the cluster's shared poller, and its actions. */
export function JobDetail({ clusterRef, jobId }: { clusterRef: JobClusterRef; jobId: string }) {
  const { live, job } = useJobStream(jobQueries.watchUrl(clusterRef, jobId));
  // An application cluster shuts down after its job ends: keep showing what was last seen.
  const [lastSeen, setLastSeen] = useState<JobDetailData | undefined>();
  if (job?.found && job.job !== lastSeen) setLastSeen(job.job);
  const shown = job?.found ? job.job : lastSeen;
  return (
    <section aria-labelledby="job-heading" className="space-y-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <Link href={jobQueries.clusterHref(clusterRef)} className="text-sm text-slate-500 hover:text-slate-800">
          ← Cluster {clusterRef.clusterId}
        </Link>
        <span className="flex items-center gap-3">
          <FlinkUiLink clusterRef={clusterRef} />
          <JobsLive status={live} />
        </span>
      </div>
      {job && !job.found && (
        <Alert tone={shown ? 'warning' : 'error'} title={shown ? 'The job can no longer be read' : 'The job cannot be shown'}>
          {job.message}
          {shown && ' What you see is the last state read.'}
        </Alert>
      )}
      {!shown && !job && (
        <div className="space-y-2 rounded-xl border border-slate-200 bg-white p-4" aria-busy="true" aria-label="Loading the job">
          <h1 id="job-heading" className="sr-only">Job {jobId}</h1>
          {[0, 1, 2].map((i) => <Skeleton key={i} className="h-8 w-full" />)}
        </div>
      )}
      {!shown && job && !job.found && <h1 id="job-heading" className="font-mono text-lg text-slate-900">Job {jobId}</h1>}
      {/* The actions stay mounted while a read fails (an open dialog and the operations followed are kept); they are disabled until the job reads again. */}
      {shown && <JobDetailView job={shown} actions={<JobActions clusterRef={clusterRef} job={shown} unreadable={job !== undefined && !job.found} />} />}
    </section>
  );
}
