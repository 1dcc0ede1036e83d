// The JobManager REST API (WebMonitorEndpoint / DispatcherRestEndpoint / MiniDispatcherRestEndpoint)
// with version-specific shapes (1.19, 1.20, 2.0-2.2, 2.3) and Flink's error bodies.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Busboy from 'busboy';
import type { HttpHandler } from '../kube/runtime';
import type { JobManagerProcess, UploadedJar } from './jobmanager';
import { FlinkError } from './jobmanager';
import { FlinkApplication } from './application';
import { EXECUTION_STATES, JOB_STATUSES, Job, hex32, AsyncOp, CheckpointStat, GLOBALLY_TERMINAL, displayPath } from './job';
import { InvalidJarError, manifestEntryClass, readJarFile, analyseMain, type JarInfo } from './jar';
import { genericProgram, exampleJars } from './examples';
import { versionAtLeast } from './images';
import { joinUri } from './fs';
import { L } from './log';

const LONG_MAX = '9223372036854775807';
const LONG_MAX_TOKEN = '__LONG_MAX__';

class RestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly cause?: { javaClass: string; message: string },
    readonly raw?: string[],
    readonly javaClass = 'org.apache.flink.runtime.rest.handler.RestHandlerException',
  ) {
    super(message);
  }
}

/**
 * An exception thrown synchronously from a handler that is not a RestHandlerException (e.g. the
 * CompletionException JarHandlerContext.toPackagedProgram throws): AbstractHandler answers 500.
 */
function internalError(javaClass: string, message: string): RestError {
  const text = `java.util.concurrent.CompletionException: ${javaClass}: ${message}\n\tat org.apache.flink.runtime.webmonitor.handlers.utils.JarHandlerUtils$JarHandlerContext.toPackagedProgram(JarHandlerUtils.java:196)\n\tat org.apache.flink.runtime.webmonitor.handlers.JarRunHandler.handleRequest(JarRunHandler.java:108)\nCaused by: ${javaClass}: ${message}\n\t... 40 more\n`;
  return new RestError(500, message, undefined, ['Internal server error.', `<Exception on server side:\n${text}\nEnd of exception on server side>`]);
}

interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  jm: JobManagerProcess;
  leader: JobManagerProcess;
  params: string[];
  query: URLSearchParams;
  uri: string;
}

type Route = [string, RegExp, (c: Ctx) => Promise<unknown> | unknown, number?];

function stringify(e: RestError): string {
  let s = `${e.javaClass}: ${e.message}\n\tat org.apache.flink.runtime.rest.handler.AbstractRestHandler.respondToRequest(AbstractRestHandler.java:83)\n\tat org.apache.flink.runtime.rest.handler.AbstractHandler.respondAsLeader(AbstractHandler.java:196)\n\tat org.apache.flink.runtime.rest.handler.LeaderRetrievalHandler.lambda$channelRead0$0(LeaderRetrievalHandler.java:83)`;
  if (e.cause) s += `\nCaused by: ${e.cause.javaClass}: ${e.cause.message}\n\t... 12 more`;
  return s + '\n';
}

function send(res: ServerResponse, status: number, body: unknown) {
  let text = JSON.stringify(body);
  text = text.split(`"${LONG_MAX_TOKEN}"`).join(LONG_MAX);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=UTF-8',
    'Access-Control-Allow-Origin': '*',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
  return Buffer.concat(chunks);
}

async function jsonBody(c: Ctx, type: string): Promise<Record<string, any>> {
  const buf = await readBody(c.req);
  if (!buf.length) return {};
  try {
    const v = JSON.parse(buf.toString('utf8'));
    if (v === null) return {};
    if (typeof v !== 'object' || Array.isArray(v)) throw new Error();
    return v;
  } catch {
    throw new RestError(400, `Request did not match expected format ${type}.`);
  }
}

const HEX32 = /^[0-9a-fA-F]{32}$/;

function jobOf(c: Ctx, idx = 0): Job {
  const id = c.params[idx];
  if (!HEX32.test(id)) throw new RestError(400, `Bad request, could not parse parameters: Cannot resolve path parameter (jobid) from value "${id}".`);
  const job = c.leader.jobs.get(id.toLowerCase());
  if (!job) throw new RestError(404, `Job ${id} not found`, { javaClass: 'org.apache.flink.runtime.messages.FlinkJobNotFoundException', message: `Could not find Flink job (${id})` }, undefined, 'org.apache.flink.runtime.rest.NotFoundException');
  return job;
}

function lowerTasks(job: Job): Record<string, number> {
  const t: Record<string, number> = {};
  for (const s of EXECUTION_STATES) t[s.toLowerCase()] = 0;
  for (const v of job.vertices) t[v.state.toLowerCase()] += v.parallelism;
  t.total = job.numTasks;
  return t;
}

function duration(job: Job) {
  return (job.endTime > 0 ? job.endTime : Date.now()) - job.startTime;
}

function jobDetails(jm: JobManagerProcess, job: Job) {
  const v = jm.flinkVersion;
  const d: Record<string, unknown> = {
    jid: job.id,
    name: job.name,
    state: job.state,
    'start-time': job.startTime,
    'end-time': job.endTime,
    duration: duration(job),
    'last-modification': Math.max(...Object.values(job.timestamps)),
    tasks: lowerTasks(job),
  };
  if (versionAtLeast(v, '2.0')) d['pending-operators'] = 0;
  if (versionAtLeast(v, '2.3')) {
    d.jobType = job.jobType;
    d.schedulerType = 'Default';
  }
  return d;
}

function plan(job: Job) {
  return {
    jid: job.id,
    name: job.name,
    type: job.jobType,
    nodes: job.vertices.map((v, i) => ({
      id: v.id,
      parallelism: v.parallelism,
      operator: '',
      operator_strategy: '',
      description: v.name,
      ...(i > 0 ? { inputs: [{ num: 0, id: job.vertices[i - 1].id, ship_strategy: i === 1 ? 'HASH' : 'FORWARD', exchange: 'pipelined_bounded' }] } : {}),
      optimizer_properties: {},
    })),
  };
}

function ioMetrics(v: JobManagerProcess['flinkVersion']) {
  return {
    'read-bytes': 0,
    'read-bytes-complete': true,
    'write-bytes': 0,
    'write-bytes-complete': true,
    'read-records': 0,
    'read-records-complete': true,
    'write-records': 0,
    'write-records-complete': true,
    'accumulated-backpressured-time': 0,
    'accumulated-idle-time': 0,
    'accumulated-busy-time': versionAtLeast(v, '1.16') ? 0 : undefined,
  };
}

