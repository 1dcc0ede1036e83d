import { describe, expect, it } from 'vitest';
import { JobPollerRegistry, type Clock, type PollSource, type PollerEvent } from './job-poller';
import type { JobsList, JobView } from './job-views';

/** A clock whose time moves only when the test says so. */
class ManualClock implements Clock {
  private t = 0;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();
  now() {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number) {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  }
  clearTimeout(h: unknown) {
    this.timers.delete(h as number);
  }
  get pending() {
    return this.timers.size;
  }
  /** Moves time forward, running each due timer and letting the polls it starts settle. */
  async advance(ms: number) {
    const end = this.t + ms;
    for (;;) {
      await settle();
      const due = [...this.timers.entries()].filter(([, x]) => x.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.t = Math.max(this.t, due[1].at);
      due[1].fn();
    }
    this.t = end;
    await settle();
  }
}

/** Lets pending promise callbacks run (no time passes). */
async function settle() {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

function fakeSource() {
  const calls = { jobs: 0, job: [] as string[] };
  let jobs: JobsList = { reachable: true, jobs: [] };
  const source: PollSource = {
    async jobs() {
      calls.jobs++;
      return jobs;
    },
    async job(id: string): Promise<JobView> {
      calls.job.push(id);
      return { found: false, message: `no ${id}` };
    },
  };
  return {
    calls,
    source,
    setJobs(next: JobsList) {
      jobs = next;
    },
  };
}

const JOB = 'a'.repeat(32);
const running = (state: string): JobsList => ({
  reachable: true,
  jobs: [{ id: JOB, name: 'j', state, startTime: 1, endTime: -1, duration: 5, tasksTotal: 2, tasksRunning: 2 }],
});

describe('JobPollerRegistry', () => {
  it('shares one poller per cluster between subscribers and polls once a second while anyone looks', async () => {
    const clock = new ManualClock();
    const registry = new JobPollerRegistry(clock);
    const f = fakeSource();
    let created = 0;
    const create = () => {
      created++;
      return f.source;
    };
    const a: PollerEvent[] = [];
    const b: PollerEvent[] = [];
    const offA = registry.subscribe('ctx|ns/c1', create, (e) => a.push(e));
    const offB = registry.subscribe('ctx|ns/c1', create, (e) => b.push(e));
    expect(created).toBe(1);
    expect(registry.size).toBe(1);

    await clock.advance(0);
    expect(f.calls.jobs).toBe(1);
    expect(a).toEqual([{ type: 'jobs', data: { reachable: true, jobs: [] } }]);
    expect(b).toEqual(a);

    // Unchanged answers are not sent again; a change is.
    await clock.advance(999);
    expect(f.calls.jobs).toBe(1);
    await clock.advance(1);
    expect(f.calls.jobs).toBe(2);
    expect(a).toHaveLength(1);
    f.setJobs(running('RUNNING'));
    await clock.advance(1000);
    expect(f.calls.jobs).toBe(3);
    expect(a.at(-1)).toEqual({ type: 'jobs', data: running('RUNNING') });
    expect(b).toEqual(a);

    // A late subscriber gets the current value at once, without a poll of its own.
    const c: PollerEvent[] = [];
    const offC = registry.subscribe('ctx|ns/c1', create, (e) => c.push(e));
    expect(c).toEqual([{ type: 'jobs', data: running('RUNNING') }]);
    expect(f.calls.jobs).toBe(3);

    offA();
    offB();
    await clock.advance(1000);
    expect(f.calls.jobs).toBe(4);
    expect(registry.get('ctx|ns/c1')?.running).toBe(true);

    // The last one leaving stops the polling and removes the poller.
    offC();
    expect(registry.size).toBe(0);
    expect(clock.pending).toBe(0);
    await clock.advance(10_000);
    expect(f.calls.jobs).toBe(4);

    // Looking again starts a new poller.
    const offD = registry.subscribe('ctx|ns/c1', create, () => {});
    expect(created).toBe(2);
    await clock.advance(0);
    expect(f.calls.jobs).toBe(5);
    offD();
    offD();
    expect(registry.size).toBe(0);
  });

  it('keeps one poller per cluster key', async () => {
    const clock = new ManualClock();
    const registry = new JobPollerRegistry(clock);
    const f1 = fakeSource();
    const f2 = fakeSource();
    const off1 = registry.subscribe('ctx|ns/one', () => f1.source, () => {});
    const off2 = registry.subscribe('ctx|ns/two', () => f2.source, () => {});
    expect(registry.size).toBe(2);
    await clock.advance(2000);
    expect(f1.calls.jobs).toBe(3);
    expect(f2.calls.jobs).toBe(3);
    off1();
    expect(registry.size).toBe(1);
    await clock.advance(1000);
    expect(f1.calls.jobs).toBe(3);
    expect(f2.calls.jobs).toBe(4);
    off2();
    expect(clock.pending).toBe(0);
  });

  it('polls a job\'s details only while its page is open, and sends them only to that page', async () => {
    const clock = new ManualClock();
    const registry = new JobPollerRegistry(clock);
    const f = fakeSource();
    const table: PollerEvent[] = [];
    const page: PollerEvent[] = [];
    const offTable = registry.subscribe('k', () => f.source, (e) => table.push(e));
    await clock.advance(0);
    expect(f.calls.job).toEqual([]);

    const offPage = registry.subscribe('k', () => f.source, (e) => page.push(e), JOB.toUpperCase());
    // The page gets the list at once and its job without waiting for the next regular tick.
    expect(page).toEqual([{ type: 'jobs', data: { reachable: true, jobs: [] } }]);
    await clock.advance(0);
    expect(f.calls.job).toEqual([JOB]);
    expect(page.at(-1)).toEqual({ type: 'job', jobId: JOB, data: { found: false, message: `no ${JOB}` } });
    expect(table.every((e) => e.type === 'jobs')).toBe(true);

    await clock.advance(1000);
    expect(f.calls.job).toEqual([JOB, JOB]);
    offPage();
    await clock.advance(1000);
    expect(f.calls.job).toEqual([JOB, JOB]);
    expect(registry.get('k')?.watchedJobs).toEqual([]);
    offTable();
    expect(registry.size).toBe(0);
  });

  it('a poll in flight when everyone leaves schedules no further poll', async () => {
    const clock = new ManualClock();
    const registry = new JobPollerRegistry(clock);
    let release: (v: JobsList) => void = () => {};
    let calls = 0;
    const source: PollSource = {
      jobs: () => {
        calls++;
        return new Promise<JobsList>((r) => (release = r));
      },
      job: async () => ({ found: false, message: '' }),
    };
    const events: PollerEvent[] = [];
    const off = registry.subscribe('k', () => source, (e) => events.push(e));
    await clock.advance(0);
    expect(calls).toBe(1);
    off();
    release({ reachable: true, jobs: [] });
    await settle();
    expect(clock.pending).toBe(0);
    expect(events).toEqual([]);
    await clock.advance(5000);
    expect(calls).toBe(1);
    expect(clock.pending).toBe(0);
  });
});
