import { describe, expect, it, vi } from 'vitest';
import { toCause, toJobDetail, toOperationStatus } from './job-views';

vi.mock('server-only', () => ({}));
const { toFlinkMessage } = await import('./flink-job-calls');

const detail = {
  jid: 'a'.repeat(32),
  name: 'orders',
  isStoppable: false,
  state: 'RESTARTING',
  'job-type': 'STREAMING',
  'start-time': 1000,
  'end-time': -1,
  duration: 9000,
  maxParallelism: -1,
  now: 10_000,
  timestamps: { INITIALIZING: 1000, CREATED: 1001, RUNNING: 1500, FAILING: 0, RESTARTING: 8000, FINISHED: 0 },
  vertices: [{ id: 'b'.repeat(32), name: 'Source', maxParallelism: 128, parallelism: 2, status: 'RUNNING', 'start-time': 1500, 'end-time': -1, duration: 8500, tasks: {}, metrics: { 'read-records': 0, 'write-records': 42, 'read-bytes': 0, 'write-bytes': 900 } }],
};

describe('toJobDetail', () => {
  it('orders the timeline, keeps records per vertex and reads the restart count', () => {
    const job = toJobDetail({ detail, metrics: [{ id: 'numRestarts', value: '3' }] });
    expect(job.timeline).toEqual([
      { state: 'INITIALIZING', at: 1000 },
      { state: 'CREATED', at: 1001 },
      { state: 'RUNNING', at: 1500 },
      { state: 'RESTARTING', at: 8000 },
    ]);
    expect(job.vertices[0]).toMatchObject({ parallelism: 2, recordsRead: 0, recordsWritten: 42 });
    expect(job.restarts).toBe(3);
    expect(job.checkpoints).toBeUndefined();
  });

  it('reads checkpoint counts, the latest ones and failures, and the exception history of 1.x and 2.x', () => {
    const cp = (id: number, extra: Record<string, unknown>) => ({ className: 'completed', id, status: 'COMPLETED', is_savepoint: false, trigger_timestamp: id * 100, checkpointed_size: 4096, state_size: 4096, end_to_end_duration: 80, checkpoint_type: 'CHECKPOINT', ...extra });
    const job = toJobDetail({
      detail,
      checkpoints: {
        counts: { restored: 0, total: 3, in_progress: 0, completed: 2, failed: 1 },
        latest: {
          completed: cp(2, { external_path: '<checkpoint-not-externally-addressable>' }),
          savepoint: cp(1, { is_savepoint: true, external_path: 's3://b/sp/savepoint-1' }),
          failed: cp(3, { status: 'FAILED', failure_message: 'Checkpoint expired before completing.' }),
          restored: null,
        },
        history: [cp(3, { status: 'FAILED', failure_message: 'Checkpoint expired before completing.' }), cp(2, {}), cp(1, { is_savepoint: true })],
      },
      exceptions: { 'root-exception': 'x', 'all-exceptions': [], truncated: false, exceptionHistory: { entries: [{ exceptionName: 'java.lang.RuntimeException', stacktrace: 'java.lang.RuntimeException: boom\n\tat X.y(X.java:1)', timestamp: 5000, taskName: 'Source (1/2)', endpoint: '10.0.0.5:6121' }], truncated: true } },
    });
    expect(job.checkpoints?.counts).toEqual({ total: 3, completed: 2, failed: 1, inProgress: 0, restored: 0 });
    expect(job.checkpoints?.latestSavepoint).toMatchObject({ id: 1, savepoint: true, path: 's3://b/sp/savepoint-1', sizeBytes: 4096, durationMs: 80 });
    expect(job.checkpoints?.latestFailed).toMatchObject({ id: 3, status: 'FAILED', failureMessage: 'Checkpoint expired before completing.' });
    expect(job.checkpoints?.history.map((c) => c.id)).toEqual([3, 2, 1]);
    expect(job.exceptions).toEqual([{ name: 'java.lang.RuntimeException', message: 'boom', stacktrace: 'java.lang.RuntimeException: boom\n\tat X.y(X.java:1)', at: 5000, task: 'Source (1/2)', location: '10.0.0.5:6121' }]);
    expect(job.exceptionsTruncated).toBe(true);
  });

  it('says why checkpoints are missing (a batch job)', () => {
    expect(toJobDetail({ detail, checkpointsError: 'Checkpointing has not been enabled.' }).checkpointsMessage).toBe('Checkpointing has not been enabled.');
  });
});

describe('operations and Flink errors', () => {
  it('reads a savepoint in progress, completed with its path, or failed with its cause', () => {
    expect(toOperationStatus({ status: { id: 'IN_PROGRESS' } })).toEqual({ status: 'IN_PROGRESS' });
    expect(toOperationStatus({ status: { id: 'COMPLETED' }, operation: { location: 'file:/sp/savepoint-1' } })).toEqual({ status: 'COMPLETED', location: 'file:/sp/savepoint-1' });
    expect(toOperationStatus({ status: { id: 'COMPLETED' }, operation: { checkpointId: 7 } })).toEqual({ status: 'COMPLETED', checkpointId: 7 });
    const cause = { class: 'org.apache.flink.runtime.checkpoint.CheckpointException', 'stack-trace': 'org.apache.flink.runtime.checkpoint.CheckpointException: Not all required tasks are currently running.\n\tat …', 'serialized-throwable': 'rO0=' };
    expect(toOperationStatus({ status: { id: 'COMPLETED' }, operation: { 'failure-cause': cause } })).toEqual({ status: 'FAILED', cause: 'Not all required tasks are currently running.' });
    // a checkpoint's failure (CheckpointInfo) is `failureCause`
    expect(toOperationStatus({ status: { id: 'COMPLETED' }, operation: { failureCause: cause } }).status).toBe('FAILED');
    expect(toCause(undefined)).toBe('unknown cause');
  });

  it('turns Flink errors into one short line, never the stack trace', () => {
    expect(toFlinkMessage(['Job could not be found.'])).toBe('Job could not be found.');
    expect(toFlinkMessage(['Internal server error.', '<Exception on server side:\njava.util.concurrent.CompletionException: java.io.IOException: Injected failure\nEnd of exception on server side>'])).toBe(
      'java.io.IOException: Injected failure',
    );
    expect(toFlinkMessage(['org.apache.flink.runtime.rest.NotFoundException: Job 1234 not found\n\tat org.apache.flink…'])).toBe('Job 1234 not found');
  });
});
