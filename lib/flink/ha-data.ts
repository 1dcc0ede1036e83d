// A small, PURE reader of Flink's Kubernetes HA ConfigMaps (the layouts of
// KubernetesLeaderElectionHaServices 1.15+ and 2.x, and KubernetesHaServices 1.12–1.14) and of the
// HA storage directory in a cluster's config file. Enough to say what deleting a cluster keeps.
import { parse as parseYaml } from 'yaml';

export type HaConfigMapInput = {
  name: string;
  labels?: Record<string, string>;
  data?: Record<string, string>;
  hasOwner?: boolean;
};

export type HaJob = {
  jobId: string;
  /** `<cid>-<jobId>-config-map` (or the 1.12–1.14 `<cid>-<jobId>-jobmanager-leader`), when present. */
  configMap?: string;
  /** The highest `checkpointID-%019d` key: the checkpoint a new cluster with the same id restores. */
  latestCheckpointId: number | null;
  /** The `counter` key: the id the next checkpoint would get. */
  nextCheckpointId: number | null;
  /** The job's graph / execution plan is registered in the cluster ConfigMap (it is resubmitted on recovery). */
  registered: boolean;
};

export type HaData = {
  clusterId: string;
  /** Names of the HA ConfigMaps, sorted. */
  configMaps: string[];
  jobs: HaJob[];
  /** Where the state handles point (`<storageDir>/<cluster-id>`), read from the handles themselves. */
  dataPathFromHandles?: string;
};

const JOB_ID = '[0-9a-f]{32}';
const CHECKPOINT_KEY = /^checkpointID-(\d{19})$/;
const OLD_LEADER_NAMES = ['resourcemanager', 'dispatcher', 'restserver'];

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The job id in `<cid>-<jobId>-config-map` / `<cid>-<jobId>-jobmanager-leader`, else undefined. */
export function jobIdOfHaConfigMap(clusterId: string, name: string): string | undefined {
  const m = new RegExp(`^${escapeRegExp(clusterId)}-(${JOB_ID})-(?:config-map|jobmanager-leader)$`).exec(name);
  return m?.[1];
}

/**
 * True for a ConfigMap Flink's HA services write for `clusterId` (they never carry ownerReferences):
 * `<cid>-cluster-config-map`, `<cid>-<jobId>-config-map`, and the 1.12–1.14 `<cid>-{resourcemanager,
 * dispatcher,restserver}-leader`, `<cid>-<jobId>-jobmanager-leader`.
 */
export function isHaConfigMap(clusterId: string, cm: HaConfigMapInput): boolean {
  if (cm.hasOwner) return false;
  if (cm.name === `${clusterId}-cluster-config-map`) return true;
  if (OLD_LEADER_NAMES.some((n) => cm.name === `${clusterId}-${n}-leader`)) return true;
  return jobIdOfHaConfigMap(clusterId, cm.name) !== undefined;
}

