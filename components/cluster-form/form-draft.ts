// The form's editable state and its conversion to the schema's input. Text fields stay text while
// being typed (numbers, lists), maps are rows; `toSpecInput` is what is validated and sent.
import type { ClusterSpec, ClusterSpecInput } from '@/lib/flink/cluster-spec-schema';
import type { FlinkVersion } from '@/lib/flink/flink-versions';

export type KeyValue = { key: string; value: string };
export type TolerationDraft = { key: string; operator: string; value: string; effect: string; tolerationSeconds: string };

export type PodDraft = {
  cpu: string;
  memory: string;
  cpuLimitFactor: string;
  memoryLimitFactor: string;
  nodeSelector: KeyValue[];
  tolerations: TolerationDraft[];
  podTemplate: string;
  labels: KeyValue[];
  annotations: KeyValue[];
  env: KeyValue[];
};

export type FormDraft = {
  mode: 'session' | 'application';
  clusterId: string;
  namespace: string;
  flinkVersion: FlinkVersion;
  image: string;
  imagePullPolicy: 'IfNotPresent' | 'Always' | 'Never';
  imagePullSecrets: string[];
  serviceAccount: string;
  jobManager: PodDraft & { replicas: string };
  taskManager: PodDraft & { slots: string; idleTimeout: string };
  restExposure: ClusterSpec['restExposure'];
  secretsAsFiles: { secretName: string; mountPath: string }[];
  secretsAsEnv: { envName: string; secretName: string; key: string }[];
  ha: { enabled: boolean; storageDir: string; leaseDuration: string; renewDeadline: string; retryPeriod: string };
  flinkConfig: KeyValue[];
  configFileFormat: ClusterSpec['configFileFormat'];
  application: { jarUri: string; entryClass: string; args: string; parallelism: string; savepointPath: string; allowNonRestoredState: boolean };
};

const pod = (memory: string): PodDraft => ({
  cpu: '1',
  memory,
  cpuLimitFactor: '1',
  memoryLimitFactor: '1',
  nodeSelector: [],
  tolerations: [],
  podTemplate: '',
  labels: [],
  annotations: [],
  env: [],
});

/** The schema's defaults, so only the cluster id is needed. */
export function createDefaultDraft(namespace: string): FormDraft {
  return {
    mode: 'session',
    clusterId: '',
    namespace,
    flinkVersion: '1.20',
    image: '',
    imagePullPolicy: 'IfNotPresent',
    imagePullSecrets: [],
    serviceAccount: 'flink',
    jobManager: { ...pod('1600Mi'), replicas: '1' },
    taskManager: { ...pod('1728Mi'), slots: '1', idleTimeout: '' },
    restExposure: 'ClusterIP',
    secretsAsFiles: [],
    secretsAsEnv: [],
    ha: { enabled: false, storageDir: '', leaseDuration: '', renewDeadline: '', retryPeriod: '' },
    flinkConfig: [],
    configFileFormat: 'config.yaml',
    application: { jarUri: '', entryClass: '', args: '', parallelism: '', savepointPath: '', allowNonRestoredState: false },
  };
}

/** "2" → 2; "" → undefined; "abc" → NaN (the schema then says it is not a number). */
function toNumber(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text);
}
function toMap(rows: KeyValue[]): Record<string, string> {
  return Object.fromEntries(rows.filter((r) => r.key !== '' || r.value !== '').map((r) => [r.key, r.value]));
}
function fromMap(map: Record<string, string> | undefined): KeyValue[] {
  return Object.entries(map ?? {}).map(([key, value]) => ({ key, value }));
}
const optional = (text: string) => (text.trim() === '' ? undefined : text);

function toPodInput(p: PodDraft) {
  return {
    cpu: p.cpu,
    memory: p.memory,
    cpuLimitFactor: toNumber(p.cpuLimitFactor),
    memoryLimitFactor: toNumber(p.memoryLimitFactor),
    nodeSelector: toMap(p.nodeSelector),
    tolerations: p.tolerations.map((t) => ({
      key: t.key,
      operator: t.operator,
      value: t.value,
      effect: t.effect,
      tolerationSeconds: toNumber(t.tolerationSeconds),
    })),
    podTemplate: optional(p.podTemplate),
    labels: toMap(p.labels),
    annotations: toMap(p.annotations),
    env: p.env.filter((e) => e.key !== '' || e.value !== '').map((e) => ({ name: e.key, value: e.value })),
  };
}

export function toSpecInput(d: FormDraft): ClusterSpecInput {
  return {
    mode: d.mode,
    clusterId: d.clusterId,
    namespace: d.namespace,
    flinkVersion: d.flinkVersion,
    image: optional(d.image),
    imagePullPolicy: d.imagePullPolicy,
    imagePullSecrets: d.imagePullSecrets,
    serviceAccount: d.serviceAccount,
    jobManager: { ...toPodInput(d.jobManager), replicas: toNumber(d.jobManager.replicas) },
    taskManager: { ...toPodInput(d.taskManager), slots: toNumber(d.taskManager.slots), idleTimeout: optional(d.taskManager.idleTimeout) },
    restExposure: d.restExposure,
    secretsAsFiles: d.secretsAsFiles,
    secretsAsEnv: d.secretsAsEnv,
    ha: {
      enabled: d.ha.enabled,
      storageDir: optional(d.ha.storageDir),
      leaseDuration: optional(d.ha.leaseDuration),
      renewDeadline: optional(d.ha.renewDeadline),
      retryPeriod: optional(d.ha.retryPeriod),
    },
    flinkConfig: d.flinkConfig.filter((e) => e.key !== '' || e.value !== ''),
    configFileFormat: d.configFileFormat,
    application:
      d.mode === 'application'
        ? {
            jarUri: d.application.jarUri,
            entryClass: optional(d.application.entryClass),
            args: d.application.args.split('\n').filter((a) => a.trim() !== ''),
            parallelism: toNumber(d.application.parallelism),
            savepointPath: optional(d.application.savepointPath),
            allowNonRestoredState: d.application.allowNonRestoredState,
          }
        : undefined,
  };
}

