// Flink 2.3's applications (FLIP-549): every job belongs to one. A job submitted on its own (jar
// run, JobGraph) is a SingleJobApplication whose ApplicationID is the JobID; a program run through
// /jars/:id/run-application or an application cluster is a PackagedProgramApplication named after
// its main class. States and REST shapes as ApplicationState, ApplicationDetails(Info) and
// ApplicationExceptionsInfoWithHistory define them.
import type { Job } from './job';

export type ApplicationState = 'CREATED' | 'RUNNING' | 'FAILING' | 'FAILED' | 'CANCELLING' | 'CANCELED' | 'FINISHED';
export const APPLICATION_STATES: ApplicationState[] = ['CREATED', 'RUNNING', 'FAILING', 'FAILED', 'CANCELLING', 'CANCELED', 'FINISHED'];
const TERMINAL: ApplicationState[] = ['FAILED', 'CANCELED', 'FINISHED'];

export interface ApplicationException {
  exceptionName: string;
  stacktrace: string;
  timestamp: number;
  jobId?: string;
}

export class FlinkApplication {
  status: ApplicationState = 'CREATED';
  readonly timestamps: Record<ApplicationState, number> = Object.fromEntries(APPLICATION_STATES.map((s) => [s, 0])) as Record<ApplicationState, number>;
  readonly jobIds: string[] = [];
  readonly exceptions: ApplicationException[] = [];

  constructor(
    readonly id: string,
    readonly name: string,
    readonly kind: 'single-job' | 'program',
  ) {
    this.timestamps.CREATED = Date.now();
  }

  get isTerminal(): boolean {
    return TERMINAL.includes(this.status);
  }

  transition(to: ApplicationState) {
    if (this.status === to || this.isTerminal) return;
    this.status = to;
    this.timestamps[to] = Date.now();
  }

  /** The application's main (or its only job) failed: FAILING, then FAILED. */
  fail(exceptionName: string, message: string, jobId?: string) {
    this.exceptions.push({ exceptionName, stacktrace: `${exceptionName}: ${message}\n`, timestamp: Date.now(), ...(jobId ? { jobId } : {}) });
    this.transition('FAILING');
    this.transition('FAILED');
  }

  /** A job of the application reached a globally terminal state. */
  onJobTerminated(job: Job, jobs: Map<string, Job>) {
    if (this.isTerminal) return;
    if (job.state === 'FAILED') {
      const cause = job.failureCause;
      this.exceptions.push({ exceptionName: cause?.exceptionName ?? 'org.apache.flink.runtime.JobException', stacktrace: cause?.stacktrace ?? '', timestamp: Date.now(), jobId: job.id });
      this.transition('FAILING');
      this.transition('FAILED');
      return;
    }
    if (job.state === 'CANCELED') {
      this.transition('CANCELLING');
      this.transition('CANCELED');
      return;
    }
    const all = this.jobIds.map((id) => jobs.get(id));
    if (all.every((j) => j && j.state === 'FINISHED')) this.transition('FINISHED');
  }

  /** ApplicationDetails (/applications/overview): jobs counted per state; start-time is CREATED's timestamp. */
  overview(jobs: Map<string, Job>) {
    const counts: Record<string, number> = {};
    for (const id of this.jobIds) {
      const j = jobs.get(id);
      if (j) counts[j.state] = (counts[j.state] ?? 0) + 1;
    }
    const start = this.timestamps.CREATED;
    const end = this.isTerminal ? this.timestamps[this.status] : -1;
    return { id: this.id, name: this.name, 'start-time': start, 'end-time': end, duration: (end >= 0 ? end : Date.now()) - start, status: this.status, jobs: counts };
  }

  /** ApplicationDetailsInfo (/applications/:id): start-time is RUNNING's timestamp; jobs as JobDetails. */
  details(jobDetails: unknown[]) {
    const start = this.timestamps.RUNNING;
    const end = this.isTerminal ? this.timestamps[this.status] : -1;
    return {
      id: this.id,
      name: this.name,
      status: this.status,
      'start-time': start,
      'end-time': end,
      duration: (end >= 0 ? end : Date.now()) - start,
      timestamps: { ...this.timestamps },
      jobs: jobDetails,
    };
  }
}