function jobDetailsInfo(jm: JobManagerProcess, job: Job) {
  const v = jm.flinkVersion;
  const now = Date.now();
  const statusCounts: Record<string, number> = Object.fromEntries(EXECUTION_STATES.map((s) => [s, 0]));
  for (const vx of job.vertices) statusCounts[vx.state]++;
  const ssg = hex32();
  const d: Record<string, unknown> = {
    jid: job.id,
    name: job.name,
    isStoppable: false,
    state: job.state,
  };
  if (versionAtLeast(v, '1.20')) d['job-type'] = job.jobType;
  Object.assign(d, {
    'start-time': job.startTime,
    'end-time': job.endTime,
    duration: duration(job),
    maxParallelism: -1,
    now,
    timestamps: Object.fromEntries(JOB_STATUSES.map((s) => [s, job.timestamps[s] ?? 0])),
    vertices: job.vertices.map((vx) => {
      const tasks: Record<string, number> = Object.fromEntries(EXECUTION_STATES.map((s) => [s, 0]));
      tasks[vx.state] = vx.parallelism;
      return {
        id: vx.id,
        ...(versionAtLeast(v, '1.20') ? { slotSharingGroupId: ssg } : {}),
        name: vx.name,
        maxParallelism: vx.maxParallelism,
        parallelism: vx.parallelism,
        status: vx.state,
        'start-time': vx.startTime,
        'end-time': vx.endTime,
        duration: vx.startTime < 0 ? -1 : (vx.endTime > 0 ? vx.endTime : now) - vx.startTime,
        tasks,
        metrics: ioMetrics(v),
      };
    }),
    'status-counts': statusCounts,
    plan: plan(job),
  });
  if (versionAtLeast(v, '2.0')) d['pending-operators'] = 0;
  if (versionAtLeast(v, '2.3')) {
    d.schedulerType = 'Default';
    // JobDetailsInfo.application-id (ApplicationIDSerializer: hex)
    d['application-id'] = job.submitted.applicationId ?? job.id;
  }
  return d;
}

function exceptionsInfo(jm: JobManagerProcess, job: Job, max: number) {
  const v = jm.flinkVersion;
  const entries = job.exceptions.slice(0, max).map((e) => {
    const o: Record<string, unknown> = { exceptionName: e.exceptionName, stacktrace: e.stacktrace, timestamp: e.timestamp, failureLabels: {} };
    if (e.taskName) o.taskName = e.taskName;
    if (e.endpoint) {
      if (!versionAtLeast(v, '2.0')) o.location = e.endpoint;
      o.endpoint = e.endpoint;
    }
    if (e.taskManagerId) o.taskManagerId = e.taskManagerId;
    o.concurrentExceptions = [];
    return o;
  });
  const history = { entries, truncated: job.exceptions.length > max };
  if (versionAtLeast(v, '2.0')) return { exceptionHistory: history };
  const latest = job.exceptions[0];
  return {
    ...(latest ? { 'root-exception': latest.stacktrace, timestamp: latest.timestamp } : {}),
    'all-exceptions': [],
    truncated: false,
    exceptionHistory: history,
  };
}

/** JobVertexDetailsHandler: one SubtaskExecutionAttemptDetailsInfo per subtask (current attempt), plus the aggregates. */
function vertexDetails(jm: JobManagerProcess, job: Job, vertexId: string) {
  if (!HEX32.test(vertexId)) throw new RestError(400, `Bad request, could not parse parameters: Cannot resolve path parameter (vertexid) from value "${vertexId}".`);
  const vx = job.vertices.find((v) => v.id === vertexId.toLowerCase());
  if (!vx) throw new RestError(404, `JobVertex ${vertexId.toLowerCase()} not found`, undefined, undefined, 'org.apache.flink.runtime.rest.NotFoundException');
  const v = jm.flinkVersion;
  const now = Date.now();
  // slot sharing: subtask i of every vertex runs in the i-th slot of the job
  const slotTms = job.slots.flatMap((sl) => Array.from({ length: sl.count }, () => sl.tm));
  const tmOf = (id: string | undefined) => (id ? [...jm.world.taskManagers].find((t) => t.resourceId === id) : undefined);
  const statesWithDuration = ['CREATED', 'SCHEDULED', 'DEPLOYING', 'INITIALIZING', 'RUNNING'] as const;
  const running = vx.startTime > 0 ? (vx.endTime > 0 ? vx.endTime : now) - vx.startTime : 0;
  const statusDuration = Object.fromEntries(statesWithDuration.map((st) => [st, st === vx.state ? running : 0]));
  const metrics = ioMetrics(v);
  const subtasks = Array.from({ length: vx.parallelism }, (_, i) => {
    const tmId = vx.state === 'CREATED' || vx.state === 'SCHEDULED' ? undefined : slotTms[i];
    const tm = tmOf(tmId);
    const endpoint = tm ? `${tm.podIP}:${tm.dataPort}` : '(unassigned)';
    return {
      subtask: i,
      status: vx.state,
      attempt: job.numRestarts,
      endpoint,
      ...(versionAtLeast(v, '2.0') ? {} : { host: tm ? tm.podIP : '(unassigned)' }),
      'start-time': vx.startTime > 0 ? vx.startTime : -1,
      'end-time': vx.endTime > 0 ? vx.endTime : -1,
      duration: vx.startTime > 0 ? (vx.endTime > 0 ? vx.endTime : now) - vx.startTime : -1,
      metrics,
      'taskmanager-id': tmId ?? '(unassigned)',
      'status-duration': statusDuration,
    };
  });
  const agg = (x: number) => ({ min: x, max: x, avg: x, sum: x * vx.parallelism, median: x, p25: x, p75: x, p95: x });
  return {
    id: vx.id,
    name: vx.name,
    parallelism: vx.parallelism,
    maxParallelism: vx.maxParallelism,
    now,
    subtasks,
    aggregated: {
      metrics: Object.fromEntries(Object.entries(metrics).filter(([, val]) => typeof val === 'number').map(([k, val]) => [k, agg(val as number)])),
      'status-duration': Object.fromEntries(Object.entries(statusDuration).map(([k, val]) => [k, agg(val)])),
    },
  };
}

function statsSummary(values: number[]) {
  if (!values.length) return { min: 0, max: 0, avg: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0 };
  const s = [...values].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { min: s[0], max: s[s.length - 1], avg: Math.floor(s.reduce((a, b) => a + b, 0) / s.length), p50: q(0.5), p90: q(0.9), p95: q(0.95), p99: q(0.99), p999: q(0.999) };
}

function checkpointStat(c: CheckpointStat) {
  const o: Record<string, unknown> = {
    className: c.status === 'COMPLETED' ? 'completed' : c.status === 'FAILED' ? 'failed' : 'in_progress',
    id: c.id,
    status: c.status,
    is_savepoint: c.isSavepoint,
    ...(c.isSavepoint ? { savepointFormat: c.savepointFormat ?? 'CANONICAL' } : {}),
    trigger_timestamp: c.triggerTimestamp,
    latest_ack_timestamp: c.latestAckTimestamp,
    checkpointed_size: c.stateSize,
    state_size: c.stateSize,
    end_to_end_duration: c.duration,
    alignment_buffered: 0,
    processed_data: 0,
    persisted_data: 0,
    num_subtasks: c.numSubtasks,
    num_acknowledged_subtasks: c.acked,
    checkpoint_type: c.type,
    tasks: {},
  };
  if (c.status === 'COMPLETED') Object.assign(o, { external_path: c.externalPath, discarded: false });
  if (c.status === 'FAILED') Object.assign(o, { failure_timestamp: c.failureTimestamp, failure_message: c.failureMessage });
  return o;
}

function checkpointing(job: Job) {
  if (job.jobType === 'BATCH') throw new RestError(404, 'Checkpointing has not been enabled.');
  const completed = job.checkpoints.filter((c) => c.status === 'COMPLETED');
  return {
    counts: job.counts,
    summary: {
      checkpointed_size: statsSummary(completed.map((c) => c.stateSize)),
      state_size: statsSummary(completed.map((c) => c.stateSize)),
      end_to_end_duration: statsSummary(completed.map((c) => c.duration)),
      alignment_buffered: statsSummary(completed.map(() => 0)),
      processed_data: statsSummary(completed.map(() => 0)),
      persisted_data: statsSummary(completed.map(() => 0)),
    },
    latest: {
      completed: (() => {
        const c = completed.find((x) => !x.isSavepoint);
        return c ? checkpointStat(c) : null;
      })(),
      savepoint: (() => {
        const c = completed.find((x) => x.isSavepoint);
        return c ? checkpointStat(c) : null;
      })(),
      failed: (() => {
        const c = job.checkpoints.find((x) => x.status === 'FAILED');
        return c ? checkpointStat(c) : null;
      })(),
      restored: job.restored ?? null,
    },
    history: job.checkpoints.map(checkpointStat),
  };
}

