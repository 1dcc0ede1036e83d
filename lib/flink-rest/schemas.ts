// zod schemas of the JobManager REST answers the console reads (flink-rest.md §2.1–2.3).
// Unknown fields pass through untouched; fields added in later versions are optional.
import { z } from 'zod';

export const JOB_STATUSES = [
  'INITIALIZING',
  'CREATED',
  'RUNNING',
  'FAILING',
  'FAILED',
  'CANCELLING',
  'CANCELED',
  'FINISHED',
  'RESTARTING',
  'SUSPENDED',
  'RECONCILING',
] as const;

/** GET /config (DashboardConfiguration). */
export const dashboardConfigSchema = z.object({
  'refresh-interval': z.number().optional(),
  'flink-version': z.string(),
  'flink-revision': z.string().optional(),
  features: z.object({ 'web-submit': z.boolean().optional(), 'web-cancel': z.boolean().optional() }).partial().optional(),
});

/** GET /overview (ClusterOverviewWithVersion). */
export const clusterOverviewSchema = z.object({
  taskmanagers: z.number(),
  'slots-total': z.number(),
  'slots-available': z.number(),
  'jobs-running': z.number(),
  'jobs-finished': z.number(),
  'jobs-cancelled': z.number(),
  'jobs-failed': z.number(),
  'flink-version': z.string().optional(),
});

/** One entry of GET /jobs/overview (JobDetails). A state unknown to this list is kept as text. */
export const jobDetailsSchema = z.object({
  jid: z.string(),
  name: z.string(),
  state: z.string(),
  'start-time': z.number(),
  'end-time': z.number(),
  duration: z.number(),
  tasks: z.record(z.string(), z.number()).optional(),
});

export const jobsOverviewSchema = z.object({ jobs: z.array(jobDetailsSchema) });

/** Flink's error body: `{ errors: string[] }`; the first line of errors[0] is the message. */
export const flinkErrorSchema = z.object({ errors: z.array(z.string()).min(1) });

export type DashboardConfig = z.infer<typeof dashboardConfigSchema>;
export type ClusterOverview = z.infer<typeof clusterOverviewSchema>;
export type JobDetails = z.infer<typeof jobDetailsSchema>;

/** What the cluster page shows of the REST API: either its answers, or why it does not answer. */
export type FlinkRestSnapshot =
  | {
      reachable: true;
      flinkVersion: string;
      overview: ClusterOverview;
      jobs: { id: string; name: string; state: string; startTime: number; duration: number }[];
    }
  | { reachable: false; message: string };

/** First line of a Flink error body, or undefined when the body is not one. */
export function parseFlinkError(body: unknown): string | undefined {
  const parsed = flinkErrorSchema.safeParse(body);
  return parsed.success ? parsed.data.errors[0].split('\n')[0] : undefined;
}

/** Builds the snapshot from the three raw answers; throws a ZodError when one has the wrong shape. */
export function toFlinkRestSnapshot(config: unknown, overview: unknown, jobsOverview: unknown): FlinkRestSnapshot {
  const c = dashboardConfigSchema.parse(config);
  const o = clusterOverviewSchema.parse(overview);
  const j = jobsOverviewSchema.parse(jobsOverview);
  return {
    reachable: true,
    flinkVersion: c['flink-version'],
    overview: o,
    jobs: j.jobs
      .map((job) => ({ id: job.jid, name: job.name, state: job.state, startTime: job['start-time'], duration: job.duration }))
      .sort((a, b) => b.startTime - a.startTime),
  };
}
