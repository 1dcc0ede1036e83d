'use client';

import { useEffect, useState } from 'react';
import type { LiveStatus } from '@/lib/live/use-watch-stream';
import type { JobsList, JobView } from './job-views';

const RETRY_START_MS = 1_000;
const RETRY_CAP_MS = 15_000;

export type JobStreamState = { live: LiveStatus; jobs?: JobsList; job?: JobView };

/**
 * Follows the cluster's job stream (GET …/jobs/watch, fed by the backend's one poller per cluster):
 * the job list and, when the URL names a job, that job's details. EventSource reconnects by itself
 * after a drop; a refused stream is reopened with capped backoff.
 */
export function useJobStream(url: string | undefined): JobStreamState {
  const [state, setState] = useState<JobStreamState>({ live: { state: 'connecting' } });

  useEffect(() => {
    if (!url) return;
    let source: EventSource | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let attempts = 0;
    let disposed = false;
    const open = () => {
      source = new EventSource(url);
      source.addEventListener('jobs', (e) => {
        attempts = 0;
        const jobs = JSON.parse((e as MessageEvent<string>).data) as JobsList;
        setState((s) => ({ ...s, live: { state: 'live' }, jobs }));
      });
      source.addEventListener('job', (e) => {
        const job = JSON.parse((e as MessageEvent<string>).data) as JobView;
        setState((s) => ({ ...s, live: { state: 'live' }, job }));
      });
      source.onerror = () => {
        setState((s) => ({ ...s, live: { state: 'reconnecting', message: 'The connection to the dashboard server was lost.' } }));
        if (source?.readyState === EventSource.CLOSED && !disposed) {
          source.close();
          const delay = Math.min(RETRY_CAP_MS, RETRY_START_MS * 2 ** attempts++);
          retryTimer = setTimeout(open, delay);
        }
      };
    };
    open();
    return () => {
      disposed = true;
      clearTimeout(retryTimer);
      source?.close();
    };
  }, [url]);

  return state;
}
