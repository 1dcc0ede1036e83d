import 'server-only';
// The dashboard's Flink REST client: typed from the OpenAPI files of each Flink version (generated/),
// calls made with openapi-fetch over the Kubernetes API server's proxy (transport.ts), version
// differences handled in versions.ts. See README.md for the API and its rules.
import type { Readable } from 'node:stream';
import createClient, { type Client } from 'openapi-fetch';
import { ApiError } from '@/lib/api/api-error';
import type { Connection } from '@/lib/k8s/kubeconfig';
import { FlinkRestError } from './errors';
import type { paths as Paths23 } from './generated/flink-2_3';
import { resolveJarTarget, type JarTarget } from './jar-target';
import { DEFAULT_RETRY, JobManagerTransport, serviceProxyBase, type RetryPolicy, type TransportOptions } from './transport';
import {
  capabilitiesOf,
  readApplicationId,
  restLineFor,
  toCheckpointBody,
  toCheckpointStatus,
  toExceptionHistory,
  toRunJarBody,
  toSavepointBody,
  toSavepointStatus,
  toStopBody,
  type ExceptionHistory,
  type OperationStatus,
  type RestCapabilities,
  type RestLine,
  type RunJarInput,
  type Schema,
  type StopWithSavepointInput,
  type TriggerCheckpointInput,
  type TriggerSavepointInput,
} from './versions';

/** GET /config, read once per client: the version picks the REST line. */
export type FlinkConfig = {
  flinkVersion: string;
  flinkRevision?: string;
  restLine: RestLine;
  capabilities: RestCapabilities;
  /** features.web-submit: false on application clusters and with web.submit.enable=false (then /jars* is 404). */
  webSubmit: boolean;
  refreshIntervalMs: number;
  raw: Schema<'DashboardConfiguration'>;
};

/** A job of /jobs/overview, as the line sends it, plus the 2.3 application id when there is one. */
export type JobOverview = Schema<'JobDetails'> & { applicationId?: string };
/** /jobs/:id as the line sends it, plus `applicationId` (2.3's `application-id`, a hex string on the wire). */
export type JobDetails = Schema<'JobDetailsInfo'> & { applicationId?: string };
export type JarList = Schema<'JarListInfo'>;
export type ClusterOverview = Schema<'ClusterOverviewWithVersion'>;
export type CheckpointStatistics = Schema<'CheckpointingStatistics'>;
export type ApplicationsOverview = Schema<'MultipleApplicationsDetails'>;
export type TaskManagers = Schema<'TaskManagersInfo'>;
export type ApplicationDetails = Schema<'ApplicationDetailsInfo'>;
export type { ExceptionHistory, OperationStatus, RunJarInput, StopWithSavepointInput, TriggerCheckpointInput, TriggerSavepointInput };

export type FlinkClientOptions = TransportOptions;

type Api = Client<Paths23>;

/** Time limit of a jar run (never retried): Flink answers once main() has submitted the job. */
export const RUN_TIMEOUT_MS = 60_000;

/**
 * openapi-fetch builds the request (path, params, JSON body) from the generated types; this fetch hands it
 * to the transport, which sends it through the API server's proxy with retries and throws FlinkRestError.
 * The 2.3 `paths` type serves every line for the calls used here: their paths and parameters are the same
 * in 1.19 → 2.3; bodies and answers are typed per line through versions.ts.
 */
function openapiClient(transport: JobManagerTransport): Api {
  return createClient<Paths23>({
    baseUrl: 'http://jobmanager',
    fetch: async (req: Request) => {
      const url = new URL(req.url);
      const text = req.body ? await req.text() : '';
      const { status, json } = await transport.request(req.method, url.pathname + url.search, text ? { json: JSON.parse(text) } : undefined);
      return new Response(json === undefined || status === 204 ? null : JSON.stringify(json), {
        status,
        headers: { 'content-type': 'application/json' },
      });
    },
  });
}

/** `data` of an openapi-fetch answer; the transport has already thrown for anything but 2xx. */
function dataOf<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined && result.response.status !== 204 && result.response.status !== 202) {
    throw new FlinkRestError("The JobManager's REST API answered without a body.", 'flink', result.response.status, { code: 'upstream_error' });
  }
  return result.data as T;
}

