// What the browser gets of Flink's job answers: slim views, read leniently with zod (unknown
// fields are dropped, fields missing in a version are optional). Pure: used by server and browser.
import { z } from 'zod';

export const JOB_ID = /^[0-9a-fA-F]{32}$/;

const num = z.number().catch(0);

const jobOverviewEntry = z.object({
  jid: z.string(),
  name: z.string(),
  state: z.string(),
  'start-time': num,
  'end-time': num,
  duration: num,
  'last-modification': num,
  tasks: z.record(z.string(), z.number()).optional(),
  // 2.3: the application a job belongs to
  'application-id': z.string().optional(),
  applicationId: z.string().optional(),
});
const jobsOverviewSchema = z.object({ jobs: z.array(jobOverviewEntry) });

export type JobSummary = {
  id: string;
  name: string;
  state: string;
  startTime: number;
  endTime: number;
  duration: number;
  /** Flink's last-modification: when the job last changed state (0 if not given). */
  lastModification?: number;
  tasksTotal: number;
  tasksRunning: number;
  applicationId?: string;
};

/** What the job table shows: the jobs, or why the REST API does not answer. */
export type JobsList = { reachable: true; jobs: JobSummary[] } | { reachable: false; message: string };

export function toJobsList(raw: unknown): JobsList {
  const parsed = jobsOverviewSchema.parse(raw);
  return {
    reachable: true,
    jobs: parsed.jobs
      .map((j) => ({
        id: j.jid,
        name: j.name,
        state: j.state,
        startTime: j['start-time'],
        endTime: j['end-time'],
        duration: j.duration,
        lastModification: j['last-modification'],
        // Flink's `tasks` has a count per execution state and their `total`
        tasksTotal: j.tasks ? (j.tasks.total ?? Object.values(j.tasks).reduce((a, b) => a + b, 0)) : 0,
        tasksRunning: j.tasks?.running ?? 0,
        ...(j['application-id'] ?? j.applicationId ? { applicationId: j['application-id'] ?? j.applicationId } : {}),
      }))
      .sort((a, b) => b.startTime - a.startTime || a.id.localeCompare(b.id)),
  };
}

const vertexSchema = z.object({
  id: z.string(),
  name: z.string(),
  parallelism: num,
  status: z.string(),
  'start-time': num,
  duration: num,
  metrics: z
    .object({ 'read-records': num, 'write-records': num, 'read-bytes': num, 'write-bytes': num })
    .partial()
    .optional(),
});

const jobDetailSchema = z.object({
  jid: z.string(),
  name: z.string(),
  state: z.string(),
  'job-type': z.string().optional(),
  'start-time': num,
  'end-time': num,
  duration: num,
  now: num,
  timestamps: z.record(z.string(), z.number()).catch({}),
  vertices: z.array(vertexSchema).catch([]),
});

const checkpointStat = z.object({
  id: num,
  status: z.string().optional(),
  is_savepoint: z.boolean().optional(),
  savepointFormat: z.string().nullish(),
  checkpoint_type: z.string().optional(),
  trigger_timestamp: num,
  latest_ack_timestamp: num.optional(),
  state_size: num.optional(),
  checkpointed_size: num.optional(),
  end_to_end_duration: num.optional(),
  external_path: z.string().nullish(),
  failure_timestamp: num.optional(),
  failure_message: z.string().nullish(),
});

const checkpointsSchema = z.object({
  counts: z.object({ restored: num, total: num, in_progress: num, completed: num, failed: num }).partial(),
  latest: z
    .object({
      completed: checkpointStat.nullish(),
      savepoint: checkpointStat.nullish(),
      failed: checkpointStat.nullish(),
      restored: z.object({ id: num, restore_timestamp: num, is_savepoint: z.boolean().optional(), external_path: z.string().nullish() }).nullish(),
    })
    .partial()
    .catch({}),
  history: z.array(checkpointStat).catch([]),
});

