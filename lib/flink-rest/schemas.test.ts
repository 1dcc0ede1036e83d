import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { parseFlinkError, toFlinkRestSnapshot } from './schemas';

const config = {
  'refresh-interval': 3000,
  'timezone-name': 'Coordinated Universal Time',
  'timezone-offset': 0,
  'flink-version': '1.20.1',
  'flink-revision': 'abc123 @ 2025-02-05T00:00:00+01:00',
  features: { 'web-submit': false, 'web-cancel': false, 'web-history': false, 'web-rescale': false },
};
const overview = {
  taskmanagers: 1,
  'slots-total': 1,
  'slots-available': 0,
  'taskmanagers-blocked': 0,
  'slots-free-and-blocked': 0,
  'jobs-running': 1,
  'jobs-finished': 0,
  'jobs-cancelled': 0,
  'jobs-failed': 0,
  'flink-version': '1.20.1',
  'flink-commit': 'abc123',
};
const job = (jid: string, state: string, start: number) => ({
  jid,
  name: 'State machine job',
  state,
  'start-time': start,
  'end-time': -1,
  duration: 1000,
  'last-modification': start,
  tasks: { total: 2, created: 0, scheduled: 0, deploying: 0, running: 2, finished: 0, canceling: 0, canceled: 0, failed: 0, reconciling: 0, initializing: 0 },
});

describe('toFlinkRestSnapshot', () => {
  it('reads the version from /config and the jobs newest first', () => {
    const snap = toFlinkRestSnapshot(config, overview, { jobs: [job('a'.repeat(32), 'FINISHED', 1), job('b'.repeat(32), 'RUNNING', 2)] });
    expect(snap).toMatchObject({ reachable: true, flinkVersion: '1.20.1', overview: { taskmanagers: 1, 'jobs-running': 1 } });
    if (!snap.reachable) throw new Error('unreachable');
    expect(snap.jobs.map((j) => [j.id[0], j.state])).toEqual([
      ['b', 'RUNNING'],
      ['a', 'FINISHED'],
    ]);
  });

  it('accepts an empty session cluster', () => {
    const snap = toFlinkRestSnapshot(config, { ...overview, 'jobs-running': 0 }, { jobs: [] });
    expect(snap.reachable && snap.jobs).toEqual([]);
  });

  it('rejects an answer of the wrong shape', () => {
    expect(() => toFlinkRestSnapshot({ version: 1 }, overview, { jobs: [] })).toThrow(ZodError);
    expect(() => toFlinkRestSnapshot(config, overview, { jobs: [{ jid: 1 }] })).toThrow(ZodError);
  });
});

describe('parseFlinkError', () => {
  it('takes the first line of the first error', () => {
    expect(parseFlinkError({ errors: ['Service temporarily unavailable due to an ongoing leader election. Please refresh.'] })).toBe(
      'Service temporarily unavailable due to an ongoing leader election. Please refresh.',
    );
    expect(parseFlinkError({ errors: ['org.apache.flink.X: boom\n\tat a.b.c'] })).toBe('org.apache.flink.X: boom');
  });
  it('is undefined for anything else', () => {
    expect(parseFlinkError({ kind: 'Status' })).toBeUndefined();
    expect(parseFlinkError('text')).toBeUndefined();
  });
});
