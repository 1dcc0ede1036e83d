// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { JobStreamState } from '@/lib/jobs/use-job-stream';
import { runningJob } from '@/lib/jobs/testing/job-detail-fixture';
import { dashboardActionIds, type PermissionsDto } from '@/lib/k8s/permission-actions';
import { permissionQueries } from '@/lib/queries/permission-queries';
import { JobDetail } from './job-detail';

// What the job page does when a read of the job fails for a while (the poller's answer turns
// { found: false }) and then succeeds again: the last state stays, and so does what the user was
// doing with it (an open dialog, its fields, the operations followed).
const LIVE: JobStreamState['live'] = { state: 'live' };
let stream: JobStreamState = { live: LIVE };
vi.mock('@/lib/jobs/use-job-stream', () => ({ useJobStream: () => stream }));
vi.mock('next/link', () => ({ default: ({ href, children }: { href: string; children: React.ReactNode }) => <a href={href}>{children}</a> }));

afterEach(cleanup);

const job = runningJob;

function page(client: QueryClient) {
  return (
    <QueryClientProvider client={client}>
      <JobDetail clusterRef={{ namespace: 'team-a', clusterId: 'orders' }} jobId={job.id} />
    </QueryClientProvider>
  );
}

describe('JobDetail across a failed read', () => {
  it('keeps an open dialog and its fields; the actions are disabled while the job cannot be read', () => {
    const client = new QueryClient();
    // The user may do everything (GET /api/permissions's answer, already in the cache).
    const allowed: PermissionsDto = { context: 'sim', namespace: 'team-a', source: 'rules', actions: Object.fromEntries(dashboardActionIds.map((id) => [id, { allowed: true }])) as PermissionsDto['actions'] };
    client.setQueryData(permissionQueries.forNamespace({ namespace: 'team-a' }).queryKey, allowed);
    stream = { live: LIVE, job: { found: true, job } };
    const { rerender } = render(page(client));
    fireEvent.click(screen.getByRole('button', { name: 'Stop with savepoint' }));
    const dialog = screen.getByRole('dialog', { name: 'Stop the job with a savepoint' });
    fireEvent.change(within(dialog).getByLabelText(/^Target directory/), { target: { value: 's3://bucket/savepoints' } });

    stream = { live: LIVE, job: { found: false, message: 'The REST API of cluster orders in namespace team-a is not up yet.' } };
    rerender(page(client));
    expect(screen.getByText('The job can no longer be read')).toBeTruthy();
    expect(screen.getByRole('dialog', { name: 'Stop the job with a savepoint' })).toBe(dialog);
    const actions = within(screen.getByRole('group', { name: 'Job actions' }));
    for (const name of ['Trigger savepoint', 'Trigger checkpoint', 'Stop with savepoint', 'Cancel job']) {
      expect((actions.getByRole('button', { name }) as HTMLButtonElement).disabled, name).toBe(true);
    }

    stream = { live: LIVE, job: { found: true, job } };
    rerender(page(client));
    expect(screen.queryByText('The job can no longer be read')).toBeNull();
    expect((within(screen.getByRole('dialog', { name: 'Stop the job with a savepoint' })).getByLabelText(/^Target directory/) as HTMLInputElement).value).toBe('s3://bucket/savepoints');
    expect((screen.getByRole('button', { name: 'Stop with savepoint' }) as HTMLButtonElement).disabled).toBe(false);
  });
});
