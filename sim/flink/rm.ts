// The JobManager's ResourceManager in native Kubernetes mode: ActiveResourceManager + SlotManager
// + KubernetesResourceManagerDriver. TaskManager pods are created, watched and deleted through the
// API server with the JobManager pod's token.
import { KubeError } from '../kube/client';
import { L } from './log';
import { buildTaskManagerPod, parsePodTemplate, TM_POD_TEMPLATE_PATH } from './tm-pod';
import type { JobManagerProcess } from './jobmanager';
import type { TaskManagerProcess } from './taskmanager';

export interface SlotHolder {
  id: string;
  slotsNeeded: number;
  onSlotsAllocated(slots: { tm: string; count: number }[]): void;
  onTaskManagerLost(tm: string, endpoint: string): void;
}

interface Worker {
  podName: string;
  state: 'requested' | 'registered';
  slots: number;
  free: number;
  idleSince: number;
  tm?: TaskManagerProcess;
  /** jobId -> slots held */
  allocations: Map<string, number>;
}

export const TM_POD_NAME = /^\S+-taskmanager-(\d+)-(\d+)$/;

export class ResourceManager {
  readonly workers = new Map<string, Worker>();
  private pending: SlotHolder[] = [];
  private attempt = 1;
  private index = 0;
  private stopped = false;
  started = false;
  private abort = new AbortController();
  private idleTimer?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;
  private requestingFailedUntil = 0;
  /** workers this ResourceManager released or lost: they may not register again */
  private readonly released = new Set<string>();

  constructor(private readonly jm: JobManagerProcess) {}

  get slotsPerTm() {
    return this.jm.conf.int('taskmanager.numberOfTaskSlots', 1);
  }
  private get podsPath() {
    return `/api/v1/namespaces/${encodeURIComponent(this.jm.namespace)}/pods`;
  }
  private get selector() {
    return `type=flink-native-kubernetes,app=${this.jm.clusterId},component=taskmanager`;
  }

  async start() {
    const log = this.jm.log;
    log.info(L.rm, `Starting the resource manager.`);
    try {
      const list = await this.jm.client.list(this.podsPath, { labelSelector: this.selector, resourceVersion: '0' });
      let maxAttempt = 0;
      for (const pod of list.items) {
        const m = TM_POD_NAME.exec(pod.metadata.name);
        if (m) maxAttempt = Math.max(maxAttempt, parseInt(m[1], 10));
      }
      this.attempt = maxAttempt + 1;
      log.info(L.rmDriver, `Recovered ${list.items.length} pods from previous attempts, current attempt id is ${this.attempt}.`);
      for (const pod of list.items) {
        const phase = pod.status?.phase;
        if (phase === 'Failed' || phase === 'Succeeded' || !pod.spec?.nodeName || pod.metadata.deletionTimestamp) {
          void this.deletePod(pod.metadata.name);
          continue;
        }
        log.info(L.rm, `Worker ${pod.metadata.name} recovered from previous attempt.`);
        if (!this.workers.has(pod.metadata.name)) this.workers.set(pod.metadata.name, { podName: pod.metadata.name, state: 'requested', slots: this.slotsPerTm, free: this.slotsPerTm, idleSince: Date.now(), allocations: new Map() });
      }
      void this.watchLoop(list.metadata.resourceVersion);
    } catch (e) {
      const err = kubeException(e, 'GET', this.jm, `${this.podsPath}?labelSelector=${encodeURIComponent(this.selector)}`);
      if (e instanceof KubeError && (e.status === 401 || e.status === 403)) {
        // KubernetesResourceManagerDriver.initializeInternal fails: the ResourceManager cannot start
        this.jm.fatal('Fatal error occurred in ResourceManager.', { javaClass: 'org.apache.flink.runtime.resourcemanager.exceptions.ResourceManagerException', message: `Could not start resource manager client.\nCaused by: ${err.javaClass}: ${err.message}` });
        return;
      }
      log.error(L.rmDriver, `Could not recover pods from previous attempts.`, err);
      void this.watchLoop(undefined);
    }
    this.started = true;
    const tick = Math.max(50, Math.min(1000, Math.floor(this.idleTimeout / 4)));
    this.idleTimer = setInterval(() => this.releaseIdle(), tick);
  }