function checkpointIds(data: Record<string, string>): number[] {
  return Object.keys(data)
    .map((k) => CHECKPOINT_KEY.exec(k)?.[1])
    .filter((v): v is string => v !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

function toInt(v: string | undefined): number | null {
  if (v === undefined || !/^\d+$/.test(v.trim())) return null;
  return Number(v.trim());
}

/**
 * The path a base64 Java-serialised state handle points to (RetrievableStreamStateHandle's
 * filePath): the last TC_STRING (0x74, u16 length, UTF-8) of the stream, when it ends the stream.
 */
export function pathOfStateHandle(base64: string): string | undefined {
  let bytes: Uint8Array;
  try {
    bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
  if (bytes.length < 4 || bytes[0] !== 0xac || bytes[1] !== 0xed) return undefined;
  for (let i = bytes.length - 3; i >= 4; i--) {
    if (bytes[i] !== 0x74) continue;
    const len = (bytes[i + 1] << 8) | bytes[i + 2];
    if (i + 3 + len === bytes.length) return new TextDecoder().decode(bytes.subarray(i + 3));
  }
  return undefined;
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash > 0 ? path.slice(0, slash) : path;
}

/** What the HA ConfigMaps of `clusterId` hold: the jobs a new cluster with that id would recover. */
export function readHaData(clusterId: string, configMaps: readonly HaConfigMapInput[]): HaData {
  const own = configMaps.filter((cm) => isHaConfigMap(clusterId, cm));
  const jobs = new Map<string, HaJob>();
  const job = (jobId: string): HaJob => {
    let j = jobs.get(jobId);
    if (!j) {
      j = { jobId, latestCheckpointId: null, nextCheckpointId: null, registered: false };
      jobs.set(jobId, j);
    }
    return j;
  };
  let handlePath: string | undefined;
  const registryKey = new RegExp(`^(?:jobGraph|executionPlan|runningJobsRegistry)-(${JOB_ID})$`);
  const leaderKey = new RegExp(`^org\\.apache\\.flink\\.k8s\\.leader\\.(?:job-)?(${JOB_ID})$`);
  for (const cm of own) {
    const data = cm.data ?? {};
    const jobId = jobIdOfHaConfigMap(clusterId, cm.name);
    if (jobId) {
      const j = job(jobId);
      j.configMap = cm.name;
      const ids = checkpointIds(data);
      j.latestCheckpointId = ids.length > 0 ? ids[ids.length - 1] : null;
      j.nextCheckpointId = toInt(data.counter);
      const latest = j.latestCheckpointId === null ? undefined : data[`checkpointID-${String(j.latestCheckpointId).padStart(19, '0')}`];
      handlePath ??= latest ? pathOfStateHandle(latest) : undefined;
      continue;
    }
    for (const [key, value] of Object.entries(data)) {
      const registered = registryKey.exec(key)?.[1];
      if (registered) {
        job(registered).registered = true;
        if (!key.startsWith('runningJobsRegistry-')) handlePath ??= pathOfStateHandle(value);
        continue;
      }
      const leader = leaderKey.exec(key)?.[1];
      if (leader) job(leader);
    }
  }
  return {
    clusterId,
    configMaps: own.map((cm) => cm.name).sort(),
    jobs: [...jobs.values()].sort((a, b) => a.jobId.localeCompare(b.jobId)),
    dataPathFromHandles: handlePath ? parentOf(handlePath) : undefined,
  };
}

/** Flat `key: value` view of a Flink config file: nested `config.yaml` maps flattened with dots. */
export function readFlinkConfigFile(fileName: string, text: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (fileName === 'flink-conf.yaml') {
    // Legacy flat format (GlobalConfiguration.loadYAMLResource): one `key: value` per line, # comments.
    for (const raw of text.split('\n')) {
      const line = raw.split(/\s#/)[0].trim();
      if (line === '' || line.startsWith('#')) continue;
      const colon = line.indexOf(': ');
      if (colon <= 0) continue;
      out[line.slice(0, colon).trim()] = line.slice(colon + 2).trim();
    }
    return out;
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch {
    return out;
  }
  const walk = (value: unknown, prefix: string) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) walk(v, prefix ? `${prefix}.${k}` : k);
    } else if (prefix) {
      out[prefix] = Array.isArray(value) ? value.map(String).join(';') : String(value);
    }
  };
  walk(doc, '');
  return out;
}

/** From a flink-config-<cid> ConfigMap's data: is HA on, where its storageDir is, and the HA cluster id. */
export function readHaSettings(
  configMapData: Record<string, string> | undefined,
  clusterId: string,
): { enabled: boolean; storageDir?: string; dataPath?: string } {
  const data = configMapData ?? {};
  const fileName = 'flink-conf.yaml' in data ? 'flink-conf.yaml' : 'config.yaml';
  const text = data[fileName];
  if (text === undefined) return { enabled: false };
  const conf = readFlinkConfigFile(fileName, text);
  const mode = (conf['high-availability.type'] ?? conf['high-availability'] ?? 'NONE').trim();
  const enabled = mode.toLowerCase() !== 'none' && mode !== '';
  const storageDir = conf['high-availability.storageDir']?.replace(/\/+$/, '') || undefined;
  const haClusterId = conf['high-availability.cluster-id'] ?? clusterId;
  return { enabled, storageDir, dataPath: storageDir ? `${storageDir}/${haClusterId}` : undefined };
}
