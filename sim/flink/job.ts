// A job as the Dispatcher/JobMaster/scheduler drive it: states, tasks, slots, restarts,
// exceptions, checkpoints and savepoints (simulated time, Flink's state names and messages).
import { randomBytes } from 'node:crypto';
import type { ProgramTemplate } from './examples';
import { Conf } from './config';
import { joinUri } from './fs';
import { L } from './log';
import type { JobManagerProcess } from './jobmanager';
import type { SlotHolder } from './rm';
import { versionAtLeast } from './images';

export type JobStatus = 'INITIALIZING' | 'CREATED' | 'RUNNING' | 'FAILING' | 'FAILED' | 'CANCELLING' | 'CANCELED' | 'FINISHED' | 'RESTARTING' | 'SUSPENDED' | 'RECONCILING';
export const JOB_STATUSES: JobStatus[] = ['INITIALIZING', 'CREATED', 'RUNNING', 'FAILING', 'FAILED', 'CANCELLING', 'CANCELED', 'FINISHED', 'RESTARTING', 'SUSPENDED', 'RECONCILING'];
export type ExecutionState = 'CREATED' | 'SCHEDULED' | 'DEPLOYING' | 'RUNNING' | 'FINISHED' | 'CANCELING' | 'CANCELED' | 'FAILED' | 'RECONCILING' | 'INITIALIZING';
export const EXECUTION_STATES: ExecutionState[] = ['CREATED', 'SCHEDULED', 'DEPLOYING', 'RUNNING', 'FINISHED', 'CANCELING', 'CANCELED', 'FAILED', 'RECONCILING', 'INITIALIZING'];

export const GLOBALLY_TERMINAL: JobStatus[] = ['FINISHED', 'CANCELED', 'FAILED'];

export const hex32 = () => randomBytes(16).toString('hex');

export interface Vertex {
  id: string;
  name: string;
  parallelism: number;
  maxParallelism: number;
  state: ExecutionState;
  startTime: number;
  endTime: number;
}

export interface ExceptionEntry {
  exceptionName: string;
  message: string;
  stacktrace: string;
  timestamp: number;
  taskName?: string;
  endpoint?: string;
  taskManagerId?: string;
}

export interface CheckpointStat {
  id: number;
  status: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  isSavepoint: boolean;
  type: 'CHECKPOINT' | 'SAVEPOINT' | 'SYNC_SAVEPOINT';
  triggerTimestamp: number;
  latestAckTimestamp: number;
  stateSize: number;
  duration: number;
  externalPath?: string;
  failureTimestamp?: number;
  failureMessage?: string;
  numSubtasks: number;
  acked: number;
  /** savepoints: CANONICAL or NATIVE (CheckpointStatistics.savepointFormat) */
  savepointFormat?: 'CANONICAL' | 'NATIVE';
}

export interface AsyncOp {
  status: 'IN_PROGRESS' | 'COMPLETED';
  location?: string;
  /** a manual checkpoint's id (CheckpointInfo.checkpointId) */
  checkpointId?: number;
  failure?: { className: string; message: string };
  created: number;
}

/** What the JobGraph store keeps (written to the HA storage dir as the submitted job graph). */
export interface SubmittedJob {
  jobId: string;
  program: ProgramTemplate;
  parallelism: number;
  config: Record<string, string>;
  savepointPath?: string;
  allowNonRestoredState?: boolean;
  entryClass: string;
  jarPath: string;
  /** 2.3: the application the job belongs to (the JobID's hex for a job submitted on its own) */
  applicationId?: string;
}

function javaException(cls: string, msg: string): string {
  return `${cls}: ${msg}\n\tat org.apache.flink.runtime.executiongraph.failover.ExecutionFailureHandler.handleFailure(ExecutionFailureHandler.java:219)\n\tat org.apache.flink.runtime.scheduler.DefaultScheduler.handleTaskFailure(DefaultScheduler.java:306)\n\tat org.apache.flink.runtime.scheduler.DefaultScheduler.onTaskFailed(DefaultScheduler.java:296)\n`;
}

