import type { JobDetail } from '@/lib/jobs/job-views';

/** A RUNNING streaming job as the job page gets it, with a vertex, checkpoints and an exception (component tests). */
export const runningJob: JobDetail = {
  id: 'a'.repeat(32),
  name: 'orders',
  state: 'RUNNING',
  jobType: 'STREAMING',
  startTime: Date.UTC(2026, 0, 2, 3, 4, 5),
  endTime: -1,
  duration: 3_723_000,
  now: 0,
  timeline: [
    { state: 'INITIALIZING', at: Date.UTC(2026, 0, 2, 3, 4, 5) },
    { state: 'RUNNING', at: Date.UTC(2026, 0, 2, 3, 4, 7) },
  ],
  vertices: [{ id: 'v', name: 'Source: Kafka', parallelism: 4, status: 'RUNNING', duration: 60_000, recordsRead: 0, recordsWritten: 1234567 }],
  restarts: 2,
  checkpoints: {
    counts: { total: 5, completed: 3, failed: 1, inProgress: 1, restored: 0 },
    latestCompleted: { id: 4, status: 'COMPLETED', savepoint: false, triggeredAt: 0, sizeBytes: 1536, durationMs: 120 },
    latestFailed: { id: 5, status: 'FAILED', savepoint: false, triggeredAt: 0, failureMessage: 'Checkpoint expired before completing.' },
    history: [],
  },
  exceptions: [{ name: 'java.io.IOException', message: 'disk full', stacktrace: 'java.io.IOException: disk full\n\tat A.b', at: 0, task: 'Sink (2/4)' }],
  exceptionsTruncated: false,
};
