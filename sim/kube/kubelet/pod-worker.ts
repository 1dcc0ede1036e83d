// One pod on one node, as the kubelet's pod worker runs it: volumes, image pulls, containers,
// restarts with back-off, readiness, status and graceful termination.
import { createHash, randomBytes } from 'node:crypto';
import type { KubeClient } from '../client';
import { EventRecorder, isNotFound, nowIso } from '../controllers/util';
import { parseImage, type ContainerContext, type ContainerProcess, type HttpHandler, type Runtime, type RuntimeRegistry } from '../runtime';
import type { Timing } from '../types';
import { ContainerLogs } from './logs';
import type { PodNetwork } from './network';
import { ConfigError, MountError, containerFiles, expand, mountVolumes, resolveEnv, type MountedVolumes, type VolumeSources } from './volumes';

export interface NodeEnv {
  nodeName: string;
  hostIP: string;
  client: KubeClient;
  recorder: EventRecorder;
  runtimes: RuntimeRegistry;
  fallbackRuntime: Runtime;
  network: PodNetwork;
  timing: Timing;
  dataDir: string;
  apiUrl: string;
  sources: VolumeSources;
  pulledImages: Set<string>;
  allocatable: () => Record<string, string>;
  allocateIP: () => string;
  releaseIP: (ip: string) => void;
}

type State = { waiting: { reason: string; message?: string } } | { running: { startedAt: string } } | { terminated: Terminated };
interface Terminated {
  exitCode: number;
  reason: string;
  message?: string;
  startedAt: string | null;
  finishedAt: string;
  containerID?: string;
}

interface CState {
  name: string;
  spec: any;
  init: boolean;
  state: State;
  lastState: { terminated?: Terminated };
  restartCount: number;
  instances: number;
  ready: boolean;
  started: boolean;
  image: string;
  imageID: string;
  containerID?: string;
  proc?: ContainerProcess;
  ctrl?: AbortController;
  exited?: (code: number, reason?: string) => void;
  crashCount: number;
  pullFailures: number;
  logs: ContainerLogs;
  ports: Map<number, HttpHandler>;
  pendingExit?: { code: number; reason?: string };
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/** docker.io/library/nginx:latest, as the runtime reports the image it pulled. */
export function normalizeImage(image: string): string {
  let rest = image;
  let digest = '';
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at);
    rest = rest.slice(0, at);
  }
  const first = rest.split('/')[0];
  const hasDomain = rest.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasDomain) rest = rest.includes('/') ? `docker.io/${rest}` : `docker.io/library/${rest}`;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (!digest && colon <= slash) rest += ':latest';
  return rest + digest;
}

function imageIDFor(image: string): string {
  const n = normalizeImage(image);
  const repo = n.replace(/@.*$/, '').replace(/:[^:/]*$/, '');
  return `${repo}@sha256:${createHash('sha256').update(n).digest('hex')}`;
}

/** Go's time.Duration.String() for a millisecond-truncated duration. */
export function goDuration(ms: number): string {
  ms = Math.max(0, Math.floor(ms));
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  let s = ms / 1000;
  let out = '';
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (h) out += `${h}h`;
  if (h || m) out += `${m}m`;
  out += `${parseFloat(s.toFixed(3))}s`;
  return out;
}

const containerId = () => `containerd://${randomBytes(32).toString('hex')}`;

/** The exit of a container instance: c.exited reports it once; the promise resolves with it. */
function exitOf(c: CState): { exited: Promise<{ code: number; reason?: string }>; hasExited: () => boolean } {
  let has = false;
  let resolve!: (v: { code: number; reason?: string }) => void;
  const exited = new Promise<{ code: number; reason?: string }>((r) => (resolve = r));
  c.exited = (code, reason) => {
    if (has) return;
    has = true;
    resolve({ code, reason });
  };
  return { exited, hasExited: () => has };
}

export class PodWorker {
  pod: any;
  readonly uid: string;
  readonly containers = new Map<string, CState>();
  podIP: string | undefined;
  startTime: string | undefined;
  finalPhase: 'Succeeded' | 'Failed' | undefined;
  private sandboxReady = false;
  private initDone = false;
  private terminating = false;
  private gone = false;
  private readonly abort = new AbortController();
  private mounted: MountedVolumes | undefined;
  private kickWaiters = new Set<() => void>();
  private dirty = false;
  private writing: Promise<void> | undefined;
  private readonly conditionTimes = new Map<string, { status: string; time: string }>();
  private readonly done: Promise<void>;