function requestId(body: { 'request-id'?: string } | undefined): string {
  const id = body?.['request-id'];
  if (!id) throw new FlinkRestError("The JobManager's REST API answered the trigger without a request id.", 'flink', 202, { code: 'upstream_error' });
  return id;
}

export type FlinkClient = ReturnType<typeof createFlinkClient>;

/**
 * A client for one Flink cluster (`clusterId` in `namespace`). Reads go through the REST Service's
 * proxy; jar calls go to the leading JobManager's pod (resolveJarTarget). Every method throws
 * FlinkRestError (an ApiError) or ApiError with a plain message; Flink's stack trace is its `detail`.
 */
export function createFlinkClient(conn: Connection, namespace: string, clusterId: string, options: FlinkClientOptions = {}) {
  const service = new JobManagerTransport(conn, serviceProxyBase(namespace, clusterId), { kind: 'service', name: `${clusterId}-rest`, namespace, server: conn.server }, options);
  const api = openapiClient(service);
  let configPromise: Promise<FlinkConfig> | undefined;

  async function config(): Promise<FlinkConfig> {
    configPromise ??= (async () => {
      const raw = dataOf(await api.GET('/config'));
      const flinkVersion = raw['flink-version'] ?? '';
      const restLine = restLineFor(flinkVersion);
      return {
        flinkVersion,
        flinkRevision: raw['flink-revision'],
        restLine,
        capabilities: capabilitiesOf(restLine),
        webSubmit: raw.features?.['web-submit'] === true,
        refreshIntervalMs: raw['refresh-interval'] ?? 3_000,
        raw,
      };
    })();
    try {
      return await configPromise;
    } catch (err) {
      configPromise = undefined; // not cached: the next call asks again
      throw err;
    }
  }

  /** Jar calls need web submission: on application clusters (and web.submit.enable=false) /jars* is 404. */
  async function jarApi(timeLimit?: Partial<RetryPolicy>): Promise<{ api: Api; transport: JobManagerTransport; target: JarTarget; cfg: FlinkConfig }> {
    const cfg = await config();
    if (!cfg.webSubmit) {
      throw new ApiError(
        'conflict',
        'This cluster does not accept jars: its JobManager has web submission off (an application cluster, or web.submit.enable: false).',
      );
    }
    const target = await resolveJarTarget(conn, namespace, clusterId);
    const retry = { ...(options.retry ?? DEFAULT_RETRY), ...timeLimit };
    const transport = new JobManagerTransport(conn, target.proxyBase, { kind: 'pod', name: target.podName, namespace, server: conn.server }, { ...options, retry });
    return { api: openapiClient(transport), transport, target, cfg };
  }

  async function requireApplications(): Promise<FlinkConfig> {
    const cfg = await config();
    if (!cfg.capabilities.applications) {
      throw new ApiError('not_found', `Applications exist from Flink 2.3 on; this cluster runs Flink ${cfg.flinkVersion}.`);
    }
    return cfg;
  }

  const jobPath = (jobid: string) => ({ params: { path: { jobid } } });

  return {
    namespace,
    clusterId,
    /** GET /config: version, REST line, capabilities, web-submit. Cached for this client. */
    config,

    /** GET /overview: TaskManagers, slots, job counts. */
    async overview(): Promise<ClusterOverview> {
      return dataOf(await api.GET('/overview')) as ClusterOverview;
    },

    /** GET /jobs/overview: every job the leader knows, with `applicationId` on 2.3. */
    async jobsOverview(): Promise<JobOverview[]> {
      const body = dataOf(await api.GET('/jobs/overview'));
      return (body.jobs ?? []).map((j) => {
        const applicationId = readApplicationId((j as Record<string, unknown>)['application-id']);
        return applicationId ? { ...j, applicationId } : { ...j };
      }) as JobOverview[];
    },

    /** GET /jobs/:id (404 → FlinkRestError not_found). */
    async job(jobId: string): Promise<JobDetails> {
      const body = dataOf(await api.GET('/jobs/{jobid}', jobPath(jobId))) as JobDetails;
      const applicationId = readApplicationId((body as Record<string, unknown>)['application-id']);
      return applicationId ? { ...body, applicationId } : body;
    },

    /** GET /jobs/:id/exceptions: the exception history, newest first (the same in every line). */
    async jobExceptions(jobId: string, opts: { maxExceptions?: number } = {}): Promise<ExceptionHistory> {
      const body = dataOf(
        await api.GET('/jobs/{jobid}/exceptions', {
          params: { path: { jobid: jobId }, query: opts.maxExceptions ? { maxExceptions: opts.maxExceptions } : undefined },
        }),
      );
      return toExceptionHistory(body as Schema<'JobExceptionsInfoWithHistory'>);
    },

    /** GET /jobs/:id/checkpoints; null when the job has no checkpointing (Flink's 404 "Checkpointing has not been enabled."). */
    async jobCheckpoints(jobId: string): Promise<CheckpointStatistics | null> {
      try {
        return dataOf(await api.GET('/jobs/{jobid}/checkpoints', jobPath(jobId))) as CheckpointStatistics;
      } catch (err) {
        if (err instanceof FlinkRestError && err.status === 404 && /Checkpointing has not been enabled/.test(err.flinkMessage ?? '')) return null;
        throw err;
      }
    },

    /** GET /jobs/:id/status (cheap to poll). */
    async jobStatus(jobId: string): Promise<NonNullable<Schema<'JobStatusInfo'>['status']>> {
      const body = dataOf(await api.GET('/jobs/{jobid}/status', jobPath(jobId)));
      if (!body.status) throw new FlinkRestError("The JobManager's REST API answered a job status without a status.", 'flink', 200, { code: 'upstream_error' });
      return body.status;
    },

    /**
     * GET /jobs/:id/metrics?get=a,b → `{ a: '3', ... }` (values are strings, as Flink sends them; the answer is
     * an array, not the spec's object: known-deviations.ts). E.g. `numRestarts` for the restart count.
     */
    async jobMetrics(jobId: string, names: string[]): Promise<Record<string, string>> {
      const body = dataOf(await api.GET('/jobs/{jobid}/metrics', { params: { path: { jobid: jobId }, query: { get: names.join(',') } } })) as unknown;
      const out: Record<string, string> = {};
      if (Array.isArray(body)) for (const m of body as { id?: unknown; value?: unknown }[]) if (typeof m.id === 'string') out[m.id] = String(m.value);
      return out;
    },

    /** GET /taskmanagers (ids are pod names on Kubernetes, not the spec's 32-hex ResourceID). */
    async taskManagers(): Promise<TaskManagers> {
      return dataOf(await api.GET('/taskmanagers')) as TaskManagers;
    },

    /** PATCH /jobs/:id → 202 (no `mode`: it defaults to cancel; `stop` was removed, use stopWithSavepoint). */
    async cancel(jobId: string): Promise<void> {
      await api.PATCH('/jobs/{jobid}', jobPath(jobId));
    },

    /** POST /jobs/:id/savepoints → the trigger id (pass `triggerId` to make a retry idempotent). */
    async triggerSavepoint(jobId: string, input: TriggerSavepointInput = {}): Promise<{ triggerId: string }> {
      const body = dataOf(await api.POST('/jobs/{jobid}/savepoints', { params: { path: { jobid: jobId } }, body: toSavepointBody(input) as never }));
      return { triggerId: requestId(body) };
    },

    /** GET /jobs/:id/savepoints/:trigger (also the result of stop-with-savepoint). */
    async savepointStatus(jobId: string, triggerId: string): Promise<OperationStatus> {
      const body = dataOf(await api.GET('/jobs/{jobid}/savepoints/{triggerid}', { params: { path: { jobid: jobId, triggerid: triggerId } } }));
      return toSavepointStatus(body);
    },

    /** POST /jobs/:id/stop → the trigger id; follow it with savepointStatus(). */
    async stopWithSavepoint(jobId: string, input: StopWithSavepointInput = {}): Promise<{ triggerId: string }> {
      const body = dataOf(await api.POST('/jobs/{jobid}/stop', { params: { path: { jobid: jobId } }, body: toStopBody(input) as never }));
      return { triggerId: requestId(body) };
    },

    /** POST /jobs/:id/checkpoints (manual checkpoint) → the trigger id. */
    async triggerCheckpoint(jobId: string, input: TriggerCheckpointInput = {}): Promise<{ triggerId: string }> {
      const body = dataOf(await api.POST('/jobs/{jobid}/checkpoints', { params: { path: { jobid: jobId } }, body: toCheckpointBody(input) as never }));
      return { triggerId: requestId(body) };
    },

    /** GET /jobs/:id/checkpoints/:trigger. */
    async checkpointStatus(jobId: string, triggerId: string): Promise<OperationStatus> {
      const body = dataOf(await api.GET('/jobs/{jobid}/checkpoints/{triggerid}', { params: { path: { jobid: jobId, triggerid: triggerId } } }));
      return toCheckpointStatus(body);
    },

    /** The pod jar calls go to (the leader with HA). */
    jarTarget(): Promise<JarTarget> {
      return resolveJarTarget(conn, namespace, clusterId);
    },

    /** GET /jars on the leading JobManager's pod. */
    async listJars(): Promise<JarList & { target: JarTarget }> {
      const { api: jars, target } = await jarApi();
      return { ...(dataOf(await jars.GET('/jars')) as JarList), target };
    },

    /**
     * POST /jars/upload on the leading JobManager's pod, streaming `body` (a multipart/form-data body with
     * one `jarfile` part, built by the caller with its boundary in `contentType`; a Node Readable: use
     * `Readable.fromWeb(request.body)` in a route handler). Never retried, no time limit.
     */
    async uploadJar(
      body: Readable | Uint8Array,
      contentType: string,
      contentLength?: number,
      opts: { signal?: AbortSignal } = {},
    ): Promise<{ jarId: string; filename: string; target: JarTarget }> {
      const { transport, target } = await jarApi();
      // No time limit while the bytes flow (a 300 MiB jar); `signal` ends it when the browser goes away.
      const { json } = await transport.request('POST', '/jars/upload', { stream: body, contentType, contentLength }, { timeoutMs: 0, signal: opts.signal });
      const filename = (json as Schema<'JarUploadResponseBody'>)?.filename ?? '';
      return { jarId: filename.split('/').pop() ?? '', filename, target };
    },

    /** POST /jars/:id/run on the leading JobManager's pod (never retried: a retry with the same jobId gets Flink's duplicate error). */
    async runJar(jarId: string, input: RunJarInput): Promise<{ jobId: string; applicationId?: string }> {
      // Flink runs the jar's main() and submits the job before it answers: allow it RUN_TIMEOUT_MS.
      const { api: jars, cfg } = await jarApi({ totalMs: RUN_TIMEOUT_MS });
      const body = dataOf(await jars.POST('/jars/{jarid}/run', { params: { path: { jarid: jarId } }, body: toRunJarBody(cfg.restLine, input) as never }));
      const applicationId = readApplicationId((body as Record<string, unknown>).applicationId);
      return { jobId: body.jobid ?? '', ...(applicationId ? { applicationId } : {}) };
    },

    /** DELETE /jars/:id on the leading JobManager's pod. */
    async deleteJar(jarId: string): Promise<void> {
      const { api: jars } = await jarApi();
      await jars.DELETE('/jars/{jarid}', { params: { path: { jarid: jarId } } });
    },

    /** GET /applications/overview (2.3+; an ApiError not_found before). */
    async applications(): Promise<ApplicationsOverview> {
      await requireApplications();
      return dataOf(await api.GET('/applications/overview')) as ApplicationsOverview;
    },

    /** POST /applications/:id/cancel (2.3+) → 202: terminates the application and its jobs. */
    async cancelApplication(applicationId: string): Promise<void> {
      await requireApplications();
      await api.POST('/applications/{applicationid}/cancel', { params: { path: { applicationid: applicationId as never } } });
    },

    /** GET /applications/:id (2.3+). The spec's ApplicationID object is a generator artefact: the path takes the hex id. */
    async application(applicationId: string): Promise<ApplicationDetails> {
      await requireApplications();
      return dataOf(await api.GET('/applications/{applicationid}', { params: { path: { applicationid: applicationId as never } } })) as ApplicationDetails;
    },
  };
}
