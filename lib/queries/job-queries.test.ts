import { describe, expect, it } from 'vitest';
import type { OperationStatus } from '@/lib/jobs/job-views';
import { jobQueries, OPERATION_POLL_MS } from './job-queries';

const ref = { context: 'prod', namespace: 'team-a', clusterId: 'orders' };
const jobId = 'a'.repeat(32);

describe('jobQueries', () => {
  it('asks about an operation until it is no longer in progress', () => {
    const options = jobQueries.operation(ref, jobId, 'savepoints', 'b'.repeat(32));
    const interval = options.refetchInterval as (q: { state: { data?: OperationStatus } }) => number | false;
    expect(interval({ state: {} })).toBe(OPERATION_POLL_MS);
    expect(interval({ state: { data: { status: 'IN_PROGRESS' } } })).toBe(OPERATION_POLL_MS);
    expect(interval({ state: { data: { status: 'COMPLETED', location: 's3://b/sp/savepoint-1' } } })).toBe(false);
    expect(interval({ state: { data: { status: 'FAILED', cause: 'boom' } } })).toBe(false);
  });

  it('builds the URLs with the context, and the Flink web UI at index.html so its relative links resolve', () => {
    expect(jobQueries.watchUrl(ref, jobId)).toBe(`/api/clusters/team-a/orders/jobs/watch?context=prod&job=${jobId}`);
    expect(jobQueries.watchUrl({ namespace: 'team-a', clusterId: 'orders' })).toBe('/api/clusters/team-a/orders/jobs/watch');
    expect(jobQueries.jobHref(ref, jobId)).toBe(`/clusters/team-a/orders/jobs/${jobId}?context=prod`);
    expect(jobQueries.flinkUiHref(ref)).toBe('/api/clusters/team-a/orders/flink-ui/@prod/index.html');
    expect(jobQueries.flinkUiHref({ ...ref, context: 'a b/c' })).toBe('/api/clusters/team-a/orders/flink-ui/@a%20b%2Fc/index.html');
  });
});