function checkpointConfig(job: Job) {
  if (job.jobType === 'BATCH') throw new RestError(404, `Checkpointing is not enabled for this job (${job.id}).`);
  const retention = (job.conf.string(['execution.checkpointing.externalized-checkpoint-retention', 'execution.checkpointing.externalized-checkpoints']) ?? 'NO_EXTERNALIZED_CHECKPOINTS').toUpperCase();
  const mode = (job.conf.string('execution.checkpointing.mode') ?? 'EXACTLY_ONCE').toLowerCase();
  return {
    mode,
    interval: job.checkpointInterval ?? LONG_MAX_TOKEN,
    timeout: job.conf.duration('execution.checkpointing.timeout', 600000),
    min_pause: job.conf.duration('execution.checkpointing.min-pause', 0),
    max_concurrent: job.conf.int('execution.checkpointing.max-concurrent-checkpoints', 1),
    externalization: { enabled: retention !== 'NO_EXTERNALIZED_CHECKPOINTS', delete_on_cancellation: retention !== 'RETAIN_ON_CANCELLATION' },
    state_backend: (job.conf.string(['state.backend.type', 'state.backend']) ?? 'hashmap').toLowerCase() === 'rocksdb' ? 'EmbeddedRocksDBStateBackend' : 'HashMapStateBackend',
    checkpoint_storage: job.checkpointDir ? 'FileSystemCheckpointStorage' : 'JobManagerCheckpointStorage',
    unaligned_checkpoints: job.conf.bool(['execution.checkpointing.unaligned.enabled', 'execution.checkpointing.unaligned'], false),
    tolerable_failed_checkpoints: job.conf.int('execution.checkpointing.tolerable-failed-checkpoints', 0),
    aligned_checkpoint_timeout: job.conf.duration(['execution.checkpointing.aligned-checkpoint-timeout', 'execution.checkpointing.alignment-timeout'], 0),
    checkpoints_after_tasks_finish: true,
    state_changelog_enabled: false,
    changelog_periodic_materialization_interval: 600000,
    changelog_storage: 'memory',
  };
}

function serializedThrowable(cls: string, message: string) {
  const text = `${cls}: ${message}\n\tat org.apache.flink.runtime.scheduler.SchedulerBase.lambda$triggerSavepoint$3(SchedulerBase.java:0)\n`;
  return { class: cls, 'stack-trace': text, 'serialized-throwable': Buffer.concat([Buffer.from([0xac, 0xed, 0x00, 0x05]), Buffer.from(text)]).toString('base64') };
}

function asyncResult(op: AsyncOp) {
  if (op.status === 'IN_PROGRESS') return { status: { id: 'IN_PROGRESS' } };
  return {
    status: { id: 'COMPLETED' },
    operation: op.location ? { location: op.location } : { 'failure-cause': serializedThrowable(op.failure!.className, op.failure!.message) },
  };
}

function tmInfo(jm: JobManagerProcess, w: { podName: string; slots: number; free: number; tm?: import('./taskmanager').TaskManagerProcess }, detail: boolean) {
  const tm = w.tm!;
  const s = tm.spec;
  const mb = (b: number) => Math.floor(b / 1048576);
  const res = (slots: number) => ({
    cpuCores: (s.cpuCores * slots) / s.numSlots,
    taskHeapMemory: mb((s.taskHeap * slots) / s.numSlots),
    taskOffHeapMemory: mb((s.taskOffHeap * slots) / s.numSlots),
    managedMemory: mb((s.managed * slots) / s.numSlots),
    networkMemory: mb((s.network * slots) / s.numSlots),
    extendedResources: {},
  });
  const o: Record<string, unknown> = {
    id: tm.resourceId,
    path: `pekko.tcp://flink@${tm.podIP}:6122/user/rpc/taskmanager_0`,
    dataPort: tm.dataPort,
    jmxPort: -1,
    timeSinceLastHeartbeat: tm.lastHeartbeat,
    slotsNumber: w.slots,
    freeSlots: w.free,
    totalResource: res(w.slots),
    freeResource: res(w.free),
    hardware: { cpuCores: 2, physicalMemory: 25769803776, freeMemory: s.frameworkHeap + s.taskHeap, managedMemory: s.managed },
    memoryConfiguration: {
      frameworkHeap: s.frameworkHeap,
      taskHeap: s.taskHeap,
      frameworkOffHeap: s.frameworkOffHeap,
      taskOffHeap: s.taskOffHeap,
      networkMemory: s.network,
      managedMemory: s.managed,
      jvmMetaspace: s.metaspace,
      jvmOverhead: s.overhead,
      totalFlinkMemory: s.totalFlink,
      totalProcessMemory: s.totalProcess,
    },
    blocked: false,
  };
  if (versionAtLeast(jm.flinkVersion, '2.3')) o.assignedTasks = w.slots - w.free;
  if (detail) {
    o.allocatedSlots = [];
    const heap = s.frameworkHeap + s.taskHeap;
    o.metrics = {
      heapUsed: Math.floor(heap / 3),
      heapCommitted: heap,
      heapMax: heap,
      nonHeapUsed: 60000000,
      nonHeapCommitted: 70000000,
      nonHeapMax: s.metaspace,
      directCount: 10,
      directUsed: s.network,
      directMax: s.network,
      mappedCount: 0,
      mappedUsed: 0,
      mappedMax: 0,
      ...(versionAtLeast(jm.flinkVersion, '2.0') ? {} : { memorySegmentsAvailable: Math.floor(s.network / 32768), memorySegmentsTotal: Math.floor(s.network / 32768) }),
      nettyShuffleMemorySegmentsAvailable: Math.floor(s.network / 32768),
      nettyShuffleMemorySegmentsUsed: 0,
      nettyShuffleMemorySegmentsTotal: Math.floor(s.network / 32768),
      nettyShuffleMemoryAvailable: s.network,
      nettyShuffleMemoryUsed: 0,
      nettyShuffleMemoryTotal: s.network,
      garbageCollectors: [
        { name: 'G1_Young_Generation', count: 3, time: 20 },
        { name: 'G1_Old_Generation', count: 0, time: 0 },
      ],
    };
  }
  return o;
}

function savepointDirKey(jm: JobManagerProcess) {
  return versionAtLeast(jm.flinkVersion, '1.20') ? 'execution.checkpointing.savepoint-dir' : 'state.savepoints.dir';
}