  constructor(
    pod: any,
    private readonly env: NodeEnv,
    readonly logsFor: (container: string) => ContainerLogs,
  ) {
    this.pod = pod;
    this.uid = pod.metadata.uid;
    const prev = pod.status ?? {};
    for (const c of prev.conditions ?? []) this.conditionTimes.set(c.type, { status: c.status, time: c.lastTransitionTime });
    const rebooted = this.restore(pod);
    // the handler names the pod by strings: closing over `pod` would keep this first copy alive
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    this.done = this.run(rebooted).catch((e) => console.error(`kubelet: pod ${key} worker failed`, e));
  }

  private restore(pod: any): boolean {
    const prevStatuses = new Map<string, any>();
    for (const s of [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])]) prevStatuses.set(s.name, s);
    let ran = false;
    const mk = (spec: any, init: boolean) => {
      const prev = prevStatuses.get(spec.name);
      const c: CState = {
        name: spec.name,
        spec,
        init,
        // convertToAPIContainerStatuses: with init containers every container starts as PodInitializing.
        state: { waiting: { reason: (pod.spec?.initContainers ?? []).length ? 'PodInitializing' : 'ContainerCreating' } },
        lastState: {},
        restartCount: prev?.restartCount ?? 0,
        instances: 0,
        ready: false,
        started: false,
        image: spec.image,
        imageID: '',
        crashCount: 0,
        pullFailures: 0,
        logs: this.logsFor(spec.name),
        ports: new Map(),
      };
      if (prev && (prev.state?.running || prev.state?.terminated || prev.lastState?.terminated || prev.restartCount)) {
        ran = true;
        c.image = prev.image ?? spec.image;
        c.imageID = prev.imageID ?? '';
        c.containerID = prev.containerID;
        c.instances = 1;
        if (prev.state?.terminated) {
          c.state = { terminated: prev.state.terminated };
          c.lastState = prev.lastState ?? {};
        } else {
          // The node rebooted under it: the container is gone.
          const startedAt = prev.state?.running?.startedAt ?? prev.lastState?.terminated?.startedAt ?? null;
          const t: Terminated = { exitCode: 255, reason: 'Unknown', startedAt, finishedAt: nowIso(), ...(prev.containerID ? { containerID: prev.containerID } : {}) };
          c.state = { terminated: t };
          c.lastState = prev.lastState ?? {};
        }
      }
      this.containers.set(spec.name, c);
    };
    for (const s of pod.spec?.initContainers ?? []) mk(s, true);
    for (const s of pod.spec?.containers ?? []) mk(s, false);
    if (ran) {
      this.podIP = pod.status?.podIP;
      this.startTime = pod.status?.startTime;
    }
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') this.finalPhase = pod.status.phase;
    return ran;
  }

  get namespace(): string {
    return this.pod.metadata.namespace;
  }
  get name(): string {
    return this.pod.metadata.name;
  }
  private get restartPolicy(): string {
    return this.pod.spec?.restartPolicy ?? 'Always';
  }

  /** A newer version of the pod came from the informer. */
  update(pod: any): void {
    this.pod = pod;
    if (pod.metadata.deletionTimestamp && !this.terminating) this.startTermination();
  }

  private startTermination(): void {
    this.terminate(this.pod.metadata.deletionGracePeriodSeconds ?? 30).catch(() => {
      // The API server is unreachable: try the final delete again.
      if (!this.gone) setTimeout(() => !this.gone && !this.terminating && this.startTermination(), 500).unref?.();
    });
  }

  /** Something the pod waits for may have appeared (ConfigMap, Secret). */
  kick(): void {
    for (const w of [...this.kickWaiters]) w();
  }

  private waitKick(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const signal = this.abort.signal;
      const done = () => {
        clearTimeout(t);
        this.kickWaiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const t = setTimeout(done, ms);
      this.kickWaiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private event(type: 'Normal' | 'Warning', reason: string, message: string, container?: CState) {
    const fieldPath = container ? `spec.${container.init ? 'initContainers' : 'containers'}{${container.name}}` : undefined;
    void this.env.recorder.record({ ...this.pod, kind: 'Pod', apiVersion: 'v1' }, type, reason, message, fieldPath);
  }

  private backoff(n: number): number {
    return Math.min(this.env.timing.backoffBaseMs * 2 ** Math.max(0, n - 1), this.env.timing.backoffMaxMs);
  }

  private async run(rebooted: boolean): Promise<void> {
    const signal = this.abort.signal;
    if (this.finalPhase) {
      this.publish();
      return;
    }
    if (!this.startTime) this.startTime = nowIso();
    if (rebooted && this.restartPolicy === 'Never') {
      // Never restarts: after a node reboot the pod is done.
      this.finalPhase = [...this.containers.values()].every((c) => 'terminated' in c.state && c.state.terminated.exitCode === 0) ? 'Succeeded' : 'Failed';
      this.publish();
      return;
    }
    this.publish();
    // Volumes.
    let mountFailures = 0;
    while (!signal.aborted && !this.terminating) {
      try {
        this.mounted = await mountVolumes(this.pod, this.env.sources, this.env.allocatable());
        break;
      } catch (e) {
        if (signal.aborted) return;
        if (e instanceof MountError) {
          mountFailures++;
          this.event('Warning', 'FailedMount', e.message);
        }
        await this.waitKick(Math.min(Math.max(this.env.timing.backoffBaseMs / 4, 50) * 2 ** Math.min(mountFailures - 1, 6), this.env.timing.backoffMaxMs));
      }
    }
    if (signal.aborted || this.terminating) return;
    // Sandbox.
    if (!this.podIP) this.podIP = this.pod.spec?.hostNetwork ? this.env.hostIP : this.env.allocateIP();
    this.sandboxReady = true;
    this.publish();
    // Init containers, one after the other.
    for (const c of this.containers.values()) {
      if (!c.init) continue;
      if ('terminated' in c.state && c.state.terminated.exitCode === 0 && !rebooted) continue;
      for (;;) {
        const code = await this.runOnce(c);
        if (signal.aborted || this.terminating) return;
        if (code === 0) break;
        if (this.restartPolicy === 'Never') {
          this.finalPhase = 'Failed';
          this.publish();
          return;
        }
        await this.crashBackoff(c);
        if (signal.aborted || this.terminating) return;
      }
    }
    this.initDone = true;
    this.publish();
    await Promise.all([...this.containers.values()].filter((c) => !c.init).map((c) => this.containerLoop(c, rebooted)));
  }

  private async containerLoop(c: CState, rebooted: boolean): Promise<void> {
    const signal = this.abort.signal;
    let first = true;
    for (;;) {
      if (signal.aborted || this.terminating) return;
      if (first && rebooted && 'terminated' in c.state) {
        // After a reboot: restart per policy, as if the container had just exited.
        first = false;
        const t = c.state.terminated;
        if (!this.shouldRestart(t.exitCode)) {
          this.checkCompletion();
          return;
        }
        c.lastState = { terminated: t };
      }
      first = false;
      const code = await this.runOnce(c);
      if (signal.aborted || this.terminating) return;
      if (!this.shouldRestart(code)) {
        this.checkCompletion();
        return;
      }
      await this.crashBackoff(c);
    }
  }

  private shouldRestart(code: number): boolean {
    return this.restartPolicy === 'Always' || (this.restartPolicy === 'OnFailure' && code !== 0);
  }

  private async crashBackoff(c: CState): Promise<void> {
    if ('terminated' in c.state) c.lastState = { terminated: c.state.terminated };
    c.crashCount++;
    if (c.crashCount <= 1) return; // the first restart is immediate, as the kubelet's back-off starts after it
    const delay = this.backoff(c.crashCount - 1);
    const podRef = `${this.name}_${this.namespace}(${this.uid})`;
    c.state = { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${goDuration(delay)} restarting failed container=${c.name} pod=${podRef}` } };
    this.event('Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${podRef}`, c);
    this.publish();
    await sleep(delay, this.abort.signal);
  }

  private checkCompletion(): void {
    const mains = [...this.containers.values()].filter((c) => !c.init);
    if (!mains.every((c) => 'terminated' in c.state)) {
      this.publish();
      return;
    }
    const allOk = mains.every((c) => 'terminated' in c.state && c.state.terminated.exitCode === 0);
    if (this.restartPolicy === 'Never' || (this.restartPolicy === 'OnFailure' && allOk)) this.finalPhase = allOk ? 'Succeeded' : 'Failed';
    this.publish();
  }

  /**
   * The container's environment. A method of its own so that the pod view it builds is not kept
   * alive in runOnce's frame for as long as the container runs.
   */
  private containerEnv(c: CState): Promise<Record<string, string>> {
    // The kubelet knows the pod's IPs before the API server has them.
    const view = {
      ...this.pod,
      spec: { ...this.pod.spec, nodeName: this.env.nodeName },
      status: { ...(this.pod.status ?? {}), podIP: this.podIP, podIPs: [{ ip: this.podIP }], hostIP: this.env.hostIP, hostIPs: [{ ip: this.env.hostIP }] },
    };
    return resolveEnv(view, c.spec, this.env.sources, this.env.allocatable());
  }

  /**
   * Builds the container's context and starts it in its runtime; false when the runtime refused
   * (StartError). Its own method, so that what the context is built from does not stay in
   * runOnce's frame for the container's lifetime.
   */
  private async startProcess(c: CState, env: Record<string, string>, image: string, ctrl: AbortController, podIP: string, hasExited: () => boolean): Promise<boolean> {
    const fullEnv = { ...env };
    const ctx: ContainerContext = {
      namespace: this.namespace,
      podName: this.name,
      podUid: this.uid,
      nodeName: this.env.nodeName,
      podIP,
      hostIP: this.env.hostIP,
      containerName: c.name,
      image,
      command: (c.spec.command ?? []).map((s: string) => expand(s, fullEnv)),
      args: (c.spec.args ?? []).map((s: string) => expand(s, fullEnv)),
      env: fullEnv,
      files: this.mounted ? containerFiles(c.spec, this.mounted) : {},
      serviceAccountToken: this.mounted?.token,
      apiServerUrl: this.env.apiUrl,
      labels: { ...(this.pod.metadata.labels ?? {}) },
      annotations: { ...(this.pod.metadata.annotations ?? {}) },
      ports: (c.spec.ports ?? []).map((p: any) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol })),
      resources: structuredClone(c.spec.resources ?? {}),
      restartCount: c.restartCount,
      dataDir: this.env.dataDir,
      log: (line) => {
        if (!ctrl.signal.aborted || !hasExited()) c.logs.append(line);
      },
      listen: (port, handler) => {
        if (ctrl.signal.aborted) return;
        c.ports.set(port, handler);
        this.env.network.listen(podIP, port, handler);
      },
      unlisten: (port) => {
        const h = c.ports.get(port);
        c.ports.delete(port);
        this.env.network.unlisten(podIP, port, h);
      },
      signal: ctrl.signal,
      exit: (code, reason) => c.exited?.(code, reason),
    };
    const runtime = this.env.runtimes.resolve({ image, command: ctx.command, args: ctx.args }) ?? this.env.fallbackRuntime;
    try {
      c.proc = await runtime.start(ctx);
      return true;
    } catch (e) {
      const message = (e as Error).message;
      c.state = { terminated: { exitCode: 128, reason: 'StartError', message, startedAt: null, finishedAt: nowIso(), containerID: c.containerID } };
      this.event('Warning', 'Failed', `Error: ${message}`, c);
      this.closePorts(c, podIP);
      c.logs.finish();
      this.publish();
      return false;
    }
  }

  /** Pull, create and start one instance of the container; resolves with its exit code. */
  private async runOnce(c: CState): Promise<number> {
    const signal = this.abort.signal;
    const image = c.spec.image as string;
    // Environment and config.
    let env: Record<string, string> | undefined;
    let configFailures = 0;
    for (;;) {
      if (signal.aborted || this.terminating) return -1;
      // Image first, as the kubelet pulls before it builds the container config.
      const pulled = await this.pull(c);
      if (!pulled) return -1;
      try {
        env = await this.containerEnv(c);
        break;
      } catch (e) {
        if (signal.aborted) return -1;
        if (!(e instanceof ConfigError)) {
          await this.waitKick(200);
          continue;
        }
        configFailures++;
        c.state = { waiting: { reason: 'CreateContainerConfigError', message: e.message } };
        this.event('Warning', 'Failed', `Error: ${e.message}`, c);
        this.publish();
        await this.waitKick(Math.min(Math.max(this.env.timing.backoffBaseMs / 4, 50) * 2 ** Math.min(configFailures - 1, 6), this.env.timing.backoffMaxMs));
      }
    }
    // Create.
    c.containerID = containerId();
    this.event('Normal', 'Created', `Created container ${c.name}`, c);
    await sleep(this.env.timing.containerStartMs, signal);
    if (signal.aborted || this.terminating) return -1;
    if (c.instances > 0) c.restartCount++;
    c.instances++;
    c.logs.startInstance(c.containerID);
    const ctrl = new AbortController();
    c.ctrl = ctrl;
    c.pendingExit = undefined;
    const startedAt = nowIso();
    const podIP = this.podIP!;
    const { exited, hasExited } = exitOf(c);
    const ok = await this.startProcess(c, env!, image, ctrl, podIP, hasExited);
    env = undefined; // the runtime has what it needs; this frame lives as long as the container
    if (!ok) return 128;
    c.state = { running: { startedAt } };
    c.started = true;
    c.image = normalizeImage(image);
    c.imageID = imageIDFor(image);
    this.event('Normal', 'Started', `Started container ${c.name}`, c);
    this.updateReadiness(c, ctrl.signal);
    this.watchLiveness(c, ctrl.signal);
    this.publish();
    const ranFrom = Date.now();
    const { code, reason } = await exited;
    ctrl.abort();
    this.closePorts(c, podIP);
    c.logs.finish();
    c.ready = false;
    c.started = false;
    if (Date.now() - ranFrom > this.env.timing.backoffMaxMs * 2) c.crashCount = 0;
    c.state = {
      terminated: {
        exitCode: code,
        reason: reason ?? (code === 0 ? 'Completed' : 'Error'),
        startedAt,
        finishedAt: nowIso(),
        containerID: c.containerID,
      },
    };
    this.publish();
    return code;
  }

  private closePorts(c: CState, ip: string) {
    for (const [port, h] of c.ports) this.env.network.unlisten(ip, port, h);
    c.ports.clear();
  }

  /** Pulls the image (or finds it present). Returns false when stopped. */
  private async pull(c: CState): Promise<boolean> {
    const signal = this.abort.signal;
    const image = c.spec.image as string;
    const policy = c.spec.imagePullPolicy ?? (parseImage(image).tag === 'latest' || (!parseImage(image).tag && !parseImage(image).digest) ? 'Always' : 'IfNotPresent');
    for (;;) {
      if (signal.aborted || this.terminating) return false;
      const present = this.env.pulledImages.has(normalizeImage(image));
      if (present && policy !== 'Always') {
        this.event('Normal', 'Pulled', `Container image "${image}" already present on machine`, c);
        return true;
      }
      if (policy === 'Never') {
        const msg = `Container image "${image}" is not present with pull policy of Never`;
        c.state = { waiting: { reason: 'ErrImageNeverPull', message: msg } };
        this.event('Warning', 'ErrImageNeverPull', msg, c);
        this.publish();
        await this.waitKick(this.backoff(++c.pullFailures));
        continue;
      }
      this.event('Normal', 'Pulling', `Pulling image "${image}"`, c);
      const t0 = Date.now();
      await sleep(this.env.timing.imagePullMs, signal);
      if (signal.aborted || this.terminating) return false;
      if (this.env.runtimes.isKnownImage(image)) {
        this.env.pulledImages.add(normalizeImage(image));
        const d = goDuration(Date.now() - t0);
        c.pullFailures = 0;
        this.event('Normal', 'Pulled', `Successfully pulled image "${image}" in ${d} (${d} including waiting)`, c);
        return true;
      }
      const ref = normalizeImage(image);
      const err = `rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`;
      this.event('Warning', 'Failed', `Failed to pull image "${image}": ${err}`, c);
      this.event('Warning', 'Failed', 'Error: ErrImagePull', c);
      c.state = { waiting: { reason: 'ErrImagePull', message: err } };
      this.publish();
      c.pullFailures++;
      // The next sync finds the image in back-off.
      await sleep(Math.min(this.env.timing.backoffBaseMs / 10, 500), signal);
      if (signal.aborted || this.terminating) return false;
      const msg = `Back-off pulling image "${image}"`;
      this.event('Normal', 'BackOff', msg, c);
      this.event('Warning', 'Failed', 'Error: ImagePullBackOff', c);
      c.state = { waiting: { reason: 'ImagePullBackOff', message: msg } };
      this.publish();
      await sleep(this.backoff(c.pullFailures), signal);
    }
  }

  private updateReadiness(c: CState, signal: AbortSignal): void {
    const probe = c.spec.readinessProbe;
    if (!probe) {
      c.ready = true;
      return;
    }
    const port = this.probePort(c, probe);
    const initial = (probe.initialDelaySeconds ?? 0) * 1000;
    const periodMs = (probe.periodSeconds ?? 10) * 1000;
    const failureThreshold = probe.failureThreshold ?? 3;
    // The sim checks often (readiness follows a listener quickly) but reports failures per period.
    const tick = Math.min(periodMs, 200);
    let failures = 0;
    let lastReport = 0;
    const check = () => {
      if (signal.aborted) return;
      const ok = port === undefined ? true : this.env.network.has(this.podIP!, port);
      if (ok) failures = 0;
      else if (Date.now() - lastReport >= periodMs) {
        lastReport = Date.now();
        failures++;
        const msg = this.probeFailure('Readiness', probe, port);
        this.event('Warning', 'Unhealthy', msg, c);
      }
      const ready = ok || (c.ready && failures < failureThreshold);
      if (ready !== c.ready) {
        c.ready = ready;
        this.publish();
      }
      setTimeout(check, tick).unref?.();
    };
    setTimeout(check, initial).unref?.();
  }

  private probePort(c: CState, probe: any): number | undefined {
    const p = probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port;
    if (p === undefined) return undefined;
    if (typeof p === 'number' || /^\d+$/.test(String(p))) return Number(p);
    return (c.spec.ports ?? []).find((x: any) => x.name === p)?.containerPort;
  }

  private probeFailure(kind: 'Readiness' | 'Liveness', probe: any, port: number | undefined): string {
    const addr = `${probe.httpGet?.host ?? this.podIP}:${port}`;
    const why = `dial tcp ${addr}: connect: connection refused`;
    return probe.httpGet
      ? `${kind} probe failed: Get "${(probe.httpGet.scheme ?? 'HTTP').toLowerCase()}://${addr}${probe.httpGet.path ?? '/'}": ${why}`
      : `${kind} probe failed: ${why}`;
  }

  /** Liveness: failureThreshold failed probes (nothing listens on the port) restart the container. */
  private watchLiveness(c: CState, signal: AbortSignal): void {
    const probe = c.spec.livenessProbe;
    if (!probe) return;
    const port = this.probePort(c, probe);
    if (port === undefined) return; // exec probes pass
    const periodMs = (probe.periodSeconds ?? 10) * 1000;
    const threshold = probe.failureThreshold ?? 3;
    let failures = 0;
    const check = () => {
      if (signal.aborted || !('running' in c.state)) return;
      if (this.env.network.has(this.podIP!, port)) failures = 0;
      else {
        failures++;
        this.event('Warning', 'Unhealthy', this.probeFailure('Liveness', probe, port), c);
        if (failures >= threshold) {
          this.event('Normal', 'Killing', `Container ${c.name} failed liveness probe, will be restarted`, c);
          c.ctrl?.abort();
          void Promise.resolve(c.proc?.stop(this.pod.spec?.terminationGracePeriodSeconds ?? 30)).catch(() => {});
          c.exited?.(137, 'Error');
          return;
        }
      }
      setTimeout(check, periodMs).unref?.();
    };
    setTimeout(check, (probe.initialDelaySeconds ?? 0) * 1000 + periodMs).unref?.();
  }

  /** kill / crash through the control API. */
  killContainer(name: string | undefined, mode: 'kill' | 'crash'): void {
    const c = name ? this.containers.get(name) : [...this.containers.values()].find((x) => !x.init);
    if (!c) throw new Error(`container "${name}" not found in pod "${this.name}"`);
    if (!('running' in c.state)) throw new Error(`container "${c.name}" in pod "${this.name}" is not running`);
    const code = mode === 'kill' ? 137 : 1;
    const proc = c.proc;
    c.ctrl?.abort();
    void Promise.resolve(proc?.stop(0)).catch(() => {});
    c.exited?.(code, 'Error');
  }

  /** Graceful deletion: stop containers, report, then delete the pod for good. */
  async terminate(graceSeconds: number): Promise<void> {
    if (this.terminating) return;
    this.terminating = true;
    this.kick();
    const running = [...this.containers.values()].filter((c) => 'running' in c.state);
    await Promise.all(
      running.map(async (c) => {
        this.event('Normal', 'Killing', `Stopping container ${c.name}`, c);
        const ctrl = c.ctrl;
        ctrl?.abort();
        try {
          await Promise.race([Promise.resolve(c.proc?.stop(graceSeconds)), new Promise((r) => setTimeout(r, Math.min(graceSeconds * 1000, 5000)))]);
        } catch {
          /* the process failed to stop cleanly; it is killed anyway */
        }
        c.exited?.(graceSeconds > 0 ? 143 : 137, 'Error');
        if ('running' in c.state) {
          c.state = { terminated: { exitCode: 143, reason: 'Error', startedAt: c.state.running.startedAt, finishedAt: nowIso(), containerID: c.containerID } };
          c.ready = false;
          c.started = false;
        }
      }),
    );
    // Wait for runOnce to record the terminated state.
    await new Promise((r) => setImmediate(r));
    for (const c of this.containers.values()) {
      if ('waiting' in c.state) {
        c.state = c.lastState.terminated ? { terminated: c.lastState.terminated } : c.state;
      }
    }
    const mains = [...this.containers.values()].filter((c) => !c.init);
    if (this.sandboxReady || mains.some((c) => 'terminated' in c.state))
      this.finalPhase = mains.every((c) => 'terminated' in c.state && c.state.terminated.exitCode === 0) ? 'Succeeded' : 'Failed';
    this.abort.abort();
    this.publish();
    await this.flush();
    if (this.podIP && !this.pod.spec?.hostNetwork) this.env.releaseIP(this.podIP);
    try {
      await this.env.client.delete(`/api/v1/namespaces/${this.namespace}/pods/${this.name}`, { gracePeriodSeconds: 0, preconditions: { uid: this.uid } });
    } catch (e) {
      if (!isNotFound(e) && (e as { status?: number }).status !== 409) {
        // API server unreachable: the informer will hand the pod to us again.
        this.terminating = false;
        throw e;
      }
    }
  }

  /** The pod is gone from the API: stop everything now. */
  kill(): void {
    this.gone = true;
    this.terminating = true;
    this.abort.abort();
    for (const c of this.containers.values()) {
      c.ctrl?.abort();
      if (c.proc) void Promise.resolve(c.proc.stop(0)).catch(() => {});
      c.exited?.(137, 'Error');
      if (this.podIP) this.closePorts(c, this.podIP);
      c.logs.finish();
    }
    if (this.podIP && !this.pod.spec?.hostNetwork) this.env.releaseIP(this.podIP);
  }

  // ---- status ----

  private phase(): string {
    if (this.finalPhase) return this.finalPhase;
    if (!this.initDone && [...this.containers.values()].some((c) => c.init)) return 'Pending';
    let running = 0;
    let waiting = 0;
    let stopped = 0;
    let succeeded = 0;
    for (const c of this.containers.values()) {
      if (c.init) continue;
      if ('running' in c.state) running++;
      else if ('terminated' in c.state) {
        stopped++;
        if (c.state.terminated.exitCode === 0) succeeded++;
      } else if (c.lastState.terminated) stopped++;
      else waiting++;
    }
    if (waiting > 0) return 'Pending';
    if (running > 0) return 'Running';
    if (stopped > 0) {
      if (this.restartPolicy === 'Always') return 'Running';
      if (stopped === succeeded) return 'Succeeded';
      if (this.restartPolicy === 'Never') return 'Failed';
      return 'Running';
    }
    return 'Pending';
  }

  private condition(type: string, status: 'True' | 'False', reason?: string, message?: string) {
    const prev = this.conditionTimes.get(type);
    let time = prev?.time;
    if (!prev || prev.status !== status || !time) {
      time = nowIso();
      this.conditionTimes.set(type, { status, time });
    }
    return { type, status, lastProbeTime: null, lastTransitionTime: time, ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
  }

  private containerStatus(c: CState) {
    return {
      ...(c.containerID && !('waiting' in c.state) ? { containerID: c.containerID } : {}),
      ...('waiting' in c.state && c.lastState.terminated?.containerID ? { containerID: c.lastState.terminated.containerID } : {}),
      image: c.image,
      imageID: c.imageID,
      lastState: c.lastState.terminated ? { terminated: c.lastState.terminated } : {},
      name: c.name,
      // A completed init container counts as ready.
      ready: c.init ? 'terminated' in c.state && c.state.terminated.exitCode === 0 : c.ready,
      restartCount: c.restartCount,
      started: c.started,
      state: c.state,
    };
  }

  /** The kubelet's own view of one container's status (ahead of what the API server has). */
  liveContainerStatus(name: string): any | undefined {
    const c = this.containers.get(name);
    return c ? this.containerStatus(c) : undefined;
  }

  buildStatus(): any {
    const phase = this.phase();
    const mains = [...this.containers.values()].filter((c) => !c.init);
    const inits = [...this.containers.values()].filter((c) => c.init);
    const terminal = phase === 'Succeeded' || phase === 'Failed';
    const unready = mains.filter((c) => !c.ready).map((c) => c.name);
    const incompleteInit = inits.filter((c) => !('terminated' in c.state && c.state.terminated.exitCode === 0)).map((c) => c.name);
    const conditions = [
      this.condition('PodReadyToStartContainers', this.sandboxReady && !terminal ? 'True' : 'False'),
      incompleteInit.length && !this.initDone
        ? this.condition('Initialized', 'False', 'ContainersNotInitialized', `containers with incomplete status: [${incompleteInit.join(' ')}]`)
        : this.condition('Initialized', 'True', terminal && inits.length ? 'PodCompleted' : undefined),
      terminal && phase === 'Succeeded'
        ? this.condition('Ready', 'False', 'PodCompleted')
        : unready.length
          ? this.condition('Ready', 'False', 'ContainersNotReady', `containers with unready status: [${unready.join(' ')}]`)
          : this.condition('Ready', 'True'),
      terminal && phase === 'Succeeded'
        ? this.condition('ContainersReady', 'False', 'PodCompleted')
        : unready.length
          ? this.condition('ContainersReady', 'False', 'ContainersNotReady', `containers with unready status: [${unready.join(' ')}]`)
          : this.condition('ContainersReady', 'True'),
      this.condition('PodScheduled', 'True'),
    ];
    const byName = (a: CState, b: CState) => a.name.localeCompare(b.name);
    const status: any = {
      conditions,
      containerStatuses: mains.sort(byName).map((c) => this.containerStatus(c)),
      hostIP: this.env.hostIP,
      hostIPs: [{ ip: this.env.hostIP }],
      phase,
      ...(this.podIP ? { podIP: this.podIP, podIPs: [{ ip: this.podIP }] } : {}),
      qosClass: this.pod.status?.qosClass ?? qosClass(this.pod),
      startTime: this.startTime,
    };
    if (inits.length) status.initContainerStatuses = inits.map((c) => this.containerStatus(c));
    return status;
  }

  publish(): void {
    if (this.gone) return;
    this.dirty = true;
    if (!this.writing) this.writing = this.writeLoop().finally(() => (this.writing = undefined));
  }

  private async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async writeLoop(): Promise<void> {
    let failures = 0;
    while (this.dirty && !this.gone) {
      this.dirty = false;
      const status = this.buildStatus();
      try {
        await this.env.client.patch(`/api/v1/namespaces/${this.namespace}/pods/${this.name}/status`, { metadata: { uid: this.uid }, status }, 'merge');
        failures = 0;
      } catch (e) {
        if (isNotFound(e) || (e as { status?: number }).status === 409) return;
        failures++;
        this.dirty = true;
        await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** failures, 2000)));
      }
    }
  }

  async stopped(): Promise<void> {
    await this.done.catch(() => {});
  }
}

export function qosClass(pod: any): string {
  const cs = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of cs) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    for (const r of ['cpu', 'memory']) {
      if (req[r] !== undefined || lim[r] !== undefined) any = true;
      if (lim[r] === undefined || (req[r] !== undefined && req[r] !== lim[r])) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