  get idleTimeout() {
    return this.jm.conf.duration('resourcemanager.taskmanager-timeout', 30000);
  }

  stop() {
    this.stopped = true;
    this.abort.abort();
    if (this.idleTimer) clearInterval(this.idleTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
  }

  private async watchLoop(rv: string | undefined) {
    let resourceVersion = rv;
    while (!this.stopped) {
      try {
        if (!resourceVersion) {
          const list = await this.jm.client.list(this.podsPath, { labelSelector: this.selector });
          resourceVersion = list.metadata.resourceVersion;
          for (const pod of list.items) this.onPodEvent('MODIFIED', pod);
          for (const name of [...this.workers.keys()]) {
            if (!list.items.some((p: any) => p.metadata.name === name) && this.workers.get(name)!.state === 'registered') this.onWorkerTerminated(name, 'deleted');
          }
        }
        await this.jm.client.watch(
          this.podsPath,
          { labelSelector: this.selector, resourceVersion, allowWatchBookmarks: true },
          (ev) => {
            if (ev.type === 'ERROR') {
              resourceVersion = undefined;
              return;
            }
            if (ev.object?.metadata?.resourceVersion) resourceVersion = ev.object.metadata.resourceVersion;
            if (ev.type !== 'BOOKMARK') this.onPodEvent(ev.type, ev.object);
          },
          this.abort.signal,
        );
      } catch (e) {
        if (this.stopped) return;
        if (e instanceof KubeError && e.status === 410) resourceVersion = undefined;
        else if (e instanceof KubeError) {
          this.jm.log.warn(L.rmDriver, `Error while watching the pods, reconnecting.`, kubeException(e, 'GET', this.jm, this.podsPath));
          resourceVersion = undefined;
        }
        await sleep(500);
      }
    }
  }

  private onPodEvent(type: string, pod: any) {
    const name = pod?.metadata?.name;
    if (!name || !this.workers.has(name)) return;
    if (type === 'DELETED') {
      this.onWorkerTerminated(name, 'deleted');
      return;
    }
    const main = (pod.status?.containerStatuses ?? []).find((c: any) => c.name === 'flink-main-container');
    if (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded' || main?.state?.terminated) {
      this.jm.log.info(L.rmDriver, `Pod ${name} is terminated.`);
      this.onWorkerTerminated(name, 'terminated');
      void this.deletePod(name);
    }
  }

  private onWorkerTerminated(name: string, how: string) {
    const w = this.workers.get(name);
    if (!w) return;
    this.workers.delete(name);
    this.released.add(name);
    this.jm.log.info(L.rm, `Worker ${name} is terminated. Diagnostics: Pod ${name} is ${how}.`);
    const endpoint = w.tm ? `${w.tm.podIP}:${w.tm.dataPort}` : '(unassigned)';
    w.tm?.disconnect(this.jm);
    for (const job of this.jm.jobs.values()) job.onTaskManagerLost(name, endpoint);
    this.reconcile();
  }

  private async deletePod(name: string) {
    try {
      await this.jm.client.delete(`${this.podsPath}/${encodeURIComponent(name)}`);
    } catch (e) {
      if (!(e instanceof KubeError && e.status === 404)) this.jm.log.warn(L.rmDriver, `Could not delete pod ${name}.`, kubeException(e, 'DELETE', this.jm, `${this.podsPath}/${name}`));
    }
  }

  requestSlots(job: SlotHolder) {
    if (!this.pending.includes(job)) this.pending.push(job);
    this.reconcile();
  }

  cancelRequest(job: SlotHolder) {
    this.pending = this.pending.filter((j) => j !== job);
  }

  releaseSlots(jobId: string, slots: { tm: string; count: number }[]) {
    for (const s of slots) {
      const w = this.workers.get(s.tm);
      if (!w) continue;
      const held = w.allocations.get(jobId) ?? 0;
      const n = Math.min(held, s.count);
      w.allocations.set(jobId, held - n);
      if (held - n <= 0) w.allocations.delete(jobId);
      w.free = Math.min(w.slots, w.free + n);
      if (w.free === w.slots) w.idleSince = Date.now();
    }
    this.reconcile();
  }

  hasTaskManager(name: string) {
    return this.workers.get(name)?.state === 'registered';
  }

  registerTaskManager(tm: TaskManagerProcess): boolean {
    if (!this.started || this.stopped || this.released.has(tm.resourceId)) return false;
    let w = this.workers.get(tm.resourceId);
    if (!w) {
      // a TaskManager of this cluster the driver did not create in this attempt (e.g. after failover)
      w = { podName: tm.resourceId, state: 'requested', slots: tm.numSlots, free: tm.numSlots, idleSince: Date.now(), allocations: new Map() };
      this.workers.set(tm.resourceId, w);
    }
    w.state = 'registered';
    w.tm = tm;
    w.slots = tm.numSlots;
    w.free = tm.numSlots - [...w.allocations.values()].reduce((a, b) => a + b, 0);
    w.idleSince = Date.now();
    this.jm.log.info(L.rm, `Registering TaskManager with ResourceID ${tm.resourceId} (pekko.tcp://flink@${tm.podIP}:6122/user/rpc/taskmanager_0) at ResourceManager`);
    this.jm.log.info(L.slotManager, `Registering task executor ${tm.resourceId} under ${tm.instanceId} at the slot manager.`);
    this.reconcile();
    return true;
  }

  unregisterTaskManager(resourceId: string) {
    if (this.workers.has(resourceId)) this.onWorkerTerminated(resourceId, 'disconnected');
  }

  get registered(): Worker[] {
    return [...this.workers.values()].filter((w) => w.state === 'registered');
  }

  /** Serves pending slot requests from free slots and asks for new workers for the rest. */
  reconcile() {
    if (this.stopped) return;
    for (const job of [...this.pending]) {
      const need = job.slotsNeeded;
      const free = this.registered.reduce((a, w) => a + w.free, 0);
      if (free < need) continue;
      let left = need;
      const got: { tm: string; count: number }[] = [];
      for (const w of this.registered) {
        if (!left) break;
        const n = Math.min(w.free, left);
        if (!n) continue;
        w.free -= n;
        w.allocations.set(job.id, (w.allocations.get(job.id) ?? 0) + n);
        left -= n;
        got.push({ tm: w.podName, count: n });
      }
      this.pending = this.pending.filter((j) => j !== job);
      job.onSlotsAllocated(got);
    }
    const demand = this.pending.reduce((a, j) => a + j.slotsNeeded, 0);
    const supply = this.registered.reduce((a, w) => a + w.free, 0) + [...this.workers.values()].filter((w) => w.state === 'requested').reduce((a, w) => a + w.slots, 0);
    if (demand > supply && Date.now() >= this.requestingFailedUntil) {
      const maxSlots = this.jm.conf.int('slotmanager.number-of-slots.max', Number.MAX_SAFE_INTEGER);
      let missing = Math.ceil((demand - supply) / this.slotsPerTm);
      while (missing-- > 0) {
        const total = [...this.workers.values()].reduce((a, w) => a + w.slots, 0);
        if (total + this.slotsPerTm > maxSlots) break;
        void this.requestWorker();
      }
    }
  }

  private async requestWorker() {
    const podName = `${this.jm.clusterId}-taskmanager-${this.attempt}-${++this.index}`;
    const worker: Worker = { podName, state: 'requested', slots: this.slotsPerTm, free: this.slotsPerTm, idleSince: Date.now(), allocations: new Map() };
    this.workers.set(podName, worker);
    const spec = this.jm.tmSpec;
    this.jm.log.info(L.rmDriver, `Creating new TaskManager pod with name ${podName} and resource <${Math.floor(spec.totalProcess / 1048576)},${spec.cpuCores.toFixed(1)}>.`);
    const deployPath = `/apis/apps/v1/namespaces/${encodeURIComponent(this.jm.namespace)}/deployments/${encodeURIComponent(this.jm.clusterId)}`;
    try {
      let deployment: any;
      try {
        deployment = await this.jm.client.get(deployPath);
      } catch (e) {
        if (e instanceof KubeError && e.status === 404) throw new FlinkRuntimeError(`Failed to find Deployment named ${this.jm.clusterId} in namespace ${this.jm.namespace}`);
        throw e;
      }
      const tplText = this.jm.ctx.files[TM_POD_TEMPLATE_PATH];
      const pod = buildTaskManagerPod({
        conf: this.jm.conf,
        flinkVersion: this.jm.flinkVersion,
        clusterId: this.jm.clusterId,
        podName,
        deployment,
        spec,
        dynamicProperties: this.jm.tmDynamicProperties(podName),
        confFileName: this.jm.confFileName,
        logFiles: this.jm.logFiles,
        template: tplText ? parsePodTemplate(tplText) : undefined,
        defaultImage: this.jm.ctx.image,
      });
      await this.jm.client.create(this.podsPath, pod);
      this.jm.log.info(L.rmDriver, `Pod ${podName} is created.`);
      this.jm.log.info(L.rm, `Requested worker ${podName} with resource spec WorkerResourceSpec {cpuCores=${spec.cpuCores.toFixed(1)}, taskHeapSize=${spec.taskHeap / 1048576}.000mb (${spec.taskHeap} bytes), taskOffHeapSize=0 bytes, networkMemSize=${spec.network / 1048576}.000mb (${spec.network} bytes), managedMemSize=${spec.managed / 1048576}.000mb (${spec.managed} bytes), numSlots=${spec.numSlots}}.`);
    } catch (e) {
      this.workers.delete(podName);
      const err = e instanceof FlinkRuntimeError ? { javaClass: 'java.lang.RuntimeException', message: e.message } : kubeException(e, 'POST', this.jm, this.podsPath);
      this.jm.log.warn(L.rmDriver, `Could not create pod ${podName}, exception: java.util.concurrent.CompletionException: ${err.javaClass}: ${err.message}`);
      this.jm.log.warn(L.rm, `Failed requesting worker with resource spec WorkerResourceSpec {cpuCores=${spec.cpuCores.toFixed(1)}, numSlots=${spec.numSlots}}, current pending count: 0`, err);
      const retry = this.jm.conf.duration('resourcemanager.start-worker.retry-interval', 3000);
      this.requestingFailedUntil = Date.now() + retry;
      if (this.retryTimer) clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => this.reconcile(), retry);
    }
  }