/** Dispatcher.triggerSavepoint / stopWithSavepoint: acknowledged at once, the result comes later. */
function triggerSavepoint(c: Ctx, body: Record<string, any>, stop: boolean): { 'request-id': string } {
  const jobId = c.params[0];
  if (!HEX32.test(jobId)) throw new RestError(400, `Bad request, could not parse parameters: Cannot resolve path parameter (jobid) from value "${jobId}".`);
  const dirField = stop ? 'targetDirectory' : 'target-directory';
  const bodyType = stop ? 'StopWithSavepointRequestBody' : 'SavepointTriggerRequestBody';
  // SavepointFormatType, default CANONICAL; drain (stop only) a boolean
  if (body.formatType != null && !['CANONICAL', 'NATIVE'].includes(body.formatType)) throw new RestError(400, `Request did not match expected format ${bodyType}.`);
  if (body.triggerId != null && (typeof body.triggerId !== 'string' || !HEX32.test(body.triggerId))) throw new RestError(400, `Request did not match expected format ${bodyType}.`);
  if (stop && body.drain != null && typeof body.drain !== 'boolean') throw new RestError(400, `Request did not match expected format ${bodyType}.`);
  const format: 'CANONICAL' | 'NATIVE' = body.formatType ?? 'CANONICAL';
  const triggerId = typeof body.triggerId === 'string' && HEX32.test(body.triggerId) ? body.triggerId.toLowerCase() : hex32();
  const leader = c.leader;
  const job = leader.jobs.get(jobId.toLowerCase());
  const dir = body[dirField] ?? job?.savepointDir ?? leader.conf.string(['execution.checkpointing.savepoint-dir', 'state.savepoints.dir']);
  if (!dir) throw new RestError(400, `Config key [${savepointDirKey(leader)}] is not set. Property [${dirField}] must be provided.`);
  const key = `${jobId.toLowerCase()}/${triggerId}`;
  if (leader.savepointOps.has(key)) return { 'request-id': triggerId };
  const op: AsyncOp = { status: 'IN_PROGRESS', created: Date.now() };
  leader.savepointOps.set(key, op);
  const failWith = (cls: string, msg: string) => {
    op.status = 'COMPLETED';
    op.failure = { className: cls, message: msg };
  };
  if (!job || job.isTerminal) {
    failWith('org.apache.flink.runtime.messages.FlinkJobNotFoundException', `Could not find Flink job (${jobId})`);
  } else if (job.state !== 'RUNNING' || job.vertices.some((v) => v.state !== 'RUNNING')) {
    failWith('org.apache.flink.runtime.checkpoint.CheckpointException', `Checkpoint triggering task ${job.vertices[0].name} (1/${job.vertices[0].parallelism}) of job ${job.id} is not being executed at the moment. Aborting checkpoint. Failure reason: Not all required tasks are currently running.`);
  } else {
    leader.log.info(L.jobMaster, `Triggering ${stop ? 'stop-with-savepoint' : 'savepoint'} for job ${job.id}.`);
    job
      .triggerCheckpoint({ dir: String(dir), sync: stop, format, drain: stop && body.drain === true })
      .then((location) => {
        op.status = 'COMPLETED';
        op.location = location;
        if (stop) {
          job.finishWithSavepoint();
        } else if (body['cancel-job']) job.cancel();
      })
      .catch((e) => failWith('org.apache.flink.runtime.checkpoint.CheckpointException', (e as Error).message));
  }
  return { 'request-id': triggerId };
}

/**
 * CheckpointHandlers.CheckpointTriggerHandler (1.17+): acknowledged with the trigger id at once
 * (client triggerId honoured); the status handler answers CheckpointInfo later.
 */
function triggerManualCheckpoint(c: Ctx, body: Record<string, any>): { 'request-id': string } {
  const jobId = c.params[0];
  if (!HEX32.test(jobId)) throw new RestError(400, `Bad request, could not parse parameters: Cannot resolve path parameter (jobid) from value "${jobId}".`);
  if (body.checkpointType != null && !['CONFIGURED', 'FULL', 'INCREMENTAL'].includes(body.checkpointType)) throw new RestError(400, 'Request did not match expected format CheckpointTriggerRequestBody.');
  if (body.triggerId != null && (typeof body.triggerId !== 'string' || !HEX32.test(body.triggerId))) throw new RestError(400, 'Request did not match expected format CheckpointTriggerRequestBody.');
  const checkpointType: 'CONFIGURED' | 'FULL' | 'INCREMENTAL' = body.checkpointType ?? 'CONFIGURED';
  const triggerId = typeof body.triggerId === 'string' && HEX32.test(body.triggerId) ? body.triggerId.toLowerCase() : hex32();
  const leader = c.leader;
  const key = `checkpoint:${jobId.toLowerCase()}/${triggerId}`;
  if (leader.savepointOps.has(key)) return { 'request-id': triggerId };
  const op: AsyncOp = { status: 'IN_PROGRESS', created: Date.now() };
  leader.savepointOps.set(key, op);
  const failWith = (cls: string, msg: string) => {
    op.status = 'COMPLETED';
    op.failure = { className: cls, message: msg };
  };
  const job = leader.jobs.get(jobId.toLowerCase());
  if (!job || job.isTerminal) {
    failWith('org.apache.flink.runtime.messages.FlinkJobNotFoundException', `Could not find Flink job (${jobId})`);
  } else if (job.jobType === 'BATCH') {
    failWith('java.lang.IllegalStateException', `Job ${job.id} is not a streaming job.`);
  } else if (job.state !== 'RUNNING' || job.vertices.some((v) => v.state !== 'RUNNING')) {
    failWith('org.apache.flink.runtime.checkpoint.CheckpointException', `Checkpoint triggering task ${job.vertices[0].name} (1/${job.vertices[0].parallelism}) of job ${job.id} is not being executed at the moment. Aborting checkpoint. Failure reason: Not all required tasks are currently running.`);
  } else {
    const id = job.nextCheckpointId;
    leader.log.info(L.jobMaster, `Triggering a manual checkpoint for job ${job.id}.`);
    job
      .triggerCheckpoint(false, checkpointType)
      .then(() => {
        op.status = 'COMPLETED';
        op.checkpointId = id;
      })
      .catch((e) => failWith('org.apache.flink.runtime.checkpoint.CheckpointException', (e as Error).message));
  }
  return { 'request-id': triggerId };
}

/**
 * JarUploadHandler behind FileUploadHandler: the multipart body is streamed to a per-request
 * folder under the upload dir on the JobManager's disk (never held in memory), then exactly one
 * `*.jar` file is moved to `<uploadDir>/<uuid>_<name>`. Only the central directory and the
 * manifest are read back.
 */
function uploadJar(c: Ctx): Promise<unknown> {
  const ct = c.req.headers['content-type'] ?? '';
  if (!ct.toLowerCase().startsWith('multipart/form-data')) {
    return drain(c.req).then(() => {
      throw new RestError(400, 'Request did not match expected format JarUploadRequestBody.');
    });
  }
  const jm = c.jm;
  const requestDir = jm.localPath(`${jm.uploadDir}/${randomUUID()}`);
  const cleanup = () => fs.promises.rm(requestDir, { recursive: true, force: true }).catch(() => undefined);
  return new Promise<unknown>((resolve, reject) => {
    const files: { name: string; file: string; done: Promise<void> }[] = [];
    const unknown: string[] = [];
    let bb: Busboy.Busboy;
    try {
      bb = Busboy({ headers: c.req.headers });
    } catch {
      drain(c.req).then(() => reject(new RestError(400, 'Request did not match expected format JarUploadRequestBody.')));
      return;
    }
    fs.mkdirSync(requestDir, { recursive: true });
    bb.on('file', (_field, stream, info) => {
      const name = (info.filename ?? '').split(/[\\/]/).pop() ?? '';
      const file = path.join(requestDir, `${files.length}-${name.replace(/[^\w.-]/g, '_')}`);
      const out = fs.createWriteStream(file);
      const done = new Promise<void>((res, rej) => {
        out.on('finish', () => res());
        out.on('error', rej);
        stream.on('error', rej);
      });
      stream.pipe(out);
      files.push({ name, file, done });
    });
    bb.on('field', (name) => {
      if (name !== 'request') unknown.push(name);
    });
    bb.on('error', () => {
      void cleanup();
      reject(new RestError(400, 'Request did not match expected format JarUploadRequestBody.'));
    });
    bb.on('close', () => {
      void (async () => {
        try {
          await Promise.all(files.map((f) => f.done));
          if (unknown.length) throw new RestError(400, `Received unknown attribute ${unknown[0]}.`);
          if (files.length !== 1) throw new RestError(400, `Exactly 1 file must be sent, received ${files.length}.`);
          const f = files[0];
          if (!f.name.endsWith('.jar')) throw new RestError(400, 'Only Jar files are allowed.');
          const id = `${randomUUID()}_${f.name}`;
          const target = jm.localPath(`${jm.uploadDir}/${id}`);
          await fs.promises.rename(f.file, target);
          let info: JarInfo | undefined;
          try {
            const jar = readJarFile(target);
            info = { manifest: jar.manifest, classes: jar.classes };
            jar.close();
          } catch (e) {
            if (!(e instanceof InvalidJarError)) throw e;
          }
          jm.jars.set(id, { id, name: f.name, uploaded: Date.now(), path: `${jm.uploadDir}/${id}`, file: target, info });
          await cleanup();
          resolve({ filename: `${jm.uploadDir}/${id}`, status: 'success' });
        } catch (e) {
          await cleanup();
          reject(e);
        }
      })();
    });
    c.req.pipe(bb);
  });
}

