// Kubernetes HA as Flink does it (flink-kubernetes highavailability/*, KubernetesLeaderElector on
// fabric8's LeaderElector with a ConfigMapLock): leader election on <cid>-cluster-config-map through
// the API with the pod's token, leader information, job graphs and per-job checkpoint ConfigMaps.
import { randomBytes } from 'node:crypto';
import { KubeClient, KubeError } from '../kube/client';
import { versionAtLeast } from './images';

export const LEADER_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader';
export const LEADER_PREFIX = 'org.apache.flink.k8s.leader.';

export interface LeaderRecord {
  holderIdentity?: string | null;
  leaseDuration: number; // seconds
  acquireTime: string;
  renewTime: string;
  leaderTransitions: number;
}

/** fabric8's MicroTime: yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z' */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** The record as Jackson writes it (Duration as decimal seconds with nanos). */
export function serializeRecord(r: LeaderRecord): string {
  const holder = r.holderIdentity ? `"holderIdentity":${JSON.stringify(r.holderIdentity)},` : '';
  return `{${holder}"leaseDuration":${r.leaseDuration.toFixed(9)},"acquireTime":"${r.acquireTime}","renewTime":"${r.renewTime}","leaderTransitions":${r.leaderTransitions}}`;
}

export function parseRecord(text: string | undefined): LeaderRecord | undefined {
  if (!text) return undefined;
  try {
    const o = JSON.parse(text);
    return { holderIdentity: o.holderIdentity ?? null, leaseDuration: Number(o.leaseDuration), acquireTime: o.acquireTime, renewTime: o.renewTime, leaderTransitions: Number(o.leaderTransitions ?? 0) };
  } catch {
    return undefined;
  }
}

export function haLabels(clusterId: string, flinkVersion: string): Record<string, string> {
  const l: Record<string, string> = { app: clusterId, type: 'flink-native-kubernetes' };
  if (!versionAtLeast(flinkVersion, '2.0')) l['configmap-type'] = 'high-availability';
  return l;
}

/** Java serialization of a state handle that points at `path` (opaque to readers; starts with AC ED 00 05). */
export function serializedStateHandle(path: string): string {
  const utf = (s: string) => {
    const b = Buffer.from(s, 'utf8');
    const len = Buffer.alloc(2);
    len.writeUInt16BE(b.length);
    return Buffer.concat([len, b]);
  };
  const className = 'org.apache.flink.runtime.state.RetrievableStreamStateHandle';
  const parts = [
    Buffer.from([0xac, 0xed, 0x00, 0x05, 0x73, 0x72]),
    utf('org.apache.flink.kubernetes.highavailability.KubernetesStateHandleStore$StateHandleWithDeleteMarker'),
    randomBytes(8),
    Buffer.from([0x02, 0x00, 0x02, 0x5a]),
    utf('deleting'),
    Buffer.from([0x4c]),
    utf('inner'),
    Buffer.from([0x74]),
    utf(`L${className.replace(/\./g, '/')};`),
    Buffer.from([0x78, 0x70, 0x00, 0x73, 0x72]),
    utf(className),
    randomBytes(8),
    Buffer.from([0x02, 0x00, 0x01, 0x4c]),
    utf('filePath'),
    Buffer.from([0x74]),
    utf('Lorg/apache/flink/core/fs/Path;'),
    Buffer.from([0x78, 0x70, 0x74]),
    utf(path),
  ];
  return Buffer.concat(parts).toString('base64');
}

/** Reads the path back out of a handle written by serializedStateHandle (the last TC_STRING). */
export function pathOfStateHandle(b64: string): string | undefined {
  const b = Buffer.from(b64, 'base64');
  if (b.length < 4 || b[0] !== 0xac || b[1] !== 0xed) return undefined;
  for (let i = b.length - 3; i >= 4; i--) {
    if (b[i] === 0x74) {
      const len = b.readUInt16BE(i + 1);
      if (i + 3 + len === b.length) return b.subarray(i + 3).toString('utf8');
    }
  }
  return undefined;
}

export interface ElectorTiming {
  leaseMs: number;
  renewDeadlineMs: number;
  retryMs: number;
}

/** KubernetesHighAvailabilityOptions: high-availability.kubernetes.leader-election.{lease-duration,renew-deadline,retry-period}. */
export const FLINK_LEADER_ELECTION_DEFAULTS: ElectorTiming = { leaseMs: 15_000, renewDeadlineMs: 15_000, retryMs: 5_000 };

export interface ElectorCallbacks {
  onStartLeading(): void;
  onStopLeading(): void;
  onNewLeader?(identity: string | null): void;
  onError?(e: unknown): void;
  /** renewal paused (fault injection): the leader stops renewing its lease */
  isPaused?(): boolean;
}