function fromPod(p: ClusterSpec['jobManager'] | ClusterSpec['taskManager']): PodDraft {
  return {
    cpu: p.cpu,
    memory: p.memory,
    cpuLimitFactor: String(p.cpuLimitFactor),
    memoryLimitFactor: String(p.memoryLimitFactor),
    nodeSelector: fromMap(p.nodeSelector),
    tolerations: p.tolerations.map((t) => ({ ...t, tolerationSeconds: t.tolerationSeconds === undefined ? '' : String(t.tolerationSeconds) })),
    podTemplate: p.podTemplate ?? '',
    labels: fromMap(p.labels),
    annotations: fromMap(p.annotations),
    env: p.env.map((e) => ({ key: e.name, value: e.value })),
  };
}

/** A saved preset (a parsed spec without id) back into the form; the id and namespace stay. */
export function fromPresetSpec(spec: Omit<ClusterSpec, 'clusterId'>, keep: Pick<FormDraft, 'clusterId' | 'namespace'>): FormDraft {
  return {
    ...keep,
    mode: spec.mode,
    flinkVersion: spec.flinkVersion,
    image: spec.image ?? '',
    imagePullPolicy: spec.imagePullPolicy,
    imagePullSecrets: spec.imagePullSecrets,
    serviceAccount: spec.serviceAccount,
    jobManager: { ...fromPod(spec.jobManager), replicas: String(spec.jobManager.replicas) },
    taskManager: { ...fromPod(spec.taskManager), slots: String(spec.taskManager.slots), idleTimeout: spec.taskManager.idleTimeout ?? '' },
    restExposure: spec.restExposure,
    secretsAsFiles: spec.secretsAsFiles,
    secretsAsEnv: spec.secretsAsEnv,
    ha: {
      enabled: spec.ha.enabled,
      storageDir: spec.ha.storageDir ?? '',
      leaseDuration: spec.ha.leaseDuration ?? '',
      renewDeadline: spec.ha.renewDeadline ?? '',
      retryPeriod: spec.ha.retryPeriod ?? '',
    },
    flinkConfig: spec.flinkConfig,
    configFileFormat: spec.configFileFormat,
    application: {
      jarUri: spec.application?.jarUri ?? '',
      entryClass: spec.application?.entryClass ?? '',
      args: (spec.application?.args ?? []).join('\n'),
      parallelism: spec.application?.parallelism === undefined ? '' : String(spec.application.parallelism),
      savepointPath: spec.application?.savepointPath ?? '',
      allowNonRestoredState: spec.application?.allowNonRestoredState ?? false,
    },
  };
}

/** A field's problem: the plain sentence, and the original Kubernetes/Flink wording as `detail`. */
export type Issue = { path: string; message: string; detail?: string };

/** Issues whose path is `path` or lies under it. */
export function issuesAt(issues: readonly Issue[], path: string): Issue[] {
  return issues.filter((i) => i.path === path || i.path.startsWith(`${path}.`));
}

// Sections of the draft whose fields are touched one by one (jobManager.memory, application.jarUri);
// elsewhere the top-level key is the field (clusterId, flinkConfig, secretsAsEnv).
const NESTED_SECTIONS = new Set(['jobManager', 'taskManager', 'application', 'ha']);

/** The fields an edit changed, as issue path prefixes: "clusterId", "application.jarUri", "jobManager.env". */
export function changedFields(before: FormDraft, after: FormDraft): string[] {
  const changed: string[] = [];
  for (const key of Object.keys(after) as (keyof FormDraft)[]) {
    const a = before[key];
    const b = after[key];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    if (NESTED_SECTIONS.has(key) && a && b && typeof a === 'object' && typeof b === 'object') {
      for (const sub of Object.keys(b)) {
        if (JSON.stringify((a as Record<string, unknown>)[sub]) !== JSON.stringify((b as Record<string, unknown>)[sub])) changed.push(`${key}.${sub}`);
      }
    } else {
      changed.push(key);
    }
  }
  return changed;
}

/**
 * The issues to show: all after a submit was tried; before that only those of fields the user
 * changed, so nothing is red before it was touched (an empty jar URI in application mode).
 */
export function visibleIssues(issues: readonly Issue[], touched: ReadonlySet<string>, submitted: boolean): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\n${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return submitted || [...touched].some((t) => i.path === t || i.path.startsWith(`${t}.`));
  });
}

/** How many fields have an issue (a field with two messages counts once). */
export function countFields(issues: readonly Issue[]): number {
  return new Set(issues.map((i) => i.path)).size;
}