async function drain(req: IncomingMessage): Promise<void> {
  for await (const chunk of req) void chunk;
}

interface RunParams {
  entryClass?: string;
  programArgsList?: string[];
  parallelism?: number;
  jobId?: string;
  allowNonRestoredState?: boolean;
  savepointPath?: string;
  flinkConfiguration?: Record<string, string>;
}

function runParams(c: Ctx, body: Record<string, any>, type: string): RunParams {
  const q = c.query;
  const p: RunParams = {
    entryClass: body.entryClass ?? q.get('entry-class') ?? undefined,
    programArgsList: body.programArgsList ?? undefined,
    parallelism: body.parallelism ?? (q.get('parallelism') ? Number(q.get('parallelism')) : undefined),
    jobId: body.jobId ?? undefined,
    allowNonRestoredState: body.allowNonRestoredState ?? (q.get('allowNonRestoredState') ? q.get('allowNonRestoredState') === 'true' : undefined),
    savepointPath: body.savepointPath ?? q.get('savepointPath') ?? undefined,
    flinkConfiguration: body.flinkConfiguration ?? undefined,
  };
  if (p.jobId !== undefined && (typeof p.jobId !== 'string' || !HEX32.test(p.jobId))) throw new RestError(400, `Request did not match expected format ${type}.`);
  if (p.parallelism !== undefined && (!Number.isInteger(p.parallelism))) throw new RestError(400, `Request did not match expected format ${type}.`);
  if (p.flinkConfiguration !== undefined && (typeof p.flinkConfiguration !== 'object' || Array.isArray(p.flinkConfiguration))) throw new RestError(400, `Request did not match expected format ${type}.`);
  return p;
}

function programOf(c: Ctx, jarId: string, p: RunParams) {
  const jar = c.jm.jars.get(jarId);
  if (!jar) throw internalError('org.apache.flink.runtime.rest.handler.RestHandlerException', `Jar file ${c.jm.uploadDir}/${jarId} does not exist`);
  const progErr = (msg: string) => internalError('org.apache.flink.client.program.ProgramInvocationException', msg);
  // PackagedProgram: JarUtils.checkJarFile opens the jar first
  if (!jar.info) throw progErr(`Error while opening jar file '${jar.path}'`);
  const entryClass = p.entryClass ?? manifestEntryClass(jar.info.manifest);
  if (!entryClass) throw progErr(`Neither a 'Main-Class', nor a 'program-class' entry was found in the jar file.`);
  if (!jar.info.classes.has(entryClass)) throw progErr(`The program's entry point class '${entryClass}' was not found in the jar file.`);
  // what the main does (the sim cannot run it, see jar.ts analyseMain): whether it builds a job at all
  // (JarRunHandler: `No jobs included in application.` when not) and the name it gives env.execute
  const opened = readJarFile(jar.file);
  let main: { buildsJob: boolean; jobName?: string };
  try {
    main = analyseMain(opened, entryClass);
  } finally {
    opened.close();
  }
  const example = exampleJars(c.jm.flinkVersion).find((e) => e.program.mainClass === entryClass);
  const program = example ? example.program : genericProgram(entryClass, main.jobName);
  return { jar, entryClass, program, buildsJob: main.buildsJob };
}

async function runJar(c: Ctx) {
  const body = await jsonBody(c, 'JarRunRequestBody');
  const p = runParams(c, body, 'JarRunRequestBody');
  const { jar, entryClass, program, buildsJob } = programOf(c, c.params[0], p);
  if (!buildsJob) throw new RestError(400, 'No jobs included in application.');
  const jobId = (p.jobId ?? hex32()).toLowerCase();
  const parallelism = p.parallelism && p.parallelism > 0 ? p.parallelism : c.leader.conf.int('parallelism.default', 1);
  try {
    await c.leader.submitJob({
      jobId,
      program,
      parallelism,
      config: p.flinkConfiguration ?? {},
      savepointPath: p.savepointPath,
      allowNonRestoredState: p.allowNonRestoredState,
      entryClass,
      jarPath: jar.path,
    });
  } catch (e) {
    if (e instanceof FlinkError) throw new RestError(400, 'Could not execute application.', { javaClass: e.javaClass, message: e.message });
    throw e;
  }
  // 2.3: JarRunResponseBody adds applicationId, ApplicationID.fromHexString(jobId.toHexString())
  return c.leader.hasApplications ? { jobid: jobId, applicationId: jobId } : { jobid: jobId };
}

/**
 * 2.3 JarRunApplicationHandler: builds the PackagedProgram synchronously (same 500s as /run), submits a
 * PackagedProgramApplication (id from the body or generated) and answers 202 at once; the program's
 * outcome shows in /applications (a main that submits no job fails it: "The application contains
 * no execute() calls.").
 */
async function runJarApplication(c: Ctx) {
  const body = await jsonBody(c, 'JarRunApplicationRequestBody');
  const p = runParams(c, body, 'JarRunApplicationRequestBody');
  if (body.applicationId !== undefined && (typeof body.applicationId !== 'string' || !HEX32.test(body.applicationId))) throw new RestError(400, 'Request did not match expected format JarRunApplicationRequestBody.');
  const { jar, entryClass, program, buildsJob } = programOf(c, c.params[0], p);
  const leader = c.leader;
  const appId = (body.applicationId ?? hex32()).toLowerCase();
  if (leader.applications.has(appId)) {
    throw new RestError(400, 'Could not submit application.', { javaClass: 'org.apache.flink.util.FlinkException', message: `Application ${appId} has already been submitted.` });
  }
  const app = new FlinkApplication(appId, entryClass, 'program');
  leader.applications.set(appId, app);
  const parallelism = p.parallelism && p.parallelism > 0 ? p.parallelism : leader.conf.int('parallelism.default', 1);
  const jobId = (p.jobId ?? hex32()).toLowerCase();
  leader.later(0, () => {
    app.transition('RUNNING');
    if (!buildsJob) {
      leader.log.warn('org.apache.flink.client.deployment.application.PackagedProgramApplication', 'Application failed unexpectedly: ', { javaClass: 'org.apache.flink.client.deployment.application.ApplicationExecutionException', message: 'The application contains no execute() calls.' });
      app.fail('org.apache.flink.client.deployment.application.ApplicationExecutionException', 'The application contains no execute() calls.');
      return;
    }
    leader
      .submitJob({ jobId, program, parallelism, config: p.flinkConfiguration ?? {}, savepointPath: p.savepointPath, allowNonRestoredState: p.allowNonRestoredState, entryClass, jarPath: jar.path, applicationId: appId })
      .catch((e: Error) => app.fail((e as FlinkError).javaClass ?? 'java.lang.Exception', e.message));
  });
  return { applicationid: appId };
}

