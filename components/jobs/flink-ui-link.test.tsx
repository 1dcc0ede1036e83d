import { createElement, type ReactElement } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { permissionsAnswer, renderWithPermissions, VIEWER_DENIED } from '@/lib/queries/testing/permission-answers';
import { ClusterJobs } from './cluster-jobs';
import { JobDetail } from './job-detail';

// "Open the Flink web UI ↗" on the cluster page's Jobs card and on a job's page, as a viewer (who may
// not get services/proxy, so the UI's proxy would answer 403) and as a user who may, from
// GET /api/permissions's answer in the query cache.
vi.mock('next/navigation', () => ({ useSearchParams: () => new URLSearchParams() }));
vi.mock('next/link', () => ({ default: ({ href, children }: { href: string; children: unknown }) => createElement('a', { href }, children as never) }));

const jobsCard = createElement(ClusterJobs, { namespace: 'team-a', clusterId: 'orders' });
const jobPage = createElement(JobDetail, { clusterRef: { context: 'sim', namespace: 'team-a', clusterId: 'orders' }, jobId: 'a'.repeat(32) });
// The Jobs card takes its context from the URL (none here); the job page is given the resolved one.
const refs = [{ namespace: 'team-a' }, { context: 'sim', namespace: 'team-a' }];
const render = (denied: Parameters<typeof permissionsAnswer>[0] | undefined, element: ReactElement) =>
  renderWithPermissions(denied && permissionsAnswer(denied), element, refs);

describe('Open the Flink web UI', () => {
  it('a viewer sees no link on the Jobs card nor on the job page: the reason instead', () => {
    for (const element of [jobsCard, jobPage]) {
      const html = render(VIEWER_DENIED, element);
      expect(html).not.toContain('Open the Flink web UI');
      expect(html).not.toContain('/flink-ui/');
      expect(html).toContain('No Flink web UI: You may not do openFlinkUi in namespace team-a.');
    }
  });

  it('is the only thing that goes: a user denied every other action still has the link', () => {
    const html = render(VIEWER_DENIED.filter((id) => id !== 'openFlinkUi'), jobsCard);
    expect(html).toContain('href="/api/clusters/team-a/orders/flink-ui/index.html"');
  });

  it('a user who may, and everyone while the answer is unknown, gets the link (with the page\'s context on the job page)', () => {
    for (const denied of [[], undefined]) {
      expect(render(denied, jobsCard)).toContain('href="/api/clusters/team-a/orders/flink-ui/index.html"');
      const page = render(denied, jobPage);
      expect(page).toContain('href="/api/clusters/team-a/orders/flink-ui/@sim/index.html"');
      expect(page).toContain('Open the Flink web UI ↗');
      expect(page).not.toContain('No Flink web UI');
    }
  });
});
