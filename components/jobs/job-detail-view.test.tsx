import { renderToStaticMarkup } from 'react-dom/server';
import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import type { JobDetail } from '@/lib/jobs/job-views';
import { JobDetailView } from './job-detail-view';

const job: JobDetail = {
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

describe('JobDetailView', () => {
  it('shows status, start and duration, restarts, vertices with records, checkpoints and exceptions', () => {
    const html = renderToStaticMarkup(createElement(JobDetailView, { job }));
    expect(html).toContain('aria-label="Job status: RUNNING"');
    expect(html).toContain('2026-01-02 03:04:05 UTC');
    expect(html).toContain('1h 2m');
    expect(html).toMatch(/Restarts<\/dt><dd[^>]*>2</);
    expect(html).toContain('1,234,567');
    expect(html).toMatch(/Failed<\/dt><dd[^>]*>1</);
    expect(html).toContain('size 1.5 KiB · took 120ms');
    expect(html).toContain('Checkpoint expired before completing.');
    expect(html).toMatch(/java.io.IOException(<!-- -->)?: (<!-- -->)?disk full/);
    expect(html.indexOf('INITIALIZING')).toBeLessThan(html.indexOf('RUNNING</span><time'));
  });

  it('says why checkpoints are missing, and that there were no exceptions', () => {
    const html = renderToStaticMarkup(createElement(JobDetailView, { job: { ...job, checkpoints: undefined, checkpointsMessage: 'Checkpointing has not been enabled.', exceptions: [] } }));
    expect(html).toContain('Checkpointing has not been enabled.');
    expect(html).toContain('No exceptions.');
  });
});
