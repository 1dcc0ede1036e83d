// A simulated TaskManager (KubernetesTaskExecutorRunner): reads its config plus `-D` properties,
// finds the leading ResourceManager (non-HA: jobmanager.rpc.address; HA: the leader entry in
// <cid>-cluster-config-map, watched with its own token) and registers its slots there.
import { randomBytes } from 'node:crypto';
import type { ContainerContext, ContainerProcess } from '../kube/runtime';
import { KubeClient, KubeError } from '../kube/client';
import { Conf, isKubernetesHa, LoadedConfig } from './config';
import { TaskExecutorProcessSpec } from './memory';
import { FlinkLogger, L } from './log';
import { LEADER_PREFIX } from './ha';
import type { FlinkWorld } from './world';
import type { JobManagerProcess } from './jobmanager';

export class TaskManagerProcess implements ContainerProcess {
  readonly conf: Conf;
  readonly log: FlinkLogger;
  readonly resourceId: string;
  readonly instanceId = randomBytes(16).toString('hex');
  readonly dataPort = 6121;
  readonly namespace: string;
  readonly clusterId: string;
  lastHeartbeat = Date.now();
  stopped = false;
  private registeredWith?: JobManagerProcess;
  private timer?: NodeJS.Timeout;
  private abort = new AbortController();
  private leaderAddress?: string;
  private readonly client: KubeClient;

  constructor(
    readonly world: FlinkWorld,
    readonly ctx: ContainerContext,
    readonly flinkVersion: string,
    loaded: LoadedConfig,
    readonly spec: TaskExecutorProcessSpec,
  ) {
    this.conf = new Conf(loaded.conf);
    this.log = new FlinkLogger((l) => ctx.log(l));
    this.resourceId = this.conf.string('taskmanager.resource-id') ?? `${ctx.podIP}:6122-${randomBytes(3).toString('hex')}`;
    this.namespace = this.conf.string('kubernetes.namespace', 'default')!;
    this.clusterId = this.conf.string('kubernetes.cluster-id', '')!;
    this.client = new KubeClient({ server: ctx.apiServerUrl, token: ctx.serviceAccountToken ?? '', userAgent: 'flink' });
  }

  get podIP() {
    return this.ctx.podIP;
  }
  get numSlots() {
    return this.spec.numSlots;
  }

  start() {
    this.world.taskManagers.add(this);
    const l = this.log;
    l.info(L.tmRunnerCore, '--------------------------------------------------------------------------------');
    l.info(L.tmRunnerCore, ` Starting Kubernetes TaskExecutor runner (Version: ${this.flinkVersion}, Scala: 2.12)`);
    l.info(L.tmRunnerCore, ' OS current user: flink');
    l.info(L.tmRunnerCore, ` Maximum heap size: ${Math.floor((this.spec.frameworkHeap + this.spec.taskHeap) / 1048576)} MiBytes`);
    l.info(L.tmRunnerCore, '--------------------------------------------------------------------------------');
    l.info(L.tmRunnerCore, 'Registered UNIX signal handlers for [TERM, HUP, INT]');
    l.info(L.taskExecutor, `Starting TaskManager with ResourceID: ${this.resourceId}`);
    l.info('org.apache.flink.runtime.taskexecutor.TaskManagerServices', `Temporary file directory '/tmp': total 100 GB, usable 50 GB (50.00% usable)`);
    l.info(L.taskExecutor, 'Start TaskExecutor.');
    this.ctx.signal.addEventListener('abort', () => this.halt());
    if (isKubernetesHa(this.conf)) void this.watchLeader();
    this.timer = setInterval(() => this.tick(), 200);
    this.tick();
    return this;
  }