function applicationOf(c: Ctx): FlinkApplication {
  const id = c.params[0];
  if (!HEX32.test(id)) throw new RestError(400, `Bad request, could not parse parameters: Cannot resolve path parameter (applicationid) from value "${id}".`);
  const app = c.leader.applications.get(id.toLowerCase());
  // the application handlers map no exception: an unknown id ends in AbstractHandler's 500
  if (!app) throw new RestError(500, '', undefined, ['Internal server error.', `<Exception on server side:\njava.util.concurrent.CompletionException: org.apache.flink.runtime.messages.FlinkApplicationNotFoundException: Could not find Flink application (${id})\nEnd of exception on server side>`]);
  return app;
}

/** ApplicationCancellationHandler: 202; 404 unknown; 409 already terminal. */
function cancelApplication(c: Ctx) {
  const id = c.params[0];
  if (!HEX32.test(id)) throw new RestError(400, `Bad request, could not parse parameters: Cannot resolve path parameter (applicationid) from value "${id}".`);
  const app = c.leader.applications.get(id.toLowerCase());
  if (!app) throw new RestError(404, 'Application could not be found.', { javaClass: 'org.apache.flink.runtime.messages.FlinkApplicationNotFoundException', message: `Could not find Flink application (${id})` });
  if (app.isTerminal) throw new RestError(409, `Application cancellation failed because the application has already reached another terminal state (${app.status}).`);
  if (app.status === 'CANCELLING') return {};
  app.transition('CANCELLING');
  const running = app.jobIds.map((j) => c.leader.jobs.get(j)).filter((j): j is Job => !!j && !j.isTerminal);
  if (!running.length) app.transition('CANCELED');
  for (const j of running) j.cancel();
  return {};
}

async function planJar(c: Ctx) {
  const body = await jsonBody(c, 'JarPlanRequestBody');
  const p = runParams(c, body, 'JarPlanRequestBody');
  const { jar, program, buildsJob } = programOf(c, c.params[0], p);
  if (!buildsJob) {
    // PackagedProgramUtils.getPipelineFromProgram: the main returned without executing a pipeline
    throw internalError('org.apache.flink.client.program.ProgramInvocationException', `The program plan could not be fetched - the program aborted pre-maturely.\n\nClasspath: [file:${jar.path}]`);
  }
  const parallelism = p.parallelism && p.parallelism > 0 ? p.parallelism : c.leader.conf.int('parallelism.default', 1);
  const jid = (p.jobId ?? hex32()).toLowerCase();
  return {
    plan: {
      jid,
      name: program.jobName,
      type: program.jobType,
      nodes: program.vertices.map((v, i) => ({ id: hex32(), parallelism: v.parallelism ?? parallelism, operator: '', operator_strategy: '', description: v.name, ...(i > 0 ? { inputs: [] } : {}), optimizer_properties: {} })),
    },
  };
}

/**
 * JarListHandler: the manifest's program-class (else Main-Class), split at commas; each class that
 * PackagedProgram can load (here: that the jar holds) is listed, with no description.
 */
function jarEntries(j: UploadedJar): { name: string; description: null }[] {
  const assembler = j.info ? manifestEntryClass(j.info.manifest) : undefined;
  if (!assembler) return [];
  return assembler
    .split(',')
    .map((x) => x.trim())
    .filter((x) => j.info!.classes.has(x))
    .map((name) => ({ name, description: null }));
}

const BLOCKED_TASKMANAGERS = 0;

/** Jackson's NON_DEFAULT for an int: the field only when it is not 0. */
function nonDefault(key: string, value: number): Record<string, number> {
  return value === 0 ? {} : { [key]: value };
}

function maskedConfig(jm: JobManagerProcess) {
  return jm.conf.entries().map(([key, value]) => ({ key, value: /password|secret|token|(^|\.)key$|auth-params/i.test(key) ? '******' : value }));
}

function logFileName(jm: JobManagerProcess) {
  return `flink--kubernetes-${jm.mode}-0-${jm.ctx.podName}.log`;
}

