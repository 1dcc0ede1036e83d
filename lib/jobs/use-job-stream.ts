'use client';

import { useQuery } from '@tanstack/react-query';
import { useWatchStream, type LiveStatus } from '@/lib/live/use-watch-stream';
import type { JobFeedItem } from './job-stream';
import type { JobsList, JobView } from './job-views';

export type JobStreamState = { live: LiveStatus; jobs?: JobsList; job?: JobView };

/**
 * Follows the cluster's job feed (topic …/jobs/watch of the browser's one live connection, fed by
 * the backend's one poller per cluster): the job list and, when the URL names a job, that job's
 * details. The items land in the query cache like every other live view.
 */
export function useJobStream(url: string | undefined): JobStreamState {
  const queryKey = ['job-stream', url ?? ''];
  const live = useWatchStream<JobFeedItem>(url ?? '', queryKey, url !== undefined);
  // Filled by the stream only: never fetched.
  const { data } = useQuery<JobFeedItem[]>({ queryKey, queryFn: () => [], enabled: false, staleTime: Infinity });
  let jobs: JobsList | undefined;
  let job: JobView | undefined;
  for (const item of data ?? []) {
    if (item.key === 'jobs') jobs = item.jobs;
    else job = item.job;
  }
  return { live, jobs, job };
}
