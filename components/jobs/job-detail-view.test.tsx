import { renderToStaticMarkup } from 'react-dom/server';
import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import { runningJob } from '@/lib/jobs/testing/job-detail-fixture';
import { JobDetailView } from './job-detail-view';

const job = runningJob;

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