export function createRoutes(): Route[] {
  const session = (c: Ctx) => {
    if (c.jm.mode !== 'session' || !c.jm.conf.bool('web.submit.enable', true)) throw new RestError(404, '', undefined, [`Not found: ${c.uri}`]);
  };
  const v23 = (c: Ctx) => {
    if (!c.jm.hasApplications) throw new RestError(404, '', undefined, [`Not found: ${c.uri}`]);
  };
  return [
    ['GET', /^\/applications\/overview$/, (c) => {
      v23(c);
      return { applications: [...c.leader.applications.values()].map((a) => a.overview(c.leader.jobs)) };
    }],
    ['GET', /^\/applications\/([^/]+)$/, (c) => {
      v23(c);
      const app = applicationOf(c);
      return app.details(app.jobIds.map((id) => c.leader.jobs.get(id)).filter((j): j is Job => !!j).map((j) => jobDetails(c.leader, j)));
    }],
    ['POST', /^\/applications\/([^/]+)\/cancel$/, (c) => {
      v23(c);
      return cancelApplication(c);
    }, 202],
    ['GET', /^\/applications\/([^/]+)\/exceptions$/, (c) => {
      v23(c);
      return { exceptionHistory: { entries: applicationOf(c).exceptions.map((e) => ({ ...e })) } };
    }],
    ['GET', /^\/applications\/([^/]+)\/jobmanager\/config$/, (c) => {
      v23(c);
      // JobManagerApplicationConfigurationHandler answers the configuration for any id
      return maskedConfig(c.leader);
    }],
    ['POST', /^\/jars\/([^/]+)\/run-application$/, (c) => {
      v23(c);
      session(c);
      return runJarApplication(c);
    }, 202],
    ['GET', /^\/config$/, (c) => ({
      'refresh-interval': c.jm.conf.duration('web.refresh-interval', 3000),
      'timezone-name': 'Coordinated Universal Time',
      'timezone-offset': 0,
      'flink-version': c.jm.flinkVersion,
      'flink-revision': `${revisionOf(c.jm.flinkVersion)} @ ${new Date(Date.UTC(2025, 0, 1)).toISOString().replace('.000Z', '+01:00')}`,
      features: {
        'web-submit': c.jm.mode === 'session' && c.jm.conf.bool('web.submit.enable', true),
        'web-cancel': c.jm.conf.bool('web.cancel.enable', true),
        'web-rescale': c.jm.conf.bool('web.rescale.enable', false),
        'web-history': false,
      },
    })],
    ['GET', /^\/overview$/, (c) => {
      const jobs = [...c.leader.jobs.values()];
      const tms = c.leader.rm.registered;
      return {
        taskmanagers: tms.length,
        'slots-total': tms.reduce((a, w) => a + w.slots, 0),
        'slots-available': tms.reduce((a, w) => a + w.free, 0),
        'jobs-running': jobs.filter((j) => !GLOBALLY_TERMINAL.includes(j.state)).length,
        'jobs-finished': jobs.filter((j) => j.state === 'FINISHED').length,
        'jobs-cancelled': jobs.filter((j) => j.state === 'CANCELED').length,
        'jobs-failed': jobs.filter((j) => j.state === 'FAILED').length,
        'flink-version': c.jm.flinkVersion,
        'flink-commit': revisionOf(c.jm.flinkVersion),
        // ClusterOverview: @JsonInclude(NON_DEFAULT) on both (1.16+), so left out while 0. The sim has no
        // blocklist (speculative execution / blocked nodes), so they are always left out.
        ...nonDefault('taskmanagers-blocked', BLOCKED_TASKMANAGERS),
        ...nonDefault('slots-free-and-blocked', BLOCKED_TASKMANAGERS),
      };
    }],
    ['GET', /^\/jobs$/, (c) => ({ jobs: [...c.leader.jobs.values()].map((j) => ({ id: j.id, status: j.state })) })],
    ['GET', /^\/jobs\/overview$/, (c) => ({ jobs: [...c.leader.jobs.values()].map((j) => jobDetails(c.leader, j)) })],
    ['GET', /^\/jobs\/([^/]+)$/, (c) => jobDetailsInfo(c.leader, jobOf(c))],
    ['GET', /^\/jobs\/([^/]+)\/status$/, (c) => ({ status: jobOf(c).state })],
    ['GET', /^\/jobs\/([^/]+)\/plan$/, (c) => ({ plan: plan(jobOf(c)) })],
    ['GET', /^\/jobs\/([^/]+)\/config$/, (c) => {
      const j = jobOf(c);
      return { jid: j.id, name: j.name, 'execution-config': { 'execution-mode': 'PIPELINED', 'restart-strategy': 'Cluster level default restart strategy', 'job-parallelism': j.parallelism, 'object-reuse-mode': false, 'user-config': {} } };
    }],
    ['GET', /^\/jobs\/([^/]+)\/vertices\/([^/]+)$/, (c) => vertexDetails(c.leader, jobOf(c), c.params[1])],
    ['GET', /^\/jobs\/([^/]+)\/exceptions$/, (c) => exceptionsInfo(c.leader, jobOf(c), Number(c.query.get('maxExceptions') ?? 20))],
    ['GET', /^\/jobs\/([^/]+)\/checkpoints$/, (c) => checkpointing(jobOf(c))],
    ['GET', /^\/jobs\/([^/]+)\/checkpoints\/config$/, (c) => checkpointConfig(jobOf(c))],
    ['GET', /^\/jobs\/([^/]+)\/checkpoints\/details\/(\d+)$/, (c) => {
      const j = jobOf(c);
      const cp = j.checkpoints.find((x) => x.id === Number(c.params[1]));
      if (!cp) throw new RestError(404, `Could not find checkpointing statistics for checkpoint ${c.params[1]}.`);
      return checkpointStat(cp);
    }],
    ['POST', /^\/jobs\/([^/]+)\/checkpoints$/, async (c) => triggerManualCheckpoint(c, await jsonBody(c, 'CheckpointTriggerRequestBody')), 202],
    ['GET', /^\/jobs\/([^/]+)\/checkpoints\/([^/]+)$/, (c) => {
      const op = c.leader.savepointOps.get(`checkpoint:${c.params[0].toLowerCase()}/${c.params[1].toLowerCase()}`);
      if (!op) throw new RestError(404, `There is no checkpoint operation with triggerId=${c.params[1]} for job ${c.params[0]}.`);
      if (op.status === 'IN_PROGRESS') return { status: { id: 'IN_PROGRESS' } };
      // CheckpointInfo is @JsonInclude(NON_NULL): either checkpointId or failureCause
      return { status: { id: 'COMPLETED' }, operation: op.failure ? { failureCause: serializedThrowable(op.failure.className, op.failure.message) } : { checkpointId: op.checkpointId } };
    }],
    ['GET', /^\/jobs\/([^/]+)\/execution-result$/, (c) => {
      const j = jobOf(c);
      if (!GLOBALLY_TERMINAL.includes(j.state)) return { status: { id: 'IN_PROGRESS' } };
      const result: Record<string, unknown> = {
        id: j.id,
        'application-status': j.state === 'FINISHED' ? 'SUCCEEDED' : j.state === 'CANCELED' ? 'CANCELED' : 'FAILED',
        'accumulator-results': {},
        'net-runtime': j.endTime - j.startTime,
      };
      if (j.state === 'FAILED' && j.failureCause) result['failure-cause'] = serializedThrowable(j.failureCause.exceptionName, j.failureCause.message);
      if (versionAtLeast(c.leader.flinkVersion, '2.3')) Object.assign(result, { name: j.name, 'start-time': j.startTime, 'end-time': j.endTime });
      return { status: { id: 'COMPLETED' }, 'job-execution-result': result };
    }],
    ['GET', /^\/jobs\/([^/]+)\/metrics$/, (c) => {
      const m = jobOf(c).metrics();
      const get = c.query.get('get');
      if (!get) return Object.keys(m).map((id) => ({ id }));
      return get.split(',').filter((k) => k in m).map((id) => ({ id, value: m[id] }));
    }],
    ['GET', /^\/jobs\/([^/]+)\/jobmanager\/config$/, (c) => {
      jobOf(c);
      return maskedConfig(c.leader);
    }],
    ['PATCH', /^\/jobs\/([^/]+)$/, (c) => cancel(c), 202],
    ['GET', /^\/jobs\/([^/]+)\/yarn-cancel$/, (c) => cancel(c), 202],
    ['POST', /^\/jobs\/([^/]+)\/stop$/, async (c) => triggerSavepoint(c, await jsonBody(c, 'StopWithSavepointRequestBody'), true), 202],
    ['POST', /^\/jobs\/([^/]+)\/savepoints$/, async (c) => triggerSavepoint(c, await jsonBody(c, 'SavepointTriggerRequestBody'), false), 202],
    ['GET', /^\/jobs\/([^/]+)\/savepoints\/([^/]+)$/, (c) => {
      const key = `${c.params[0].toLowerCase()}/${c.params[1].toLowerCase()}`;
      const op = c.leader.savepointOps.get(key);
      if (!op) throw new RestError(404, `There is no savepoint operation with triggerId=${c.params[1]} for job ${c.params[0]}.`);
      return asyncResult(op);
    }],
    ['GET', /^\/taskmanagers$/, (c) => ({ taskmanagers: c.leader.rm.registered.filter((w) => w.tm).map((w) => tmInfo(c.leader, w, false)) })],
    ['GET', /^\/taskmanagers\/([^/]+)$/, (c) => {
      const id = decodeURIComponent(c.params[0]);
      const w = c.leader.rm.registered.find((x) => x.podName === id && x.tm);
      if (!w) throw new RestError(404, `Could not find TaskExecutor ${id}.`, { javaClass: 'org.apache.flink.runtime.resourcemanager.exceptions.UnknownTaskExecutorException', message: `No TaskExecutor registered under ${id}.` });
      return tmInfo(c.leader, w, true);
    }],
    ['GET', /^\/jobmanager\/config$/, (c) => maskedConfig(c.jm)],
    ['GET', /^\/jobmanager\/environment$/, (c) => ({ jvm: { version: 'OpenJDK 64-Bit Server VM - Eclipse Adoptium - 17', arch: 'amd64', options: [`-Xmx${c.jm.jmSpec.heap}`, `-Xms${c.jm.jmSpec.heap}`, `-XX:MaxMetaspaceSize=${c.jm.jmSpec.metaspace}`] }, classpath: [`/opt/flink/lib/flink-dist-${c.jm.flinkVersion}.jar`] })],
    ['GET', /^\/jobmanager\/logs$/, (c) => ({ logs: [{ name: logFileName(c.jm), size: c.jm.log.lines.reduce((a, l) => a + l.length + 1, 0), mtime: Date.now() }] })],
    ['GET', /^\/jobmanager\/(log|stdout)$/, (c) => ({ __text: c.params[0] === 'log' ? c.jm.log.lines.join('\n') + '\n' : '' })],
    ['GET', /^\/jobmanager\/logs\/([^/]+)$/, (c) => {
      if (decodeURIComponent(c.params[0]) !== logFileName(c.jm)) throw new RestError(404, `Log file ${c.params[0]} does not exist.`);
      return { __text: c.jm.log.lines.join('\n') + '\n' };
    }],
    ['POST', /^\/jars\/upload$/, (c) => {
      session(c);
      return uploadJar(c);
    }],
    ['GET', /^\/jars$/, (c) => {
      session(c);
      return {
        address: c.jm.restAddress,
        files: [...c.jm.jars.values()].reverse().sort((a, b) => b.uploaded - a.uploaded).map((j) => ({ id: j.id, name: j.name, uploaded: j.uploaded, entry: jarEntries(j) })),
      };
    }],
    ['DELETE', /^\/jars\/([^/]+)$/, (c) => {
      session(c);
      const id = decodeURIComponent(c.params[0]);
      const jar = c.jm.jars.get(id);
      if (!jar) throw new RestError(400, `File ${id} does not exist in ${c.jm.uploadDir}.`);
      c.jm.jars.delete(id);
      fs.rmSync(jar.file, { force: true });
      return {};
    }],
    ['POST', /^\/jars\/([^/]+)\/run$/, (c) => {
      session(c);
      return runJar(c);
    }],
    ['POST', /^\/jars\/([^/]+)\/plan$/, (c) => {
      session(c);
      return planJar(c);
    }],
    ['GET', /^\/jars\/([^/]+)\/plan$/, (c) => {
      session(c);
      return planJar(c);
    }],
    ['DELETE', /^\/cluster$/, (c) => {
      const leader = c.leader;
      setTimeout(() => void leader.shutDownCluster('SUCCEEDED'), 20);
      return {};
    }],
  ];
}