export class Job implements SlotHolder {
  readonly id: string;
  readonly name: string;
  readonly jobType: 'STREAMING' | 'BATCH';
  readonly vertices: Vertex[];
  readonly parallelism: number;
  readonly conf: Conf;
  state: JobStatus = 'INITIALIZING';
  readonly timestamps: Record<string, number> = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0]));
  startTime: number;
  endTime = -1;
  numRestarts = 0;
  readonly exceptions: ExceptionEntry[] = [];
  readonly checkpoints: CheckpointStat[] = [];
  counts = { restored: 0, total: 0, in_progress: 0, completed: 0, failed: 0 };
  restored?: { id: number; restore_timestamp: number; is_savepoint: boolean; external_path: string };
  nextCheckpointId = 1;
  readonly savepointOps = new Map<string, AsyncOp>();
  slots: { tm: string; count: number }[] = [];
  runningSince = 0;
  downSince = 0;
  failureCause?: ExceptionEntry;
  private timers = new Set<NodeJS.Timeout>();
  private checkpointTimer?: NodeJS.Timeout;
  private slotTimer?: NodeJS.Timeout;
  private restartBackoff = 0;
  private attempt = 0;
  private finishRemainingMs?: number;
  readonly checkpointInterval?: number;
  readonly submitted: SubmittedJob;

  constructor(
    readonly jm: JobManagerProcess,
    submitted: SubmittedJob,
    opts: { recovered?: boolean; restoreFrom?: { id: number; path: string; isSavepoint: boolean } },
  ) {
    this.submitted = submitted;
    this.id = submitted.jobId;
    this.name = submitted.program.jobName;
    this.jobType = submitted.program.jobType;
    this.parallelism = submitted.parallelism;
    const merged = new Map(jm.conf.map);
    for (const [k, v] of Object.entries(submitted.config)) merged.set(k, v);
    this.conf = new Conf(merged);
    this.vertices = submitted.program.vertices.map((v) => ({
      id: hex32(),
      name: v.name,
      parallelism: v.parallelism ?? this.parallelism,
      maxParallelism: 128,
      state: 'CREATED' as ExecutionState,
      startTime: -1,
      endTime: -1,
    }));
    const interval = this.conf.string(['execution.checkpointing.interval']);
    if (interval !== undefined && this.jobType === 'STREAMING') this.checkpointInterval = this.conf.duration('execution.checkpointing.interval', 0) || undefined;
    this.finishRemainingMs = submitted.program.runtimeMs;
    this.startTime = Date.now();
    this.timestamps.INITIALIZING = this.startTime;
    if (opts.restoreFrom) {
      this.restored = { id: opts.restoreFrom.id, restore_timestamp: Date.now(), is_savepoint: opts.restoreFrom.isSavepoint, external_path: opts.restoreFrom.path };
      this.counts.restored = 1;
      this.nextCheckpointId = opts.restoreFrom.id + 1;
    }
  }

  get slotsNeeded(): number {
    return Math.max(...this.vertices.map((v) => v.parallelism));
  }
  get numTasks(): number {
    return this.vertices.reduce((a, v) => a + v.parallelism, 0);
  }
  get isTerminal(): boolean {
    return GLOBALLY_TERMINAL.includes(this.state) || this.state === 'SUSPENDED';
  }
  get log() {
    return this.jm.log;
  }

  private later(ms: number, fn: () => void) {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
    return t;
  }
  private clearTimers() {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.checkpointTimer) clearInterval(this.checkpointTimer);
    this.checkpointTimer = undefined;
    this.slotTimer = undefined;
  }

  private transition(to: JobStatus, cause?: ExceptionEntry) {
    const from = this.state;
    if (from === to) return;
    this.state = to;
    this.timestamps[to] = Date.now();
    const suffix = cause ? '' : '.';
    this.log.info(L.executionGraph, `Job ${this.name} (${this.id}) switched from state ${from} to ${to}${suffix}`);
    if (cause) this.log.raw(`${cause.exceptionName}: ${cause.message}`);
    if (to === 'RUNNING') this.runningSince = Date.now();
    if (to === 'RESTARTING' || to === 'FAILING') this.downSince = Date.now();
    if (GLOBALLY_TERMINAL.includes(to) || to === 'SUSPENDED') {
      this.endTime = GLOBALLY_TERMINAL.includes(to) ? Date.now() : -1;
      this.clearTimers();
      this.releaseSlots();
      this.jm.onJobTerminated(this);
    }
  }

  private setTasks(state: ExecutionState) {
    const now = Date.now();
    for (const v of this.vertices) {
      v.state = state;
      if (state === 'DEPLOYING' && v.startTime < 0) v.startTime = now;
      if (['FINISHED', 'CANCELED', 'FAILED'].includes(state)) v.endTime = now;
      if (['SCHEDULED', 'CREATED'].includes(state)) v.endTime = -1;
    }
  }

  /** Dispatcher: JobMaster created, scheduling starts. */
  start() {
    this.later(this.jm.timing.jobMasterStartMs, () => {
      this.transition('CREATED');
      this.later(this.jm.timing.jobMasterStartMs, () => this.schedule());
    });
  }

  private schedule() {
    if (this.isTerminal) return;
    this.attempt++;
    this.transition('RUNNING');
    this.setTasks('SCHEDULED');
    this.log.info(L.jobMaster, `Requesting ${this.slotsNeeded} slot(s) for job ${this.id}.`);
    const timeout = this.conf.duration('slot.request.timeout', 300000);
    const attempt = this.attempt;
    this.slotTimer = this.later(timeout, () => {
      if (this.attempt !== attempt || this.vertices[0].state !== 'SCHEDULED') return;
      this.jm.rm.cancelRequest(this);
      this.fail(
        'java.util.concurrent.CompletionException',
        `org.apache.flink.runtime.jobmanager.scheduler.NoResourceAvailableException: Slot request bulk is not fulfillable! Could not allocate the required slot within slot request timeout`,
        {},
      );
    });
    this.jm.rm.requestSlots(this);
  }

  /** ResourceManager/SlotPool: all slots of the bulk are there. */
  onSlotsAllocated(slots: { tm: string; count: number }[]) {
    if (this.state !== 'RUNNING' || this.vertices[0].state !== 'SCHEDULED') {
      this.jm.rm.releaseSlots(this.id, slots);
      return;
    }
    this.slots = slots;
    this.setTasks('DEPLOYING');
    for (const v of this.vertices) {
      this.log.info(L.executionGraph, `${v.name} (1/${v.parallelism}) switched from SCHEDULED to DEPLOYING.`);
    }
    const attempt = this.attempt;
    this.later(this.jm.timing.taskDeployMs, () => {
      if (this.attempt !== attempt || this.state !== 'RUNNING') return;
      this.setTasks('INITIALIZING');
      this.later(this.jm.timing.taskDeployMs, () => {
        if (this.attempt !== attempt || this.state !== 'RUNNING') return;
        this.setTasks('RUNNING');
        for (const v of this.vertices) this.log.info(L.executionGraph, `${v.name} (1/${v.parallelism}) switched from INITIALIZING to RUNNING.`);
        this.startCheckpointing();
        if (this.finishRemainingMs !== undefined) {
          this.later(this.finishRemainingMs, () => this.finish());
        }
      });
    });
  }

  /** stop-with-savepoint: the savepoint is taken, then the job finishes */
  finishWithSavepoint() {
    this.finish();
  }

  private finish() {
    if (this.state !== 'RUNNING') return;
    this.setTasks('FINISHED');
    this.transition('FINISHED');
  }

  private startCheckpointing() {
    if (!this.checkpointInterval) return;
    const attempt = this.attempt;
    this.checkpointTimer = setInterval(() => {
      if (this.attempt !== attempt || this.state !== 'RUNNING' || this.vertices.some((v) => v.state !== 'RUNNING')) return;
      void this.triggerCheckpoint(false);
    }, Math.max(this.checkpointInterval, 50));
  }

  get checkpointDir(): string | undefined {
    return this.conf.string(['execution.checkpointing.dir', 'state.checkpoints.dir']);
  }
  get savepointDir(): string | undefined {
    return this.conf.string(['execution.checkpointing.savepoint-dir', 'state.savepoints.dir']);
  }

  /**
   * Takes a checkpoint or savepoint; resolves to its external path. A manual checkpoint may ask for
   * FULL or INCREMENTAL (CheckpointType); a savepoint has its format (CANONICAL or NATIVE) and, for
   * stop-with-savepoint, drain (Terminate Savepoint) or not (Suspend Savepoint).
   */
  async triggerCheckpoint(savepoint: false | { dir: string; sync: boolean; format?: 'CANONICAL' | 'NATIVE'; drain?: boolean }, checkpointType: 'CONFIGURED' | 'FULL' | 'INCREMENTAL' = 'CONFIGURED'): Promise<string> {
    const id = this.nextCheckpointId++;
    const stat: CheckpointStat = {
      id,
      status: 'IN_PROGRESS',
      isSavepoint: !!savepoint,
      type: savepoint ? (savepoint.sync ? 'SYNC_SAVEPOINT' : 'SAVEPOINT') : 'CHECKPOINT',
      triggerTimestamp: Date.now(),
      latestAckTimestamp: -1,
      stateSize: 0,
      duration: 0,
      numSubtasks: this.numTasks,
      acked: 0,
      ...(savepoint ? { savepointFormat: savepoint.format ?? 'CANONICAL' } : {}),
    };
    this.checkpoints.unshift(stat);
    if (this.checkpoints.length > 10) this.checkpoints.length = 10;
    this.counts.total++;
    this.counts.in_progress++;
    let type: string;
    if (savepoint) {
      const [name, action] = !savepoint.sync ? ['Savepoint', 'NONE'] : savepoint.drain ? ['Terminate Savepoint', 'TERMINATE'] : ['Suspend Savepoint', 'SUSPEND'];
      type = `SavepointType{name='${name}', postCheckpointAction=${action}, formatType=${savepoint.format ?? 'CANONICAL'}}`;
    } else if (checkpointType === 'FULL') type = "CheckpointType{name='Full Checkpoint', sharingFilesStrategy=FORWARD}";
    else type = "CheckpointType{name='Checkpoint', sharingFilesStrategy=FORWARD_BACKWARD}";
    this.log.info(L.checkpointCoordinator, `Triggering ${savepoint ? 'savepoint' : 'checkpoint'} ${id} (type=${type}) @ ${stat.triggerTimestamp} for job ${this.id}.`);
    await new Promise((r) => this.later(this.jm.timing.checkpointMs, () => r(undefined)));
    this.counts.in_progress--;
    let external: string;
    if (savepoint) {
      external = joinUri(savepoint.dir, `savepoint-${this.id.slice(0, 6)}-${randomBytes(6).toString('hex')}`);
    } else if (this.checkpointDir) {
      external = joinUri(this.checkpointDir, this.id, `chk-${id}`);
    } else {
      external = '<checkpoint-not-externally-addressable>';
    }
    if (!external.startsWith('<')) this.jm.world.fs.write(joinUri(external, '_metadata'), JSON.stringify({ jobId: this.id, checkpointId: id, savepoint: !!savepoint }));
    stat.status = 'COMPLETED';
    stat.latestAckTimestamp = Date.now();
    stat.duration = stat.latestAckTimestamp - stat.triggerTimestamp;
    stat.stateSize = 4096 + 128 * id;
    stat.acked = stat.numSubtasks;
    stat.externalPath = displayPath(external);
    this.counts.completed++;
    this.log.info(L.checkpointCoordinator, `Completed checkpoint ${id} for job ${this.id} (${stat.stateSize} bytes, checkpointDuration=${stat.duration} ms, finalizationTime=0 ms).`);
    await this.jm.onCheckpointCompleted(this, stat);
    return stat.externalPath;
  }

  /** Failure of a task or the job (restart strategy decides). */
  fail(exceptionName: string, message: string, where: { taskName?: string; endpoint?: string; taskManagerId?: string }) {
    if (this.isTerminal || this.state === 'CANCELLING' || this.state === 'FAILING') return;
    const entry: ExceptionEntry = {
      exceptionName,
      message,
      stacktrace: javaException(exceptionName, message),
      timestamp: Date.now(),
      ...where,
    };
    this.exceptions.unshift(entry);
    if (this.exceptions.length > this.conf.int('web.exception-history-size', 16)) this.exceptions.pop();
    this.jm.rm.cancelRequest(this);
    const delay = this.restartDelay();
    if (this.checkpointTimer) clearInterval(this.checkpointTimer);
    this.checkpointTimer = undefined;
    if (delay !== undefined) {
      this.numRestarts++;
      this.setTasks('CANCELED');
      this.transition('RESTARTING', entry);
      this.later(delay, () => {
        if (this.state !== 'RESTARTING') return;
        this.releaseSlots();
        this.setTasks('CREATED');
        this.schedule();
      });
    } else {
      this.failureCause = entry;
      this.setTasks('FAILED');
      this.transition('FAILING', entry);
      this.later(this.jm.timing.taskDeployMs, () => this.transition('FAILED'));
    }
  }

  /** RestartBackoffTimeStrategy: delay in ms, or undefined when no restart is allowed. */
  private restartDelay(): number | undefined {
    const type = (this.conf.string(['restart-strategy.type', 'restart-strategy']) ?? (this.checkpointInterval ? 'exponential-delay' : 'none')).toLowerCase();
    if (['none', 'off', 'disable'].includes(type)) return undefined;
    if (['fixed-delay', 'fixeddelay'].includes(type)) {
      const attempts = this.conf.int('restart-strategy.fixed-delay.attempts', 1);
      if (this.numRestarts >= attempts) return undefined;
      return this.conf.duration('restart-strategy.fixed-delay.delay', 1000);
    }
    if (['failure-rate', 'failurerate'].includes(type)) return this.conf.duration('restart-strategy.failure-rate.delay', 1000);
    const initial = this.conf.duration('restart-strategy.exponential-delay.initial-backoff', 1000);
    const max = this.conf.duration('restart-strategy.exponential-delay.max-backoff', 60000);
    const mult = this.conf.double('restart-strategy.exponential-delay.backoff-multiplier', 1.5);
    const attempts = this.conf.int('restart-strategy.exponential-delay.attempts-before-reset-backoff', Number.MAX_SAFE_INTEGER);
    if (this.numRestarts >= attempts) return undefined;
    this.restartBackoff = this.restartBackoff ? Math.min(max, Math.floor(this.restartBackoff * mult)) : initial;
    return this.restartBackoff;
  }

  cancel() {
    if (this.isTerminal) return;
    this.jm.rm.cancelRequest(this);
    this.setTasks('CANCELING');
    this.transition('CANCELLING');
    this.later(this.jm.timing.taskDeployMs, () => {
      this.setTasks('CANCELED');
      this.transition('CANCELED');
    });
  }

  suspend() {
    if (this.isTerminal) return;
    this.jm.rm.cancelRequest(this);
    this.transition('SUSPENDED');
  }

  /** A TaskManager this job had slots on is gone. */
  onTaskManagerLost(tm: string, endpoint: string) {
    if (!this.slots.some((s) => s.tm === tm)) return;
    this.slots = this.slots.filter((s) => s.tm !== tm);
    const v = this.vertices[0];
    this.fail('org.apache.flink.runtime.jobmaster.JobMasterException', `TaskManager with id ${tm} is no longer reachable.`, {
      taskName: `${v.name} (1/${v.parallelism})`,
      endpoint,
      taskManagerId: tm,
    });
  }

  releaseSlots() {
    if (this.slots.length) this.jm.rm.releaseSlots(this.id, this.slots);
    this.slots = [];
  }

  metrics(): Record<string, string> {
    const now = Date.now();
    const last = this.checkpoints.find((c) => c.status === 'COMPLETED' && !c.isSavepoint);
    const m: Record<string, string> = {
      numRestarts: String(this.numRestarts),
      uptime: String(this.state === 'RUNNING' ? now - this.runningSince : 0),
      downtime: String(this.state === 'RESTARTING' || this.state === 'FAILING' ? now - this.downSince : 0),
      restartingTime: String(this.state === 'RESTARTING' ? now - this.downSince : 0),
      numberOfCompletedCheckpoints: String(this.counts.completed),
      numberOfFailedCheckpoints: String(this.counts.failed),
      numberOfInProgressCheckpoints: String(this.counts.in_progress),
      totalNumberOfCheckpoints: String(this.counts.total),
      lastCheckpointDuration: String(last ? last.duration : -1),
      lastCheckpointSize: String(last ? last.stateSize : -1),
      lastCheckpointFullSize: String(last ? last.stateSize : -1),
      lastCheckpointRestoreTimestamp: String(this.restored ? this.restored.restore_timestamp : -1),
      lastCheckpointExternalPath: last?.externalPath ?? 'n/a',
    };
    if (!versionAtLeast(this.jm.flinkVersion, '2.0')) m.fullRestarts = String(this.numRestarts);
    return m;
  }
}

/** Flink prints paths through org.apache.flink.core.fs.Path: file:///x -> file:/x; /x -> file:/x. */
export function displayPath(uri: string): string {
  if (uri.startsWith('<')) return uri;
  if (uri.startsWith('file:///')) return 'file:/' + uri.slice('file:///'.length);
  if (uri.startsWith('/')) return 'file:' + uri;
  return uri;
}