const exceptionEntry = z.object({
  exceptionName: z.string().catch(''),
  stacktrace: z.string().catch(''),
  timestamp: num,
  taskName: z.string().nullish(),
  endpoint: z.string().nullish(),
  location: z.string().nullish(),
});
const exceptionsSchema = z.object({
  exceptionHistory: z.object({ entries: z.array(exceptionEntry).catch([]), truncated: z.boolean().catch(false) }).catch({ entries: [], truncated: false }),
});

const metricsSchema = z.array(z.object({ id: z.string(), value: z.string().optional() }));

export type CheckpointView = {
  id: number;
  status: string;
  savepoint: boolean;
  type?: string;
  triggeredAt: number;
  sizeBytes?: number;
  durationMs?: number;
  path?: string;
  failureMessage?: string;
};

export type JobDetail = {
  id: string;
  name: string;
  state: string;
  jobType?: string;
  startTime: number;
  endTime: number;
  duration: number;
  now: number;
  /** Each state the job entered and when, in order. */
  timeline: { state: string; at: number }[];
  vertices: { id: string; name: string; parallelism: number; status: string; duration: number; recordsRead?: number; recordsWritten?: number; bytesRead?: number; bytesWritten?: number }[];
  restarts?: number;
  checkpoints?: {
    counts: { total: number; completed: number; failed: number; inProgress: number; restored: number };
    latestCompleted?: CheckpointView;
    latestSavepoint?: CheckpointView;
    latestFailed?: CheckpointView;
    restored?: { id: number; at: number; path?: string; savepoint: boolean };
    history: CheckpointView[];
  };
  /** Why checkpoints are not shown (a batch job, checkpointing off). */
  checkpointsMessage?: string;
  exceptions: { name: string; message: string; stacktrace: string; at: number; task?: string; location?: string }[];
  exceptionsTruncated: boolean;
};

/** The job page's view: the job, or why it cannot be read. */
export type JobView = { found: true; job: JobDetail } | { found: false; message: string };

function toCheckpointView(c: z.infer<typeof checkpointStat>): CheckpointView {
  return {
    id: c.id,
    status: c.status ?? 'COMPLETED',
    savepoint: c.is_savepoint ?? false,
    ...(c.checkpoint_type ? { type: c.checkpoint_type } : {}),
    triggeredAt: c.trigger_timestamp,
    ...(c.checkpointed_size !== undefined || c.state_size !== undefined ? { sizeBytes: c.checkpointed_size ?? c.state_size } : {}),
    ...(c.end_to_end_duration !== undefined ? { durationMs: c.end_to_end_duration } : {}),
    ...(c.external_path ? { path: c.external_path } : {}),
    ...(c.failure_message ? { failureMessage: c.failure_message } : {}),
  };
}

/** The exception's class and its message, from the stack trace's first line. */
function splitException(name: string, stacktrace: string): { name: string; message: string } {
  const first = stacktrace.split('\n')[0] ?? '';
  const prefix = `${name}: `;
  return { name, message: first.startsWith(prefix) ? first.slice(prefix.length) : first === name ? '' : first };
}

export type RawJobParts = { detail: unknown; checkpoints?: unknown; checkpointsError?: string; exceptions?: unknown; metrics?: unknown };