  private releaseIdle() {
    const now = Date.now();
    const demand = this.pending.length;
    for (const w of this.registered) {
      if (w.free === w.slots && w.allocations.size === 0 && now - w.idleSince >= this.idleTimeout && !demand) {
        this.jm.log.info(L.rm, `Stopping worker ${w.podName}.`);
        this.jm.log.info(L.rmDriver, `Stopping TaskManager pod ${w.podName}.`);
        this.workers.delete(w.podName);
        this.released.add(w.podName);
        w.tm?.disconnect(this.jm);
        void this.deletePod(w.podName);
      }
    }
  }
}

class FlinkRuntimeError extends Error {}

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}

/** fabric8's KubernetesClientException text for a failed call. */
export function kubeException(e: unknown, method: string, jm: { ctx: { apiServerUrl: string } }, path: string): { javaClass: string; message: string } {
  if (e instanceof KubeError) {
    const body: any = e.body ?? {};
    return {
      javaClass: 'io.fabric8.kubernetes.client.KubernetesClientException',
      message: `Failure executing: ${method} at: ${jm.ctx.apiServerUrl}${path}. Message: ${e.message}. Received status: Status(apiVersion=v1, code=${e.status}, details=${body.details ? `StatusDetails(kind=${body.details.kind ?? null}, name=${body.details.name ?? null})` : null}, kind=Status, message=${e.message}, metadata=ListMeta(_continue=null, remainingItemCount=null, resourceVersion=null, selfLink=null, additionalProperties={}), reason=${e.reason}, status=Failure, additionalProperties={}).`,
    };
  }
  return { javaClass: 'io.fabric8.kubernetes.client.KubernetesClientException', message: (e as Error)?.message ?? String(e) };
}
