// A simulated Flink JobManager in native Kubernetes mode (KubernetesSessionClusterEntrypoint /
// KubernetesApplicationClusterEntrypoint): leader election (HA), ResourceManager creating
// TaskManager pods through the API, Dispatcher with jobs, REST endpoint on rest.port.
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ContainerContext, ContainerProcess } from '../kube/runtime';
import { KubeClient, KubeError } from '../kube/client';
import { Conf, IllegalConfigurationException, isKubernetesHa, LoadedConfig } from './config';
import { JobManagerProcessSpec, TaskExecutorProcessSpec } from './memory';
import { FlinkLogger, L } from './log';
import { FLINK_LEADER_ELECTION_DEFAULTS, HaStore, LeaderElector, LEADER_PREFIX, haLabels, pathOfStateHandle } from './ha';
import { ResourceManager } from './rm';
import { Job, SubmittedJob, hex32, GLOBALLY_TERMINAL, CheckpointStat, AsyncOp } from './job';
import { joinUri } from './fs';
import { minorOf, versionAtLeast } from './images';
import type { FlinkWorld } from './world';
import { createRestHandler } from './rest';
import { InvalidJarError, JarInfo, analyseMain, buildsFlinkJob, manifestEntryClass, readJar } from './jar';
import { exampleJars, genericProgram, ProgramTemplate } from './examples';
import { LOG_CONFIG_FILES } from './tm-pod';
import { FlinkApplication } from './application';

export interface JmTiming {
  /**
   * Container start → REST endpoint and leader elector running. A JobManager JVM takes seconds to
   * get there (JVM, RPC and blob services, HA services, web monitor): modelled as 10 s, twice Flink's
   * default leader-election retry period (5 s), so a standby that already runs its elector takes a
   * released lease before a freshly started replacement contends, as on a real cluster.
   */
  startupMs: number;
  jobMasterStartMs: number;
  taskDeployMs: number;
  checkpointMs: number;
}

export const DEFAULT_JM_TIMING: JmTiming = { startupMs: 10_000, jobMasterStartMs: 50, taskDeployMs: 100, checkpointMs: 50 };

export interface UploadedJar {
  id: string;
  name: string;
  uploaded: number;
  /** the path inside the JobManager's container (what Flink reports) */
  path: string;
  /** where the bytes are: a file under the sim's data dir (the container's disk) */
  file: string;
  /** manifest and class names (the central directory); undefined when the file is not a zip */
  info?: JarInfo;
}

export class FlinkError extends Error {
  constructor(
    readonly javaClass: string,
    message: string,
  ) {
    super(message);
  }
}

/** JobID(clusterId.hashCode(), 0).toHexString(): lower part (sign-extended int) then upper part. */
export function applicationJobId(clusterId: string): string {
  let h = 0;
  for (let i = 0; i < clusterId.length; i++) h = (Math.imul(31, h) + clusterId.charCodeAt(i)) | 0;
  const lower = BigInt.asUintN(64, BigInt(h));
  return lower.toString(16).padStart(16, '0') + '0'.repeat(16);
}

const CLASS_OF_MODE = {
  session: 'KubernetesSessionClusterEntrypoint',
  application: 'KubernetesApplicationClusterEntrypoint',
};