/** fabric8 LeaderElector over a ConfigMapLock. */
export class LeaderElector {
  leading = false;
  observedHolder: string | null = null;
  private stopped = false;
  private timer?: NodeJS.Timeout;
  private lastRenew = 0;

  constructor(
    private readonly client: KubeClient,
    private readonly namespace: string,
    readonly configMapName: string,
    readonly identity: string,
    private readonly timing: ElectorTiming,
    private readonly labels: Record<string, string> | undefined,
    private readonly cb: ElectorCallbacks,
  ) {}

  run() {
    this.schedule(0);
  }

  private schedule(ms: number) {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  private async tick() {
    if (this.stopped) return;
    try {
      if (!(this.leading && this.cb.isPaused?.())) {
        const ok = await this.tryAcquireOrRenew();
        if (this.stopped) return;
        if (ok) {
          this.lastRenew = Date.now();
          if (!this.leading) {
            this.leading = true;
            this.cb.onStartLeading();
          }
        }
      }
    } catch (e) {
      this.cb.onError?.(e);
    }
    if (this.leading && Date.now() - this.lastRenew > this.timing.renewDeadlineMs) {
      this.leading = false;
      this.cb.onStopLeading();
    }
    this.schedule(this.timing.retryMs);
  }

  private path(name?: string) {
    return `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/configmaps${name ? `/${encodeURIComponent(name)}` : ''}`;
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = Date.now();
    const cm = await this.client.getOrUndefined(this.path(this.configMapName));
    const leaseSeconds = this.timing.leaseMs / 1000;
    if (this.stopped) return false;
    if (!cm) {
      const record: LeaderRecord = { holderIdentity: this.identity, leaseDuration: leaseSeconds, acquireTime: microTime(now), renewTime: microTime(now), leaderTransitions: 0 };
      try {
        await this.client.create(this.path(), {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: this.configMapName, namespace: this.namespace, ...(this.labels ? { labels: this.labels } : {}), annotations: { [LEADER_ANNOTATION]: serializeRecord(record) } },
        });
      } catch (e) {
        if (e instanceof KubeError && e.status === 409) return false;
        throw e;
      }
      this.observe(this.identity);
      return true;
    }
    const old = parseRecord(cm.metadata?.annotations?.[LEADER_ANNOTATION]);
    const holder = old?.holderIdentity || null;
    this.observe(holder);
    if (old && holder && holder !== this.identity) {
      const renew = Date.parse(old.renewTime);
      if (renew + old.leaseDuration * 1000 > now) return false;
    }
    const wasMine = holder === this.identity;
    const record: LeaderRecord = {
      holderIdentity: this.identity,
      leaseDuration: leaseSeconds,
      acquireTime: wasMine && old ? old.acquireTime : microTime(now),
      renewTime: microTime(now),
      leaderTransitions: old ? (wasMine ? old.leaderTransitions : old.leaderTransitions + 1) : 0,
    };
    cm.metadata.annotations = { ...(cm.metadata.annotations ?? {}), [LEADER_ANNOTATION]: serializeRecord(record) };
    try {
      await this.client.update(this.path(this.configMapName), cm);
    } catch (e) {
      if (e instanceof KubeError && (e.status === 409 || e.status === 404)) return false;
      throw e;
    }
    this.observe(this.identity);
    return true;
  }

  private observe(holder: string | null) {
    if (holder !== this.observedHolder) {
      this.observedHolder = holder;
      this.cb.onNewLeader?.(holder);
    }
  }

  /** Stops the elector; with release (1.19+ withReleaseOnCancel) the lock is given up. */
  async stop(release: boolean) {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (!release || !this.leading) return;
    this.leading = false;
    try {
      const cm = await this.client.getOrUndefined(this.path(this.configMapName));
      const old = parseRecord(cm?.metadata?.annotations?.[LEADER_ANNOTATION]);
      if (!cm || !old || old.holderIdentity !== this.identity) return;
      const now = microTime(Date.now());
      cm.metadata.annotations[LEADER_ANNOTATION] = serializeRecord({ holderIdentity: null, leaseDuration: 1, acquireTime: now, renewTime: now, leaderTransitions: old.leaderTransitions });
      await this.client.update(this.path(this.configMapName), cm);
    } catch {
      /* best effort, as fabric8's release */
    }
  }
}

/** Read-modify-write of the HA ConfigMaps (KubernetesStateHandleStore / Fabric8FlinkKubeClient.checkAndUpdateConfigMap). */
export class HaStore {
  /** set when the cluster shuts down with HA cleanup: nothing may be (re)created after that */
  closed = false;

  constructor(
    private readonly client: KubeClient,
    readonly namespace: string,
    readonly clusterId: string,
    readonly flinkVersion: string,
    private readonly identity: string,
    private readonly maxRetries: number,
  ) {}