export function toJobDetail(parts: RawJobParts): JobDetail {
  const d = jobDetailSchema.parse(parts.detail);
  const timeline = Object.entries(d.timestamps)
    .filter(([, at]) => at > 0)
    .map(([state, at]) => ({ state, at }))
    .sort((a, b) => a.at - b.at);
  const metrics = parts.metrics === undefined ? undefined : metricsSchema.safeParse(parts.metrics);
  const restartsText = metrics?.success ? metrics.data.find((m) => m.id === 'numRestarts')?.value : undefined;
  const cp = parts.checkpoints === undefined ? undefined : checkpointsSchema.safeParse(parts.checkpoints);
  const ex = parts.exceptions === undefined ? undefined : exceptionsSchema.safeParse(parts.exceptions);
  return {
    id: d.jid,
    name: d.name,
    state: d.state,
    ...(d['job-type'] ? { jobType: d['job-type'] } : {}),
    startTime: d['start-time'],
    endTime: d['end-time'],
    duration: d.duration,
    now: d.now,
    timeline,
    vertices: d.vertices.map((v) => ({
      id: v.id,
      name: v.name,
      parallelism: v.parallelism,
      status: v.status,
      duration: v.duration,
      recordsRead: v.metrics?.['read-records'],
      recordsWritten: v.metrics?.['write-records'],
      bytesRead: v.metrics?.['read-bytes'],
      bytesWritten: v.metrics?.['write-bytes'],
    })),
    ...(restartsText !== undefined && Number.isFinite(Number(restartsText)) ? { restarts: Number(restartsText) } : {}),
    ...(cp?.success
      ? {
          checkpoints: {
            counts: {
              total: cp.data.counts.total ?? 0,
              completed: cp.data.counts.completed ?? 0,
              failed: cp.data.counts.failed ?? 0,
              inProgress: cp.data.counts.in_progress ?? 0,
              restored: cp.data.counts.restored ?? 0,
            },
            ...(cp.data.latest.completed ? { latestCompleted: toCheckpointView(cp.data.latest.completed) } : {}),
            ...(cp.data.latest.savepoint ? { latestSavepoint: toCheckpointView(cp.data.latest.savepoint) } : {}),
            ...(cp.data.latest.failed ? { latestFailed: toCheckpointView(cp.data.latest.failed) } : {}),
            ...(cp.data.latest.restored
              ? {
                  restored: {
                    id: cp.data.latest.restored.id,
                    at: cp.data.latest.restored.restore_timestamp,
                    savepoint: cp.data.latest.restored.is_savepoint ?? false,
                    ...(cp.data.latest.restored.external_path ? { path: cp.data.latest.restored.external_path } : {}),
                  },
                }
              : {}),
            history: cp.data.history.map(toCheckpointView),
          },
        }
      : {}),
    ...(parts.checkpointsError ? { checkpointsMessage: parts.checkpointsError } : {}),
    exceptions: ex?.success
      ? ex.data.exceptionHistory.entries.map((e) => ({
          ...splitException(e.exceptionName, e.stacktrace),
          stacktrace: e.stacktrace,
          at: e.timestamp,
          ...(e.taskName ? { task: e.taskName } : {}),
          ...(e.endpoint ?? e.location ? { location: (e.endpoint ?? e.location)! } : {}),
        }))
      : [],
    exceptionsTruncated: ex?.success ? ex.data.exceptionHistory.truncated : false,
  };
}

/** A savepoint or checkpoint operation as the browser follows it. */
export type OperationStatus =
  | { status: 'IN_PROGRESS' }
  | { status: 'COMPLETED'; location?: string; checkpointId?: number }
  | { status: 'FAILED'; cause: string };

const serializedThrowable = z
  .object({ 'class': z.string().optional(), 'stack-trace': z.string().optional(), 'serialized-throwable': z.string().optional() })
  .passthrough();

const asyncOpSchema = z.object({
  status: z.object({ id: z.string() }),
  operation: z
    .object({
      location: z.string().optional(),
      checkpointId: z.number().optional(),
      'failure-cause': serializedThrowable.optional(),
      failureCause: serializedThrowable.optional(),
    })
    .optional(),
});

/** The cause's first line, without the Java class name in front. */
export function toCause(t: z.infer<typeof serializedThrowable> | undefined): string {
  const trace = t?.['stack-trace'] ?? '';
  const first = trace.split('\n')[0]?.trim() ?? '';
  const text = first || t?.class || 'unknown cause';
  return text.replace(/^(?:[a-z_$][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error): /, '');
}

export function toOperationStatus(raw: unknown): OperationStatus {
  const r = asyncOpSchema.parse(raw);
  if (r.status.id === 'IN_PROGRESS') return { status: 'IN_PROGRESS' };
  const failure = r.operation?.['failure-cause'] ?? r.operation?.failureCause;
  if (failure) return { status: 'FAILED', cause: toCause(failure) };
  return {
    status: 'COMPLETED',
    ...(r.operation?.location ? { location: r.operation.location } : {}),
    ...(r.operation?.checkpointId !== undefined ? { checkpointId: r.operation.checkpointId } : {}),
  };
}
