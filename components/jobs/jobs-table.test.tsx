import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { toJobsList } from '@/lib/jobs/job-views';
import { JobsTable } from './jobs-table';

vi.mock('next/link', () => ({ default: ({ href, children }: { href: string; children: unknown }) => createElement('a', { href }, children as never) }));

const render = (raw: unknown) => renderToStaticMarkup(createElement(JobsTable, { list: toJobsList(raw), hrefOf: (id: string) => `/jobs/${id}` }));
const job = (jid: string, state: string, start: number, extra: Record<string, unknown> = {}) => ({
  jid,
  name: `job-${jid[0]}`,
  state,
  'start-time': start,
  'end-time': -1,
  duration: 65_000,
  'last-modification': start,
  tasks: { running: 2, finished: 0, canceled: 0, failed: 0, total: 2, created: 0, scheduled: 0, deploying: 0, reconciling: 0, canceling: 0, initializing: 0 },
  ...extra,
});

describe('JobsTable', () => {
  it('lists jobs newest first with state, start, duration and running tasks, each linking to its page', () => {
    const html = render({ jobs: [job('a'.repeat(32), 'RUNNING', 1000), job('b'.repeat(32), 'CANCELED', 2000)] });
    expect(html.indexOf('job-b')).toBeLessThan(html.indexOf('job-a'));
    expect(html).toContain('aria-label="Job job-a: RUNNING"');
    expect(html).toContain(`href="/jobs/${'a'.repeat(32)}"`);
    expect(html).toContain('1970-01-01 00:00:01 UTC');
    expect(html).toContain('1m 5s');
    // running/total: `total` of Flink's task counts is not counted twice
    expect(html).toMatch(/tabular-nums">2\/2</);
    expect(html).not.toContain('Application');
  });

  it('groups the jobs of a Flink 2.3 cluster under their applications', () => {
    const html = render({ jobs: [job('a'.repeat(32), 'RUNNING', 1, { 'application-id': 'c'.repeat(32) }), job('b'.repeat(32), 'RUNNING', 2, { 'application-id': 'd'.repeat(32) })] });
    expect(html).toContain(`aria-label="Application ${'c'.repeat(32)}"`);
    expect(html).toContain(`aria-label="Application ${'d'.repeat(32)}"`);
  });

  it('says why there are no jobs to show', () => {
    expect(renderToStaticMarkup(createElement(JobsTable, { list: { reachable: false, message: 'no endpoints available' }, hrefOf: () => '' }))).toContain('The REST API does not answer yet');
    expect(render({ jobs: [] })).toContain('No jobs yet.');
    // A refusal by RBAC does not pass by waiting.
    const refused = renderToStaticMarkup(
      createElement(JobsTable, { list: { reachable: false, message: 'You may not get services/proxy in namespace x, which reaching the JobManager\'s REST API needs.' }, hrefOf: () => '' }),
    );
    expect(refused).toContain('The REST API cannot be reached:');
    expect(refused).not.toContain('not answer yet');
  });
});