  get clusterConfigMap() {
    return `${this.clusterId}-cluster-config-map`;
  }
  jobConfigMap(jobId: string) {
    return `${this.clusterId}-${jobId}-config-map`;
  }
  private path(name?: string) {
    return `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/configmaps${name ? `/${encodeURIComponent(name)}` : ''}`;
  }
  get jobGraphPrefix() {
    return versionAtLeast(this.flinkVersion, '2.0') ? 'executionPlan-' : 'jobGraph-';
  }

  /** Updates data of a ConfigMap; leaderOnly checks the annotation holds our identity first. */
  async updateData(name: string, mutate: (data: Record<string, string>) => boolean, leaderOnly: boolean): Promise<boolean> {
    if (this.closed) return false;
    for (let attempt = 0; attempt <= this.maxRetries; attempt++) {
      const cm = await this.client.getOrUndefined(this.path(name));
      if (!cm) return false;
      if (leaderOnly && !(cm.metadata?.annotations?.[LEADER_ANNOTATION] ?? '').includes(this.identity)) return false;
      const data = { ...(cm.data ?? {}) };
      if (!mutate(data)) return true;
      cm.data = data;
      if (!cm.metadata.labels || !cm.metadata.labels.app) cm.metadata.labels = { ...(cm.metadata.labels ?? {}), ...haLabels(this.clusterId, this.flinkVersion) };
      try {
        await this.client.update(this.path(name), cm);
        return true;
      } catch (e) {
        if (e instanceof KubeError && e.status === 409) continue;
        throw e;
      }
    }
    return false;
  }

  async readClusterData(): Promise<Record<string, string> | undefined> {
    const cm = await this.client.getOrUndefined(this.path(this.clusterConfigMap));
    return cm ? cm.data ?? {} : undefined;
  }

  publishLeader(component: string, sessionId: string, address: string) {
    return this.updateData(this.clusterConfigMap, (d) => {
      d[LEADER_PREFIX + component] = `${sessionId},${address}`;
      return true;
    }, true);
  }
  removeLeader(component: string) {
    return this.updateData(this.clusterConfigMap, (d) => {
      if (!(LEADER_PREFIX + component in d)) return false;
      delete d[LEADER_PREFIX + component];
      return true;
    }, true);
  }
  putJobGraph(jobId: string, path: string) {
    return this.updateData(this.clusterConfigMap, (d) => {
      d[this.jobGraphPrefix + jobId] = serializedStateHandle(path);
      return true;
    }, true);
  }
  removeJobGraph(jobId: string) {
    return this.updateData(this.clusterConfigMap, (d) => {
      if (!(this.jobGraphPrefix + jobId in d)) return false;
      delete d[this.jobGraphPrefix + jobId];
      return true;
    }, true);
  }

  async ensureJobConfigMap(jobId: string) {
    if (this.closed) return;
    for (let i = 0; i < 10; i++) {
      const existing = await this.client.getOrUndefined(this.path(this.jobConfigMap(jobId)));
      if (existing || this.closed) return;
      try {
        await this.client.create(this.path(), {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: this.jobConfigMap(jobId), namespace: this.namespace, labels: haLabels(this.clusterId, this.flinkVersion) },
          data: { counter: '1' },
        });
        return;
      } catch (e) {
        if (e instanceof KubeError && e.status === 409) continue;
        throw e;
      }
    }
  }

  async addCheckpoint(jobId: string, checkpointId: number, handlePath: string, retained: number) {
    await this.ensureJobConfigMap(jobId);
    await this.updateData(this.jobConfigMap(jobId), (d) => {
      d[`checkpointID-${String(checkpointId).padStart(19, '0')}`] = serializedStateHandle(handlePath);
      d.counter = String(checkpointId + 1);
      const keys = Object.keys(d).filter((k) => k.startsWith('checkpointID-')).sort();
      for (const k of keys.slice(0, Math.max(0, keys.length - retained))) delete d[k];
      return true;
    }, false);
  }

  async setCounter(jobId: string, next: number) {
    await this.ensureJobConfigMap(jobId);
    await this.updateData(this.jobConfigMap(jobId), (d) => {
      d.counter = String(next);
      return true;
    }, false);
  }

  async readJobData(jobId: string): Promise<Record<string, string> | undefined> {
    const cm = await this.client.getOrUndefined(this.path(this.jobConfigMap(jobId)));
    return cm ? cm.data ?? {} : undefined;
  }

  async deleteJobConfigMap(jobId: string) {
    try {
      await this.client.delete(this.path(this.jobConfigMap(jobId)));
    } catch (e) {
      if (!(e instanceof KubeError && e.status === 404)) throw e;
    }
  }

  async deleteClusterConfigMap() {
    try {
      await this.client.delete(this.path(this.clusterConfigMap));
    } catch (e) {
      if (!(e instanceof KubeError && e.status === 404)) throw e;
    }
  }
}