function cancel(c: Ctx) {
  const mode = c.query.get('mode');
  if (mode === 'stop') throw new RestError(308, `The termination mode "stop" has been removed. For an ungraceful shutdown, please use "cancel" instead. For a graceful shutdown, please use "jobs/:jobId/stop" instead.`);
  if (mode && mode !== 'cancel') throw new RestError(400, `Bad request, could not parse parameters: Cannot resolve query parameter (mode) from value "${mode}".`);
  const id = c.params[0];
  if (!HEX32.test(id)) throw new RestError(400, `Bad request, could not parse parameters: Cannot resolve path parameter (jobid) from value "${id}".`);
  const job = c.leader.jobs.get(id.toLowerCase());
  if (!job) throw new RestError(404, 'Job could not be found.', { javaClass: 'org.apache.flink.runtime.messages.FlinkJobNotFoundException', message: `Could not find Flink job (${id})` });
  if (GLOBALLY_TERMINAL.includes(job.state)) throw new RestError(409, `Job cancellation failed because the job has already reached another terminal state (${job.state}).`);
  job.cancel();
  return {};
}

/**
 * A small stand-in for Flink's web UI (flink-runtime-web's StaticFileServerHandler serves the
 * Angular app at "/" and "/index.html"): an index.html whose assets and REST calls are relative
 * links, as the real one's are, so it works behind a proxy prefix.
 */
const WEB_UI: Record<string, { type: string; body: string }> = {
  '/index.html': {
    type: 'text/html; charset=UTF-8',
    body: '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Apache Flink Web Dashboard</title>\n<base href="./">\n<link rel="stylesheet" href="styles.css">\n</head>\n<body>\n<h1>Apache Flink Web Dashboard</h1>\n<p id="version">Loading…</p>\n<script src="main.js"></script>\n</body>\n</html>\n',
  },
  '/styles.css': { type: 'text/css; charset=UTF-8', body: 'body { font-family: sans-serif; margin: 2rem; }\nh1 { color: #e6526f; }\n' },
  '/main.js': {
    type: 'application/javascript; charset=UTF-8',
    body: "fetch('config').then(function (r) { return r.json(); }).then(function (c) { document.getElementById('version').textContent = 'Version: ' + c['flink-version']; });\n",
  },
};

const REVISIONS: Record<string, string> = {};
function revisionOf(version: string): string {
  if (!REVISIONS[version]) {
    let h = 0;
    for (const ch of version) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
    REVISIONS[version] = h.toString(16).padStart(8, '0').slice(0, 7);
  }
  return REVISIONS[version];
}

export function createRestHandler(jm: JobManagerProcess): HttpHandler {
  const routes = createRoutes();
  return async (req: IncomingMessage, res: ServerResponse) => {
    const uri = req.url ?? '/';
    const url = new URL(uri, 'http://flink');
    let path = url.pathname.replace(/\/+$/, '') || '/';
    if (path.startsWith('/v1/')) path = path.slice(3);
    const method = (req.method ?? 'GET').toUpperCase();
    try {
      const fault = jm.world.restFaults.get(`${jm.namespace}/${jm.clusterId}`);
      if (fault?.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
      if (fault?.failureRate && Math.random() < fault.failureRate) {
        req.resume();
        return send(res, fault.status ?? 500, { errors: ['Internal server error.', `<Exception on server side:\njava.util.concurrent.CompletionException: java.io.IOException: Injected failure\nEnd of exception on server side>`] });
      }
      const page = method === 'GET' ? WEB_UI[path === '/' ? '/index.html' : path] : undefined;
      if (page) {
        req.resume();
        res.writeHead(200, { 'Content-Type': page.type, 'Content-Length': Buffer.byteLength(page.body) });
        res.end(page.body);
        return;
      }
      let route: Route | undefined;
      let m: RegExpExecArray | null = null;
      for (const r of routes) {
        if (r[0] !== method) continue;
        m = r[1].exec(path);
        if (m) {
          route = r;
          break;
        }
      }
      if (!route || !m) {
        req.resume();
        return send(res, 404, { errors: [`Not found: ${uri}`] });
      }
      const leader = jm.leaderProcess();
      if (!leader) {
        req.resume();
        return send(res, 503, { errors: ['Service temporarily unavailable due to an ongoing leader election. Please refresh.'] });
      }
      const ctx: Ctx = { req, res, jm, leader, params: m.slice(1), query: url.searchParams, uri };
      const out: any = await route[2](ctx);
      if (out && typeof out === 'object' && '__text' in out) {
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=UTF-8', 'Access-Control-Allow-Origin': '*' });
        res.end(out.__text);
        return;
      }
      send(res, route[3] ?? 200, out);
    } catch (e) {
      if (!req.complete) req.resume();
      if (e instanceof RestError) {
        if (e.raw) return send(res, e.status, { errors: e.raw });
        return send(res, e.status, { errors: [stringify(e)] });
      }
      if (e instanceof InvalidJarError) return send(res, 400, { errors: [stringify(new RestError(400, e.message))] });
      jm.log.error(L.rest, `Unhandled exception.`, { javaClass: 'java.lang.RuntimeException', message: (e as Error)?.message ?? String(e) });
      send(res, 500, { errors: ['Internal server error.', `<Exception on server side:\njava.lang.RuntimeException: ${(e as Error)?.message}\nEnd of exception on server side>`] });
    }
  };
}

export { displayPath, joinUri };
