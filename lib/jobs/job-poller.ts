// One poller per cluster, shared by every browser tab that looks at its jobs: it polls the jobs
// overview (and the details of each job someone has open) at least once a second while anyone is
// subscribed, hands each subscriber the current values at once and then only what changed, and
// stops as soon as the last subscriber leaves. Pure: the Flink calls and the clock are injected.
import type { JobsList, JobView } from './job-views';

export type Clock = {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** What a poller asks; both answer (never throw) with "not reachable" / "not found" views. */
export type PollSource = {
  jobs(): Promise<JobsList>;
  job(jobId: string): Promise<JobView>;
};

export type PollerEvent = { type: 'jobs'; data: JobsList } | { type: 'job'; jobId: string; data: JobView };
export type PollerListener = (event: PollerEvent) => void;

export const POLL_INTERVAL_MS = 1_000;

type Subscriber = { listener: PollerListener; jobId?: string };

export class JobPoller {
  private readonly subscribers = new Set<Subscriber>();
  private jobsValue?: { json: string; data: JobsList };
  private readonly jobValues = new Map<string, { json: string; data: JobView }>();
  private timer: unknown;
  private polling = false;
  private stopped = true;
  /** Bumped on stop, so a poll in flight from before does not start a second loop. */
  private generation = 0;
  /** Polls done so far (diagnostics and tests). */
  polls = 0;

  constructor(
    private readonly source: PollSource,
    private readonly clock: Clock = realClock,
    private readonly intervalMs = POLL_INTERVAL_MS,
    /** Called once when the last subscriber left and polling stopped. */
    private readonly onIdle?: () => void,
  ) {}

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** True while polls are scheduled or in flight for someone. */
  get running(): boolean {
    return !this.stopped;
  }

  /** Job ids whose details are polled (someone has the job page open). */
  get watchedJobs(): string[] {
    return [...new Set([...this.subscribers].flatMap((s) => (s.jobId ? [s.jobId] : [])))].sort();
  }

  subscribe(listener: PollerListener, jobId?: string): () => void {
    const sub: Subscriber = { listener, jobId: jobId?.toLowerCase() };
    this.subscribers.add(sub);
    // What is known already goes out at once; the rest follows with the next poll.
    if (this.jobsValue) listener({ type: 'jobs', data: this.jobsValue.data });
    const known = sub.jobId ? this.jobValues.get(sub.jobId) : undefined;
    if (known && sub.jobId) listener({ type: 'job', jobId: sub.jobId, data: known.data });
    if (this.stopped) {
      this.stopped = false;
      this.schedule(0);
    } else if (sub.jobId && !known && !this.polling) {
      // A newly opened job page should not wait for the next regular tick.
      this.clock.clearTimeout(this.timer);
      this.schedule(0);
    }
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.subscribers.delete(sub);
      if (sub.jobId && !this.watchedJobs.includes(sub.jobId)) this.jobValues.delete(sub.jobId);
      if (this.subscribers.size === 0) this.stop();
    };
  }

  private stop() {
    if (this.stopped) return;
    this.stopped = true;
    this.generation++;
    this.polling = false;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.jobsValue = undefined;
    this.jobValues.clear();
    this.onIdle?.();
  }

  private schedule(delay: number) {
    this.timer = this.clock.setTimeout(() => void this.tick(), delay);
  }

  private async tick() {
    if (this.stopped) return;
    const generation = this.generation;
    this.polling = true;
    const started = this.clock.now();
    const jobIds = this.watchedJobs;
    this.polls++;
    const [jobs, ...details] = await Promise.all([this.source.jobs(), ...jobIds.map((id) => this.source.job(id))]);
    if (this.stopped || generation !== this.generation) return;
    this.polling = false;
    const jobsJson = JSON.stringify(jobs);
    if (jobsJson !== this.jobsValue?.json) {
      this.jobsValue = { json: jobsJson, data: jobs };
      this.emit({ type: 'jobs', data: jobs });
    }
    jobIds.forEach((id, i) => {
      if (!this.watchedJobs.includes(id)) return;
      const json = JSON.stringify(details[i]);
      if (json === this.jobValues.get(id)?.json) return;
      this.jobValues.set(id, { json, data: details[i] });
      this.emit({ type: 'job', jobId: id, data: details[i] });
    });
    // A job page opened during this poll gets its details right away.
    const missing = this.watchedJobs.some((id) => !this.jobValues.has(id));
    this.schedule(missing ? 0 : Math.max(0, this.intervalMs - (this.clock.now() - started)));
  }

  private emit(event: PollerEvent) {
    for (const s of [...this.subscribers]) {
      if (event.type === 'job' && s.jobId !== event.jobId) continue;
      try {
        s.listener(event);
      } catch {
        // one broken subscriber (a closed stream) does not stop the others
      }
    }
  }
}

/** The pollers by cluster key; a poller leaves the registry when its last subscriber does. */
export class JobPollerRegistry {
  private readonly pollers = new Map<string, JobPoller>();

  constructor(
    private readonly clock: Clock = realClock,
    private readonly intervalMs = POLL_INTERVAL_MS,
  ) {}

  subscribe(key: string, createSource: () => PollSource, listener: PollerListener, jobId?: string): () => void {
    let poller = this.pollers.get(key);
    if (!poller) {
      const created: JobPoller = new JobPoller(createSource(), this.clock, this.intervalMs, () => {
        if (this.pollers.get(key) === created) this.pollers.delete(key);
      });
      poller = created;
      this.pollers.set(key, created);
    }
    return poller.subscribe(listener, jobId);
  }

  get(key: string): JobPoller | undefined {
    return this.pollers.get(key);
  }

  get size(): number {
    return this.pollers.size;
  }
}