  /** HA leader retrieval: watch the cluster ConfigMap's resourcemanager entry (needs configmaps get/list/watch). */
  private async watchLeader() {
    const path = `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/configmaps`;
    const name = `${this.clusterId}-cluster-config-map`;
    const retry = this.conf.duration('high-availability.kubernetes.leader-election.retry-period', 5000);
    while (!this.stopped) {
      try {
        const list = await this.client.list(path, { fieldSelector: `metadata.name=${name}` });
        this.onLeaderData(list.items[0]?.data);
        await this.client.watch(path, { fieldSelector: `metadata.name=${name}`, resourceVersion: list.metadata.resourceVersion }, (ev) => {
          if (ev.type === 'ADDED' || ev.type === 'MODIFIED') this.onLeaderData(ev.object?.data);
          if (ev.type === 'DELETED') this.onLeaderData(undefined);
        }, this.abort.signal);
      } catch (e) {
        if (this.stopped) return;
        if (e instanceof KubeError) {
          this.log.warn(L.leaderRetrieval, `Error while watching the ConfigMap ${name}`, {
            javaClass: 'io.fabric8.kubernetes.client.KubernetesClientException',
            message: `Failure executing: GET at: ${this.ctx.apiServerUrl}${path}?fieldSelector=metadata.name%3D${name}&watch=true. Message: ${e.message}.`,
          });
        }
        await new Promise((r) => setTimeout(r, Math.min(retry, 1000)));
      }
    }
  }

  private onLeaderData(data: Record<string, string> | undefined) {
    const v = data?.[LEADER_PREFIX + 'resourcemanager'];
    const address = v ? v.slice(v.indexOf(',') + 1) : undefined;
    if (address !== this.leaderAddress) {
      this.leaderAddress = address;
      if (address) this.log.info(L.taskExecutor, `Connecting to ResourceManager ${address}.`);
    }
  }

  /** The ResourceManager this TaskManager should talk to, as its leader retrieval sees it. */
  private findResourceManager(): JobManagerProcess | undefined {
    if (isKubernetesHa(this.conf)) {
      if (!this.leaderAddress) return undefined;
      const ip = /@([^:/]+):/.exec(this.leaderAddress)?.[1];
      const jm = ip ? this.world.jobManagerByIp(ip) : undefined;
      return jm?.isLeader ? jm : undefined;
    }
    // non-HA: jobmanager.rpc.address = <cid>.<namespace> (the headless internal Service)
    const addr = this.conf.string('jobmanager.rpc.address', '')!;
    const [cid, ns] = addr.split('.');
    const jm = this.world.leaderOf(ns ?? this.namespace, cid);
    return jm;
  }

  private tick() {
    if (this.stopped) return;
    this.lastHeartbeat = Date.now();
    const rm = this.findResourceManager();
    if (this.registeredWith && (this.registeredWith !== rm || this.registeredWith.stopped || !this.registeredWith.isLeader || !this.registeredWith.rm.workers.has(this.resourceId))) {
      this.log.info(L.taskExecutor, `Close ResourceManager connection ${randomBytes(16).toString('hex')}.`);
      this.registeredWith = undefined;
    }
    if (!this.registeredWith && rm && rm.rm && !rm.stopped) {
      this.log.info(L.taskExecutor, `Resolved ResourceManager address, beginning registration`);
      if (rm.rm.registerTaskManager(this)) {
        this.registeredWith = rm;
        this.log.info(L.taskExecutor, `Successful registration at resource manager ${rm.rpcAddress}/user/rpc/resourcemanager_* under registration id ${randomBytes(16).toString('hex')}.`);
      }
    }
  }

  /** The ResourceManager dropped this TaskManager (released, or it considers it lost). */
  disconnect(from: JobManagerProcess) {
    if (this.registeredWith === from) this.registeredWith = undefined;
  }

  private halt() {
    if (this.stopped) return;
    this.stopped = true;
    this.abort.abort();
    if (this.timer) clearInterval(this.timer);
    this.world.taskManagers.delete(this);
  }

  stop(): void {
    this.log.info(L.tmRunnerCore, 'RECEIVED SIGNAL 15: SIGTERM. Shutting down as requested.');
    this.halt();
  }
}