export class JobManagerProcess implements ContainerProcess {
  readonly namespace: string;
  readonly clusterId: string;
  readonly conf: Conf;
  readonly log: FlinkLogger;
  readonly client: KubeClient;
  readonly identity = randomUUID();
  readonly ha: boolean;
  readonly rm: ResourceManager;
  readonly jobs = new Map<string, Job>();
  readonly jars = new Map<string, UploadedJar>();
  readonly savepointOps = new Map<string, AsyncOp>();
  /** 2.3: the Dispatcher's applications */
  readonly applications = new Map<string, FlinkApplication>();
  /** web.tmpdir: java.io.tmpdir + "/flink-web-" + UUID (WebOptions.TMP_DIR, ClusterEntrypoint) */
  readonly webTmpDir = `/tmp/flink-web-${randomUUID()}`;
  /** no web.upload.dir: a flink-web-upload directory under web.tmpdir (RestServerEndpointConfiguration) */
  readonly uploadDir = `${this.webTmpDir}/flink-web-upload`;
  readonly restPort: number;
  readonly startedAt = Date.now();
  isLeader = false;
  leaderSessionId?: string;
  stopped = false;
  restStarted = false;
  haStore?: HaStore;
  elector?: LeaderElector;
  private jobMasterCounter = 1;
  private shuttingDown = false;
  private timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly world: FlinkWorld,
    readonly ctx: ContainerContext,
    readonly flinkVersion: string,
    readonly mode: 'session' | 'application',
    readonly loaded: LoadedConfig,
    readonly jmSpec: JobManagerProcessSpec,
    readonly tmSpec: TaskExecutorProcessSpec,
    readonly timing: JmTiming,
  ) {
    this.conf = new Conf(loaded.conf);
    this.log = new FlinkLogger((l) => ctx.log(l));
    this.namespace = this.conf.string('kubernetes.namespace', 'default')!;
    this.clusterId = this.conf.string('kubernetes.cluster-id')!;
    this.ha = isKubernetesHa(this.conf);
    this.client = new KubeClient({ server: ctx.apiServerUrl, token: ctx.serviceAccountToken ?? '', userAgent: this.conf.string('kubernetes.client.user-agent', 'flink')! });
    this.rm = new ResourceManager(this);
    this.restPort = this.conf.int(['rest.bind-port', 'rest.port'], 8081);
    if (this.ha) {
      // KubernetesEntrypointUtils.loadConfiguration: with HA the JM advertises its pod IP
      this.conf.map.set('jobmanager.rpc.address', this.podIP);
      this.conf.map.set('rest.address', this.podIP);
    }
  }

  get podIP() {
    return this.ctx.env._POD_IP_ADDRESS || this.ctx.podIP;
  }
  /** The container's own disk: a folder under the sim's data dir, gone with the process. */
  get localDir(): string {
    return path.join(this.world.sim.dataDir, 'flink-containers', this.namespace, `${this.ctx.podName}-${this.identity.slice(0, 8)}`);
  }
  /** Where a path of the container's file system is kept on the sim's disk. */
  localPath(containerPath: string): string {
    return path.join(this.localDir, ...containerPath.split('/').filter((p) => p && p !== '.' && p !== '..'));
  }
  get confFileName() {
    return this.loaded.fileName;
  }
  get logFiles(): string[] {
    const dir = this.conf.string('kubernetes.flink.conf.dir', '/opt/flink/conf')!.replace(/\/$/, '');
    return LOG_CONFIG_FILES.filter((f) => this.ctx.files[`${dir}/${f}`] !== undefined);
  }
  get entrypointClass() {
    return `org.apache.flink.kubernetes.entrypoint.${CLASS_OF_MODE[this.mode]}`;
  }
  get rpcAddress() {
    return `pekko.tcp://flink@${this.podIP}:${this.conf.int('jobmanager.rpc.port', 6123)}`;
  }
  get restAddress() {
    return `http://${this.podIP}:${this.restPort}`;
  }

  later(ms: number, fn: () => void) {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.stopped) fn();
    }, ms);
    this.timers.add(t);
  }

  /** `-D` properties for TaskManager pods: what differs from the mounted file, plus the resource id. */
  tmDynamicProperties(podName: string): Map<string, string> {
    const m = new Map<string, string>();
    for (const [k, v] of this.loaded.dynamic) m.set(k, v);
    m.set('jobmanager.memory.off-heap.size', `${this.jmSpec.offHeap}b`);
    m.set('jobmanager.memory.jvm-overhead.min', `${this.jmSpec.overhead}b`);
    m.set('jobmanager.memory.jvm-metaspace.size', `${this.jmSpec.metaspace}b`);
    m.set('jobmanager.memory.heap.size', `${this.jmSpec.heap}b`);
    m.set('jobmanager.memory.jvm-overhead.max', `${this.jmSpec.overhead}b`);
    if (this.ha) {
      m.set('jobmanager.rpc.address', this.podIP);
      m.set('rest.address', this.podIP);
    }
    m.set('taskmanager.resource-id', podName);
    return m;
  }

  banner() {
    const l = this.log;
    const cls = CLASS_OF_MODE[this.mode];
    l.info(L.entrypoint, '--------------------------------------------------------------------------------');
    l.info(L.entrypoint, ` Starting ${cls} (Version: ${this.flinkVersion}, Scala: 2.12, Rev:${randomBytes(4).toString('hex').slice(0, 7)}, Date:${new Date(0).toISOString()})`);
    l.info(L.entrypoint, ' OS current user: flink');
    l.info(L.entrypoint, ' Current Hadoop/Kerberos user: <no hadoop dependency found>');
    l.info(L.entrypoint, ` JVM: OpenJDK 64-Bit Server VM - Eclipse Adoptium - ${versionAtLeast(this.flinkVersion, '2.0') ? '17/17.0.12+7' : '11/11.0.24+8'}`);
    l.info(L.entrypoint, ` Maximum heap size: ${Math.floor(this.jmSpec.heap / 1048576)} MiBytes`);
    l.info(L.entrypoint, ' JAVA_HOME: /opt/java/openjdk');
    l.info(L.entrypoint, ' No Hadoop Dependency available');
    l.info(L.entrypoint, ' JVM Options:');
    l.info(L.entrypoint, `    -Xmx${this.jmSpec.heap}`);
    l.info(L.entrypoint, `    -Xms${this.jmSpec.heap}`);
    l.info(L.entrypoint, `    -XX:MaxMetaspaceSize=${this.jmSpec.metaspace}`);
    l.info(L.entrypoint, '    -Dlog4j.configurationFile=file:/opt/flink/conf/log4j-console.properties');
    l.info(L.entrypoint, ' Program Arguments:');
    for (const [k, v] of this.loaded.dynamic) {
      l.info(L.entrypoint, '    -D');
      l.info(L.entrypoint, `    ${k}=${v}`);
    }
    l.info(L.entrypoint, ' Classpath: /opt/flink/lib/flink-dist-' + this.flinkVersion + '.jar:::');
    l.info(L.entrypoint, '--------------------------------------------------------------------------------');
    l.info(L.entrypoint, 'Registered UNIX signal handlers for [TERM, HUP, INT]');
    for (const [k, v] of this.conf.entries()) {
      const shown = /password|secret|token|key/i.test(k) && !/keytab/i.test(k) ? '******' : v;
      l.info(L.globalConf, `Loading configuration property: ${k}, ${shown}`);
    }
  }

  async start(): Promise<void> {
    this.world.jobManagers.add(this);
    this.ctx.signal.addEventListener('abort', () => setTimeout(() => void this.stop(0), 0));
    this.banner();
    // kubernetes-jobmanager.sh passes the memory BashJavaUtils derived as -D dynamic properties, and
    // ClusterEntrypoint.generateClusterConfiguration sets the unique web.tmpdir: all in /jobmanager/config.
    for (const [k, v] of [
      ['jobmanager.memory.off-heap.size', `${this.jmSpec.offHeap}b`],
      ['jobmanager.memory.jvm-overhead.min', `${this.jmSpec.overhead}b`],
      ['jobmanager.memory.jvm-metaspace.size', `${this.jmSpec.metaspace}b`],
      ['jobmanager.memory.heap.size', `${this.jmSpec.heap}b`],
      ['jobmanager.memory.jvm-overhead.max', `${this.jmSpec.overhead}b`],
      ['web.tmpdir', this.webTmpDir],
    ]) {
      this.conf.map.set(k, v);
    }
    this.log.info(L.entrypoint, `Starting ${CLASS_OF_MODE[this.mode]}.`);
    this.log.info(L.entrypoint, 'Install default filesystem.');
    this.log.info(L.entrypoint, 'Initializing cluster services.');
    if (this.ha) {
      this.log.info(L.haServices, `Create KubernetesLeaderElectionHaServices for cluster ${this.clusterId} with lock identity ${this.identity}.`);
    }
    this.later(this.timing.startupMs, () => void this.startServices());
  }

  private async startServices() {
    // REST endpoint first: standbys answer through the leader, 503 while no leader is known.
    this.log.info(L.rest, 'Starting rest endpoint.');
    this.ctx.listen(this.restPort, createRestHandler(this));
    this.restStarted = true;
    this.log.info(L.rest, `Rest endpoint listening at ${this.podIP}:${this.restPort}`);
    if (!this.ha) {
      this.grantLeadership();
      return;
    }
    const leaseMs = this.conf.duration('high-availability.kubernetes.leader-election.lease-duration', FLINK_LEADER_ELECTION_DEFAULTS.leaseMs);
    const renewDeadlineMs = this.conf.duration('high-availability.kubernetes.leader-election.renew-deadline', FLINK_LEADER_ELECTION_DEFAULTS.renewDeadlineMs);
    const retryMs = this.conf.duration('high-availability.kubernetes.leader-election.retry-period', FLINK_LEADER_ELECTION_DEFAULTS.retryMs);
    this.haStore = new HaStore(this.client, this.namespace, this.clusterId, this.flinkVersion, this.identity, this.conf.int('kubernetes.transactional-operation.max-retries', versionAtLeast(this.flinkVersion, '1.20') ? 15 : 5));
    const labels = versionAtLeast(this.flinkVersion, '1.19') ? haLabels(this.clusterId, this.flinkVersion) : undefined;
    this.elector = new LeaderElector(this.client, this.namespace, `${this.clusterId}-cluster-config-map`, this.identity, { leaseMs, renewDeadlineMs, retryMs }, labels, {
      onStartLeading: () => this.grantLeadership(),
      onStopLeading: () => this.revokeLeadership(),
      onNewLeader: (id) => {
        if (id && id !== this.identity) this.log.info(L.k8sLeaderElector, `New leader elected ${id} for ${this.clusterId}-cluster-config-map.`);
      },
      isPaused: () => this.renewalPaused,
      onError: (e) => {
        const msg = e instanceof KubeError ? e.message : (e as Error).message;
        this.log.warn(L.k8sLeaderElector, `Exception occurred while acquiring or renewing the leader lock: ${msg}`);
      },
    });
    this.elector.run();
  }

  /** Leader-lease renewal can be paused from the control API (a stuck or partitioned leader). */
  get renewalPaused() {
    return this.world.pausedLeases.has(`${this.ctx.namespace}/${this.ctx.podName}`);
  }

  private grantLeadership() {
    if (this.stopped || this.isLeader) return;
    this.isLeader = true;
    this.leaderSessionId = randomUUID();
    const sid = this.leaderSessionId;
    this.log.info(L.rest, `${this.restAddress} was granted leadership with leaderSessionID=${sid}`);
    this.log.info(L.rm, `ResourceManager ${this.rpcAddress}/user/rpc/resourcemanager_0 was granted leadership with fencing token ${sid.replace(/-/g, '')}`);
    this.log.info('org.apache.flink.runtime.dispatcher.runner.DefaultDispatcherRunner', `DefaultDispatcherRunner was granted leadership with leader id ${sid}. Creating new DispatcherLeaderProcess.`);
    void (async () => {
      if (this.haStore) {
        await this.haStore.publishLeader('restserver', sid, this.restAddress).catch(() => undefined);
        await this.haStore.publishLeader('resourcemanager', sid, `${this.rpcAddress}/user/rpc/resourcemanager_0`).catch(() => undefined);
        await this.haStore.publishLeader('dispatcher', sid, `${this.rpcAddress}/user/rpc/dispatcher_1`).catch(() => undefined);
      }
      await this.rm.start();
      if (!this.isLeader || this.stopped) return;
      const recovered = await this.recoverJobs();
      if (this.mode === 'application') await this.runApplication(recovered);
    })();
  }

  private revokeLeadership() {
    if (!this.isLeader) return;
    this.isLeader = false;
    this.log.info(L.rest, `${this.restAddress} lost leadership`);
    this.log.info(L.rm, `ResourceManager ${this.rpcAddress}/user/rpc/resourcemanager_0 was revoked leadership. Clearing fencing token.`);
    for (const job of this.jobs.values()) job.suspend();
    this.jobs.clear();
    this.savepointOps.clear();
    this.applications.clear();
    this.rm.stop();
    (this as { rm: ResourceManager }).rm = new ResourceManager(this);
  }

  // ---------------------------------------------------------------- Dispatcher

  private async recoverJobs(): Promise<Set<string>> {
    const recovered = new Set<string>();
    if (!this.haStore) return recovered;
    const data = await this.haStore.readClusterData().catch(() => undefined);
    if (!data) return recovered;
    const prefix = this.haStore.jobGraphPrefix;
    const ids = Object.keys(data).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
    this.log.info('org.apache.flink.runtime.dispatcher.runner.SessionDispatcherLeaderProcess', `Recover all persisted job graphs that are not finished, yet.`);
    for (const jobId of ids) {
      const path = pathOfStateHandle(data[prefix + jobId]);
      const bytes = path ? this.world.fs.read(path) : undefined;
      if (!bytes) {
        this.log.warn('org.apache.flink.runtime.dispatcher.runner.SessionDispatcherLeaderProcess', `Could not recover job graph ${jobId}: the state handle ${path} could not be read.`);
        continue;
      }
      const submitted = JSON.parse(bytes.toString('utf8')) as SubmittedJob;
      let restoreFrom: { id: number; path: string; isSavepoint: boolean } | undefined;
      const jobData = await this.haStore.readJobData(jobId).catch(() => undefined);
      const cpKeys = Object.keys(jobData ?? {}).filter((k) => k.startsWith('checkpointID-')).sort();
      if (cpKeys.length) {
        const handle = pathOfStateHandle(jobData![cpKeys[cpKeys.length - 1]]);
        const meta = handle ? this.world.fs.read(handle) : undefined;
        if (meta) {
          const cp = JSON.parse(meta.toString('utf8'));
          restoreFrom = { id: cp.id, path: cp.externalPath, isSavepoint: false };
        }
      } else if (submitted.savepointPath) {
        restoreFrom = { id: 0, path: submitted.savepointPath, isSavepoint: true };
      }
      this.log.info('org.apache.flink.runtime.dispatcher.runner.SessionDispatcherLeaderProcess', `Successfully recovered ${prefix === 'jobGraph-' ? 'JobGraph' : 'ExecutionPlan'} ${jobId}.`);
      if (restoreFrom) this.log.info(L.checkpointCoordinator, `Restoring job ${jobId} from Checkpoint ${restoreFrom.id} @ ${Date.now()} for ${jobId} located at ${restoreFrom.path}.`);
      this.startJob(submitted, { recovered: true, restoreFrom });
      recovered.add(jobId);
    }
    return recovered;
  }

  /** Dispatcher.submitJob */
  async submitJob(submitted: SubmittedJob): Promise<void> {
    const existing = this.jobs.get(submitted.jobId);
    if (existing) throw new FlinkError('org.apache.flink.runtime.client.DuplicateJobSubmissionException', 'Job has already been submitted.');
    if (this.hasApplications) {
      // 2.3: a job submitted on its own runs as a SingleJobApplication with the JobID as ApplicationID
      const app = submitted.applicationId ? this.applications.get(submitted.applicationId) : undefined;
      if (app) app.jobIds.push(submitted.jobId);
      else {
        const single = new FlinkApplication(submitted.jobId, `SingleJobApplication(${submitted.program.jobName})`, 'single-job');
        single.jobIds.push(submitted.jobId);
        single.transition('RUNNING');
        this.applications.set(single.id, single);
        submitted.applicationId = single.id;
      }
    }
    this.log.info(L.dispatcher, `Received JobGraph submission '${submitted.program.jobName}' (${submitted.jobId}).`);
    this.log.info(L.dispatcher, `Submitting job '${submitted.program.jobName}' (${submitted.jobId}).`);
    if (this.haStore) {
      const storageDir = this.conf.string(['high-availability.storageDir', 'high-availability.storage-path'])!;
      const file = joinUri(storageDir, this.clusterId, `${versionAtLeast(this.flinkVersion, '2.0') ? 'submittedExecutionPlan' : 'submittedJobGraph'}${randomBytes(6).toString('hex')}`);
      this.world.fs.write(file, JSON.stringify(submitted));
      await this.haStore.putJobGraph(submitted.jobId, file);
      await this.haStore.ensureJobConfigMap(submitted.jobId).catch(() => undefined);
    }
    let restoreFrom: { id: number; path: string; isSavepoint: boolean } | undefined;
    if (submitted.savepointPath) {
      restoreFrom = { id: 0, path: submitted.savepointPath, isSavepoint: true };
      this.log.info(L.checkpointCoordinator, `Starting job ${submitted.jobId} from savepoint ${submitted.savepointPath} (${submitted.allowNonRestoredState ? 'allowing non restored state' : ''})`);
    }
    this.startJob(submitted, { restoreFrom });
  }

  private startJob(submitted: SubmittedJob, opts: { recovered?: boolean; restoreFrom?: { id: number; path: string; isSavepoint: boolean } }) {
    const job = new Job(this, submitted, opts);
    this.jobs.set(job.id, job);
    const jmAddress = `${this.rpcAddress}/user/rpc/jobmanager_${++this.jobMasterCounter}`;
    this.log.info(L.jobMaster, `Initializing job '${job.name}' (${job.id}).`);
    if (this.haStore && this.leaderSessionId) {
      const key = versionAtLeast(this.flinkVersion, '1.19') ? `job-${job.id}` : job.id;
      void this.haStore.publishLeader(key, this.leaderSessionId, jmAddress).catch(() => undefined);
      if (opts.restoreFrom) void this.haStore.setCounter(job.id, job.nextCheckpointId).catch(() => undefined);
    }
    job.start();
  }

  async onCheckpointCompleted(job: Job, stat: CheckpointStat) {
    if (!this.haStore || stat.isSavepoint) return;
    const storageDir = this.conf.string(['high-availability.storageDir', 'high-availability.storage-path'])!;
    const file = joinUri(storageDir, this.clusterId, `completedCheckpoint${randomBytes(6).toString('hex')}`);
    this.world.fs.write(file, JSON.stringify({ id: stat.id, externalPath: stat.externalPath, jobId: job.id }));
    await this.haStore.addCheckpoint(job.id, stat.id, file, job.conf.int(['execution.checkpointing.num-retained', 'state.checkpoints.num-retained'], 1)).catch(() => undefined);
  }

  /** Flink 2.3 keeps applications (FLIP-549): /applications, run-application, application-id. */
  get hasApplications(): boolean {
    return versionAtLeast(this.flinkVersion, '2.3');
  }

  onJobTerminated(job: Job) {
    if (!GLOBALLY_TERMINAL.includes(job.state)) return;
    const app = job.submitted.applicationId ? this.applications.get(job.submitted.applicationId) : undefined;
    app?.onJobTerminated(job, this.jobs);
    this.log.info(L.dispatcher, `Job ${job.id} reached terminal state ${job.state}.`);
    if (this.haStore) {
      const store = this.haStore;
      const key = versionAtLeast(this.flinkVersion, '1.19') ? `job-${job.id}` : job.id;
      void (async () => {
        await store.removeJobGraph(job.id).catch(() => undefined);
        await store.deleteJobConfigMap(job.id).catch(() => undefined);
        await store.removeLeader(key).catch(() => undefined);
      })();
    }
    if (this.mode === 'application' && [...this.jobs.values()].every((j) => GLOBALLY_TERMINAL.includes(j.state))) {
      const status = job.state === 'FINISHED' ? 'SUCCEEDED' : job.state === 'CANCELED' ? 'CANCELED' : 'FAILED';
      this.log.info(L.appBootstrap, `Application ${status === 'SUCCEEDED' ? 'completed SUCCESSFULLY' : status}`);
      if (this.conf.bool('execution.shutdown-on-application-finish', true)) this.later(50, () => void this.shutDownCluster(status));
    }
  }

  // ---------------------------------------------------------------- application mode

  /** Resolves an application/job program from a jar path in the image or a fetched artifact. */
  resolveImageJar(path: string): { program?: ProgramTemplate; info?: JarInfo; exists: boolean; entryClass?: string } {
    const ex = exampleJars(this.flinkVersion).find((e) => e.path === path);
    if (ex) return { program: ex.program, exists: true };
    const custom = [...this.world.customImages.values()].find((c) => c.image === this.ctx.image || c.image.endsWith(this.ctx.image));
    const cj = custom?.jars.find((j) => j.path === path);
    // a real jar: runApplication reads its manifest and class files like any fetched jar
    if (cj?.bytes) return { exists: true, info: readJar(cj.bytes), entryClass: cj.entryClass };
    if (cj) return { program: cj.entryClass ? genericProgram(cj.entryClass) : undefined, exists: true, info: { manifest: cj.entryClass ? { 'Main-Class': cj.entryClass } : {}, classes: new Set(cj.entryClass ? [cj.entryClass] : []) } };
    return { exists: false };
  }

  private async runApplication(recovered: Set<string>) {
    const jars = this.conf.list('pipeline.jars') ?? [];
    const fail = (msg: string, cls = 'org.apache.flink.client.program.ProgramInvocationException') => {
      this.log.error(L.k8sApp, 'Could not create application program.', { javaClass: cls, message: msg });
      this.stopped = true;
      this.ctx.exit(1);
    };
    if (jars.length !== 1) return fail('Should only have one jar', 'java.lang.IllegalArgumentException');
    const uri = jars[0];
    let program: ProgramTemplate | undefined;
    let info: JarInfo | undefined;
    let imageEntryClass: string | undefined;
    const main = this.conf.string('$internal.application.main');
    if (uri.startsWith('local://')) {
      const path = uri.slice('local://'.length);
      let r: ReturnType<JobManagerProcess['resolveImageJar']>;
      try {
        r = this.resolveImageJar(path);
      } catch (e) {
        // PackagedProgram: JarUtils.checkJarFile cannot open it as a jar
        if (e instanceof InvalidJarError) return fail(`Error while opening jar file '${path}'`);
        throw e;
      }
      if (!r.exists) return fail(`JAR file does not exist '${path}'`);
      program = r.program;
      info = r.info;
      imageEntryClass = r.entryClass;
    } else if (/^https?:\/\//.test(uri)) {
      if (uri.startsWith('http://') && !this.conf.bool('user.artifacts.raw-http-enabled', false)) {
        return fail(`Artifact fetching from raw HTTP endpoints are disabled. Set the 'user.artifacts.raw-http-enabled' property to override.`, 'java.lang.IllegalArgumentException');
      }
      const art = this.world.artifacts.get(uri);
      if (!art || art.status !== 200) return fail(`Failed to fetch ${uri}: HTTP ${art?.status ?? 404}`, 'org.apache.flink.util.FlinkException');
      try {
        info = readJar(art.body);
      } catch (e) {
        return fail(`Could not read jar ${uri}: ${(e as Error).message}`);
      }
    } else {
      return fail(`Could not find a file system implementation for scheme '${uri.split(':')[0]}'. The scheme is not directly supported by Flink and no Hadoop file system to support this scheme could be loaded.`, 'org.apache.flink.core.fs.UnsupportedFileSystemSchemeException');
    }
    const entryClass = main ?? imageEntryClass ?? (program ? program.mainClass : info ? manifestEntryClass(info.manifest) : undefined);
    if (!entryClass) return fail(`Neither a 'Main-Class', nor a 'program-class' entry was found in the jar file.`);
    if (info && !info.classes.has(entryClass)) return fail(`The program's entry point class '${entryClass}' was not found in the jar file.`);
    if (!program) program = genericProgram(entryClass, info ? analyseMain(info, entryClass).jobName : undefined);
    let jobId = this.conf.string('$internal.pipeline.job-id');
    if (!jobId) jobId = this.ha ? applicationJobId(this.conf.string('high-availability.cluster-id', this.clusterId)!) : hex32();
    let app: FlinkApplication | undefined;
    if (this.hasApplications) {
      // the sim gives the application cluster's PackagedProgramApplication the JobID's hex as its id
      app = this.applications.get(jobId) ?? new FlinkApplication(jobId, entryClass, 'program');
      this.applications.set(app.id, app);
      app.transition('RUNNING');
      if (!app.jobIds.includes(jobId) && recovered.has(jobId)) app.jobIds.push(jobId);
    }
    if (info && !buildsFlinkJob(info, entryClass)) return this.applicationWithoutJobs(app);
    if (recovered.has(jobId)) {
      this.log.info(L.appBootstrap, `Job ${jobId} was recovered successfully.`);
      return;
    }
    // 1.20 renamed execution.savepoint.path to execution.state-recovery.path (the old key stays as deprecated)
    const newKeys = versionAtLeast(this.flinkVersion, '1.20');
    const savepointPath = this.conf.string(newKeys ? ['execution.state-recovery.path', 'execution.savepoint.path'] : ['execution.savepoint.path']);
    const parallelism = this.conf.int('parallelism.default', 1);
    await this.submitJob({
      jobId,
      program,
      parallelism,
      config: {},
      savepointPath,
      allowNonRestoredState: this.conf.bool(newKeys ? ['execution.state-recovery.ignore-unclaimed-state', 'execution.savepoint.ignore-unclaimed-state'] : ['execution.savepoint.ignore-unclaimed-state'], false),
      entryClass,
      jarPath: uri,
      applicationId: app?.id,
    }).catch((e) => this.log.error(L.appBootstrap, 'Application failed unexpectedly.', { javaClass: (e as FlinkError).javaClass ?? 'java.lang.Exception', message: (e as Error).message }));
  }

  /**
   * The user's main returned without submitting a job. Up to 2.2 ApplicationDispatcherBootstrap
   * fails the application with `ApplicationExecutionException: The application contains no
   * execute() calls.`, logs `Application failed unexpectedly: ` and hands it to the fatal error
   * handler: the JobManager exits with 2 (the Deployment restarts it). From 2.3
   * PackagedProgramApplication fails the application (FAILING → FAILED) and shuts the cluster down
   * with application status FAILED, unless execution.shutdown-on-application-finish is false.
   */
  private applicationWithoutJobs(app?: FlinkApplication) {
    const cause = { javaClass: 'java.util.concurrent.CompletionException', message: 'org.apache.flink.client.deployment.application.ApplicationExecutionException: The application contains no execute() calls.' };
    if (!versionAtLeast(this.flinkVersion, '2.3')) {
      this.log.warn(L.appBootstrap, 'Application failed unexpectedly: ', cause);
      this.log.error(L.entrypoint, 'Fatal error occurred in the cluster entrypoint.', cause);
      for (const job of this.jobs.values()) job.suspend();
      void this.elector?.stop(false);
      this.halt();
      this.ctx.exit(2);
      return;
    }
    this.log.warn('org.apache.flink.client.deployment.application.PackagedProgramApplication', 'Application failed unexpectedly: ', cause);
    app?.fail('org.apache.flink.client.deployment.application.ApplicationExecutionException', 'The application contains no execute() calls.');
    if (this.conf.bool('execution.shutdown-on-application-finish', true)) this.later(50, () => void this.shutDownCluster('FAILED'));
  }

  /** Dispatcher.shutDownCluster → ClusterEntrypoint graceful shutdown with HA cleanup, deregistration. */
  async shutDownCluster(status: 'SUCCEEDED' | 'FAILED' | 'CANCELED') {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.log.info(L.entrypoint, `Shutting ${CLASS_OF_MODE[this.mode]} down with application status ${status}. Diagnostics null.`);
    for (const job of this.jobs.values()) if (!job.isTerminal) job.suspend();
    if (this.haStore) {
      this.haStore.closed = true;
      for (const id of this.jobs.keys()) await this.haStore.deleteJobConfigMap(id).catch(() => undefined);
      await this.elector?.stop(false);
      await this.haStore.deleteClusterConfigMap().catch(() => undefined);
      const storageDir = this.conf.string(['high-availability.storageDir', 'high-availability.storage-path']);
      if (storageDir) this.world.fs.remove(joinUri(storageDir, this.clusterId));
    }
    this.log.info(L.rm, `Shut down cluster because application is in ${status}, diagnostics null.`);
    this.log.info(L.rmDriver, `Deregistering Flink Kubernetes cluster, clusterId: ${this.clusterId}, diagnostics: null`);
    try {
      await this.client.delete(`/apis/apps/v1/namespaces/${encodeURIComponent(this.namespace)}/deployments/${encodeURIComponent(this.clusterId)}`, { propagationPolicy: 'Background' });
    } catch (e) {
      this.log.warn(L.rmDriver, `Could not delete the Deployment ${this.clusterId}: ${(e as Error).message}`);
    }
    this.log.info(L.entrypoint, `Terminating cluster entrypoint process ${CLASS_OF_MODE[this.mode]} with exit code ${status === 'FAILED' ? 1443 : 0}.`);
    this.halt();
    // The JVM takes a while to exit; by then the garbage collector has usually deleted the pod.
    if (!this.ctx.signal.aborted) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 30000);
        t.unref();
        this.ctx.signal.addEventListener('abort', () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    if (!this.ctx.signal.aborted) this.ctx.exit(status === 'FAILED' ? 1443 : 0);
  }

  /** ClusterEntrypoint.onFatalError: log and exit with RUNTIME_FAILURE_RETURN_CODE (2). */
  fatal(message: string, error: { javaClass: string; message: string }) {
    if (this.stopped) return;
    this.log.error(L.rm, message, error);
    this.log.error(L.entrypoint, 'Fatal error occurred in the cluster entrypoint.', error);
    for (const job of this.jobs.values()) job.suspend();
    void this.elector?.stop(false);
    this.halt();
    this.ctx.exit(2);
  }

  private halt() {
    this.stopped = true;
    this.isLeader = false;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.rm.stop();
    if (this.restStarted) this.ctx.unlisten(this.restPort);
    this.world.jobManagers.delete(this);
    // the container's disk goes with it (uploaded jars included)
    fs.rm(this.localDir, { recursive: true, force: true, maxRetries: 3 }, () => undefined);
  }

  async stop(_grace: number): Promise<void> {
    if (this.stopped) return;
    this.log.info(L.entrypoint, 'RECEIVED SIGNAL 15: SIGTERM. Shutting down as requested.');
    this.log.info(L.entrypoint, `Shutting ${CLASS_OF_MODE[this.mode]} down with application status UNKNOWN. Diagnostics Cluster entrypoint has been closed externally..`);
    for (const job of this.jobs.values()) job.suspend();
    const elector = this.elector;
    this.halt();
    // 1.19+ releases the lock on shutdown (withReleaseOnCancel); the HA data itself stays.
    await elector?.stop(versionAtLeast(this.flinkVersion, '1.19') && _grace > 0);
  }

  /** A job from a jar uploaded to this JobManager or any program, submitted to the leader. */
  leaderProcess(): JobManagerProcess | undefined {
    if (this.isLeader) return this;
    if (!this.ha || !this.elector?.observedHolder) return undefined;
    const leader = this.world.jobManagerByIdentity(this.elector.observedHolder);
    return leader?.isLeader ? leader : undefined;
  }

  get minor() {
    return minorOf(this.flinkVersion);
  }
}

export function configError(e: unknown): e is IllegalConfigurationException {
  return e instanceof IllegalConfigurationException;
}

export { LEADER_PREFIX };
