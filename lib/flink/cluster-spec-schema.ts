// One schema for "create a Flink cluster": the form validates with it (zodResolver) and the
// route with safeParse. Every field has a default, so `{ clusterId }` alone is a valid spec.
import { z } from 'zod';
import { strictObject } from '@/lib/api/strict-object';
import { parseFlinkMemory } from './config-params';
import { FLINK_VERSIONS } from './flink-versions';
import { deriveJobManagerMemory, deriveTaskManagerMemory, MIN_JOB_MANAGER_PROCESS_MEMORY, MIN_TASK_MANAGER_PROCESS_MEMORY, toMebibyteQuantity } from './memory';
import { checkPodTemplate } from './pod-template';
import { isQuantity, parseQuantity } from './quantity';

/**
 * Flink's own limit (Constants.MAXIMUM_CHARACTERS_OF_CLUSTER_ID = 45, checked in
 * AbstractKubernetesParameters.getClusterId with this message). The id is reused in every derived
 * name: TaskManager pods `<id>-taskmanager-<attempt>-<index>` (16+ more characters; a pod name
 * becomes the hostname, a 63-character DNS label), the Services `<id>-rest` and `<id>`
 * (DNS-1035 labels, at most 63), and the HA ConfigMap `<id>-cluster-config-map`.
 */
export const MAX_CLUSTER_ID_LENGTH = 45;

const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
// Flink option keys: dotted segments; '$' for internal keys such as $internal.pipeline.job-id.
const FLINK_KEY = /^[A-Za-z0-9$_-]+(\.[A-Za-z0-9$_/-]+)*$/;
// YAML 1.2 printable set, minus line breaks and tabs (snakeyaml would double-quote those).
const NON_PRINTABLE = /[^\u0020-\u007e\u0085\u00a0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]|\ufeff/u;

// Wording from k8s.io/apimachinery/pkg/util/validation and resource.Quantity.
const QUANTITY_MESSAGE =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const DNS1035_MESSAGE =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const QUALIFIED_NAME_MESSAGE =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MESSAGE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const ENV_NAME_MESSAGE =
  "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";

// Every message leads with a plain sentence that says what to type; the original Kubernetes or
// Flink wording travels with it as `params.detail` (shown smaller on the field, "Details: ...").
type RefinementCtx = z.RefinementCtx;

/** Adds an issue with a plain message and, when given, the original Kubernetes/Flink text as its detail. */
function addIssue(ctx: RefinementCtx, path: PropertyKey[], message: string, detail?: string): void {
  ctx.addIssue({ code: 'custom', path, message, ...(detail ? { params: { detail } } : {}) });
}

/** A validated field's problem: `message` in plain words, `detail` the upstream wording. */
export type FieldIssue = { path: string; message: string; detail?: string };

/** Zod issues of the spec schema as field issues (path joined with '.', detail from params). */
export function toFieldIssues(issues: ReadonlyArray<{ path: readonly PropertyKey[]; message: string }>): FieldIssue[] {
  return issues.map((i) => {
    const detail = (i as { params?: { detail?: unknown } }).params?.detail;
    return { path: i.path.map(String).join('.'), message: i.message, ...(typeof detail === 'string' ? { detail } : {}) };
  });
}

/** What to type for a cluster id: Flink's limit and a DNS-1035 label (the Services `<id>` and `<id>-rest`). */
export const CLUSTER_ID_RULE = `Use lowercase letters, digits and '-', starting with a letter and ending with a letter or digit, at most ${MAX_CLUSTER_ID_LENGTH} characters.`;

function clusterIdProblems(id: string): string[] {
  const problems: string[] = [];
  if (/[A-Z]/.test(id)) problems.push('must be lowercase');
  const bad = [...new Set(id.replace(/[A-Za-z0-9-]/g, ''))];
  if (bad.length > 0) problems.push(`may not contain ${joinWith(bad.map((c) => (c === ' ' ? 'spaces' : `'${c}'`)), 'or')}`);
  if (!/^[A-Za-z]/.test(id)) problems.push(/^[0-9]/.test(id) ? 'must start with a letter, not a digit' : 'must start with a letter');
  if (!/[A-Za-z0-9]$/.test(id)) problems.push('must end with a letter or digit');
  return problems;
}

function joinWith(parts: string[], word: 'and' | 'or'): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} ${word} ${parts.at(-1)}`;
}

const NAMESPACE_RULE = "Use lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters.";
const OBJECT_NAME_RULE = "Use lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters.";
const ENV_NAME_RULE = "Use letters, digits, '_', '-' and '.', not starting with a digit.";
const LABEL_KEY_RULE = "Use letters, digits, '-', '_' and '.', starting and ending with a letter or digit, at most 63 characters, optionally after a DNS prefix and '/' (e.g. example.com/team).";
const LABEL_VALUE_RULE = "Use letters, digits, '-', '_' and '.', starting and ending with a letter or digit, at most 63 characters (or leave it empty).";

function qualifiedNameProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return `a qualified name must consist of at most one prefix and a name: ${QUALIFIED_NAME_MESSAGE}`;
  const name = parts[parts.length - 1] as string;
  if (parts.length === 2) {
    const prefix = parts[0] as string;
    if (prefix.length === 0) return 'prefix part must be non-empty';
    if (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)) return `prefix part ${DNS1123_SUBDOMAIN_MESSAGE}`;
  }
  if (name.length === 0) return 'name part must be non-empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!QUALIFIED_NAME_PART.test(name)) return QUALIFIED_NAME_MESSAGE;
  return undefined;
}

/** Characters that break Flink's `k:v,k2:v2` / `a;b` option syntax or the config file. */
function flinkValueProblem(value: string): string | undefined {
  if (/[\r\n]/.test(value)) return 'must not contain line breaks (they would inject lines into the Flink configuration file)';
  if (NON_PRINTABLE.test(value) || value.includes('\t')) return 'must not contain control characters';
  return undefined;
}

// Flink writes memory as 1728m / 2g; here the field is a Kubernetes quantity, where m means milli.
const FLINK_MEMORY_NOTATION = /^(\d+(?:\.\d+)?)\s*(k|kb|m|mb|g|gb|t|tb)$/i;

function quantityLead(what: 'cpu' | 'memory', value: string): string {
  if (what === 'cpu') return 'Type a number of CPUs such as 1, 0.5 or 500m.';
  const flink = FLINK_MEMORY_NOTATION.exec(value);
  if (flink) {
    const unit = { k: 'Ki', m: 'Mi', g: 'Gi', t: 'Ti' }[(flink[2] as string)[0]!.toLowerCase() as 'k' | 'm' | 'g' | 't'];
    return `Type a memory size such as 1728Mi or 2Gi: ${value.trim()} is Flink's notation, here it is ${flink[1]}${unit}.`;
  }
  return 'Type a memory size such as 1728Mi or 2Gi.';
}

const quantity = (what: 'cpu' | 'memory') =>
  z
    .string()
    .trim()
    .superRefine((v, ctx) => {
      if (!isQuantity(v)) addIssue(ctx, [], quantityLead(what, v), `${what}: ${QUANTITY_MESSAGE}`);
    });

const limitFactor = z
  .number({ message: 'Type a number such as 1 or 1.5.' })
  .refine((v) => Number.isFinite(v) && v >= 1, {
    message: 'Use a number of at least 1: the limit is this factor times the request.',
    params: { detail: 'must be greater than or equal to 1 (Flink rejects limit factors below 1)' },
  });

const labelMap = z.record(z.string(), z.string()).superRefine((map, ctx) => {
  for (const [key, value] of Object.entries(map)) {
    const keyProblem = qualifiedNameProblem(key);
    if (keyProblem) addIssue(ctx, [key], `Key "${key}": ${LABEL_KEY_RULE}`, `key "${key}": ${keyProblem}`);
    if (value.length > 63) addIssue(ctx, [key], `Value of "${key}": ${LABEL_VALUE_RULE}`, `value of "${key}": must be no more than 63 characters`);
    else if (!LABEL_VALUE.test(value)) addIssue(ctx, [key], `Value of "${key}": ${LABEL_VALUE_RULE}`, `value of "${key}": ${LABEL_VALUE_MESSAGE}`);
  }
});

const annotationMap = z.record(z.string(), z.string()).superRefine((map, ctx) => {
  for (const [key, value] of Object.entries(map)) {
    const keyProblem = qualifiedNameProblem(key.toLowerCase());
    if (keyProblem) addIssue(ctx, [key], `Key "${key}": ${LABEL_KEY_RULE}`, `key "${key}": ${keyProblem}`);
    const valueProblem = flinkValueProblem(value);
    if (valueProblem) ctx.addIssue({ code: 'custom', path: [key], message: `value of "${key}": ${valueProblem}` });
    // Flink re-reads map options from config.yaml with a YAML parser first
    // (ConfigurationUtils.convertToProperties): ': ' or a trailing ':' would turn the string into
    // a YAML mapping and change the annotations.
    else if (/: |:$| #/.test(value)) {
      ctx.addIssue({ code: 'custom', path: [key], message: `value of "${key}": must not contain ': ', ' #' or end with ':' (Flink's map option syntax cannot carry them)` });
    }
  }
});

const nodeSelectorMap = labelMap;

export const TOLERATION_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;

// Messages as in k8s.io/kubernetes/pkg/apis/core/validation ValidateTolerations.
const tolerationSchema = z
  .object({
    key: z.string().default(''),
    operator: z.string().default('Equal'),
    value: z.string().default(''),
    effect: z.string().default(''),
    tolerationSeconds: z.number({ message: 'Type a whole number of seconds.' }).int({ message: 'Type a whole number of seconds.' }).optional(),
  })
  .superRefine((t, ctx) => {
    if (t.key !== '') {
      const problem = qualifiedNameProblem(t.key);
      if (problem) addIssue(ctx, ['key'], `Taint key: ${LABEL_KEY_RULE}`, problem);
    } else if (t.operator !== 'Exists') {
      addIssue(ctx, ['operator'], 'Without a key, choose operator Exists (it tolerates every taint), or enter the taint key.', 'operator must be Exists when `key` is empty, which means "match all values and all keys"');
    }
    if (t.operator !== 'Equal' && t.operator !== 'Exists') {
      addIssue(ctx, ['operator'], 'Choose operator Equal or Exists.', `Unsupported value: "${t.operator}": supported values: "Equal", "Exists"`);
    }
    if (t.operator === 'Exists' && t.value !== '') {
      addIssue(ctx, ['value'], 'Leave the value empty with operator Exists, or choose Equal.', "value must be empty when `operator` is 'Exists'");
    }
    if (t.operator === 'Equal' && t.value !== '' && !LABEL_VALUE.test(t.value)) {
      addIssue(ctx, ['value'], `Taint value: ${LABEL_VALUE_RULE}`, LABEL_VALUE_MESSAGE);
    }
    if (t.effect !== '' && !(TOLERATION_EFFECTS as readonly string[]).includes(t.effect)) {
      addIssue(ctx, ['effect'], 'Choose effect NoSchedule, PreferNoSchedule or NoExecute (or leave it empty for all).', `Unsupported value: "${t.effect}": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"`);
    }
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      addIssue(ctx, ['effect'], 'Toleration seconds only apply to effect NoExecute: choose NoExecute or clear the seconds.', "effect must be 'NoExecute' when `tolerationSeconds` is set");
    }
  });

export type Toleration = z.infer<typeof tolerationSchema>;

const envSchema = z
  .array(strictObject({ name: z.string(), value: z.string() }))
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((env, i) => {
      if (!ENV_NAME.test(env.name)) addIssue(ctx, [i, 'name'], `Env var name: ${ENV_NAME_RULE}`, ENV_NAME_MESSAGE);
      if (seen.has(env.name)) addIssue(ctx, [i, 'name'], `${env.name} is set twice: keep one row per name.`, `Duplicate env name "${env.name}"`);
      seen.add(env.name);
      const problem = flinkValueProblem(env.value);
      if (problem) ctx.addIssue({ code: 'custom', path: [i, 'value'], message: problem });
    });
  });

// KubernetesUtils.loadPodFromTemplateFile reads the file as a Pod; a template that is not a YAML
// mapping fails the deployment, so it is refused here.
const podTemplate = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v))
  .superRefine((v, ctx) => {
    const problem = v === undefined ? undefined : checkPodTemplate(v);
    if (problem) ctx.addIssue({ code: 'custom', message: `invalid pod template: ${problem}` });
  });

const jobManagerSchema = strictObject({
  cpu: quantity('cpu').default('1'),
  memory: quantity('memory').default('1600Mi'),
  cpuLimitFactor: limitFactor.default(1),
  memoryLimitFactor: limitFactor.default(1),
  // KubernetesJobManagerParameters.getReplicas
  replicas: z
    .number({ message: 'Type a whole number such as 1 or 2.' })
    .int({ message: 'Type a whole number such as 1 or 2.' })
    .refine((v) => v >= 1, { message: 'Use at least 1 JobManager.', params: { detail: "'kubernetes.jobmanager.replicas' should not be configured less than 1." } })
    .default(1),
  nodeSelector: nodeSelectorMap.default({}),
  tolerations: z.array(tolerationSchema).default([]),
  podTemplate,
  labels: labelMap.default({}),
  annotations: annotationMap.default({}),
  env: envSchema.default([]),
});

const FLINK_DURATION = /^\d+\s*(ms|milli|millis|millisecond|milliseconds|s|sec|secs|second|seconds|min|m|minute|minutes|h|hour|hours|d|day|days)?$/;

const taskManagerSchema = strictObject({
  cpu: quantity('cpu').default('1'),
  memory: quantity('memory').default('1728Mi'),
  cpuLimitFactor: limitFactor.default(1),
  memoryLimitFactor: limitFactor.default(1),
  slots: z.number({ message: 'Type a whole number such as 1 or 4.' }).int({ message: 'Type a whole number such as 1 or 4.' }).min(1, { message: 'Use at least 1 slot.' }).default(1),
  idleTimeout: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || FLINK_DURATION.test(v), { message: 'Type a duration such as 30 s, 5 min or 60000 ms, or leave it empty.' }),
  nodeSelector: nodeSelectorMap.default({}),
  tolerations: z.array(tolerationSchema).default([]),
  podTemplate,
  labels: labelMap.default({}),
  annotations: annotationMap.default({}),
  env: envSchema.default([]),
});

const secretName = z.string().refine((v) => v.length <= 253 && DNS1123_SUBDOMAIN.test(v), {
  message: `Secret name: ${OBJECT_NAME_RULE}`,
  params: { detail: DNS1123_SUBDOMAIN_MESSAGE },
});

const haSchema = strictObject({
  enabled: z.boolean().default(false),
  storageDir: z.string().trim().optional(),
  leaseDuration: z.string().trim().optional(),
  renewDeadline: z.string().trim().optional(),
  retryPeriod: z.string().trim().optional(),
});

const applicationSchema = strictObject({
  jarUri: z.string().trim(),
  entryClass: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
  args: z.array(z.string()).default([]),
  parallelism: z
    .number({ message: 'Type a whole number such as 2.' })
    .int({ message: 'Type a whole number such as 2.' })
    .refine((v) => v >= 1, { message: 'Use a parallelism of at least 1, or leave it empty for the default.', params: { detail: 'The parallelism must be a positive number' } })
    .optional(),
  savepointPath: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
  allowNonRestoredState: z.boolean().default(false),
});

export const REST_EXPOSURE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'Headless_ClusterIP'] as const;

// Keys the console derives from form fields; setting them again as free config would fight the form.
const FORM_OWNED_KEYS = new Set([
  'kubernetes.cluster-id',
  'kubernetes.namespace',
  'execution.target',
  'kubernetes.config.file',
]);

const baseSchema = strictObject({
  mode: z.enum(['session', 'application']).default('session'),
  clusterId: z
    .string({ message: `Enter a cluster id. ${CLUSTER_ID_RULE}` })
    .superRefine((id, ctx) => {
      if (id.trim() === '') {
        addIssue(ctx, [], `Enter a cluster id. ${CLUSTER_ID_RULE}`, 'kubernetes.cluster-id must not be blank.');
        return;
      }
      // One issue for the field: what is wrong in plain words, then what to type; the
      // Flink and Kubernetes wording as the detail.
      const problems = DNS1035.test(id) ? [] : clusterIdProblems(id);
      const details: string[] = [];
      if (id.length > MAX_CLUSTER_ID_LENGTH) details.push(`kubernetes.cluster-id must be no more than ${MAX_CLUSTER_ID_LENGTH} characters.`);
      if (problems.length > 0) details.push(DNS1035_MESSAGE);
      if (details.length === 0) return;
      const lead = [
        id.length > MAX_CLUSTER_ID_LENGTH ? `A cluster id has at most ${MAX_CLUSTER_ID_LENGTH} characters; this one has ${id.length}.` : '',
        problems.length > 0 ? `A cluster id ${joinWith(problems, 'and')}.` : '',
      ].filter(Boolean);
      addIssue(ctx, [], `${lead.join(' ')} ${CLUSTER_ID_RULE}`, details.join(' '));
    }),
  namespace: z
    .string()
    .default('default')
    .refine((v) => v.length <= 63 && DNS1123_LABEL.test(v), { message: `Namespace: ${NAMESPACE_RULE}`, params: { detail: DNS1123_LABEL_MESSAGE } }),
  flinkVersion: z.enum(FLINK_VERSIONS).default('1.20'),
  image: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || !/\s/.test(v), { message: 'must not contain whitespace' }),
  imagePullPolicy: z.enum(['IfNotPresent', 'Always', 'Never']).default('IfNotPresent'),
  imagePullSecrets: z.array(secretName).default([]),
  serviceAccount: z
    .string()
    .default('flink')
    .refine((v) => v.length <= 253 && DNS1123_SUBDOMAIN.test(v), { message: `Service account: ${OBJECT_NAME_RULE}`, params: { detail: DNS1123_SUBDOMAIN_MESSAGE } }),
  jobManager: jobManagerSchema.prefault({}),
  taskManager: taskManagerSchema.prefault({}),
  restExposure: z.enum(REST_EXPOSURE_TYPES).default('ClusterIP'),
  secretsAsFiles: z
    .array(
      strictObject({
        secretName,
        mountPath: z.string().refine((p) => p.startsWith('/') && !/[,:;'"\s]/.test(p), {
          message: "must be an absolute path without ',', ':', ';', quotes or spaces",
        }),
      }),
    )
    .default([]),
  secretsAsEnv: z
    .array(
      strictObject({
        envName: z.string().refine((v) => ENV_NAME.test(v), { message: `Env var name: ${ENV_NAME_RULE}`, params: { detail: ENV_NAME_MESSAGE } }),
        secretName,
        key: z.string().refine((v) => /^[-._a-zA-Z0-9]+$/.test(v) && v.length <= 253, {
          message: 'Choose a key of the Secret.',
          params: { detail: "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')" },
        }),
      }),
    )
    .default([]),
  ha: haSchema.prefault({}),
  flinkConfig: z.array(strictObject({ key: z.string(), value: z.string() })).default([]),
  configFileFormat: z.enum(['config.yaml', 'flink-conf.yaml']).default('config.yaml'),
  application: applicationSchema.optional(),
});

export const clusterSpecSchema = baseSchema.superRefine((spec, ctx) => {
  if (spec.configFileFormat === 'flink-conf.yaml' && spec.flinkVersion.startsWith('2.')) {
    ctx.addIssue({
      code: 'custom',
      path: ['configFileFormat'],
      message: 'flink-conf.yaml is only read by Flink 1.19 and 1.20; Flink 2.x reads config.yaml only',
    });
  }
  // Memory below what Flink's process memory model accepts fails the client before any object
  // is created; surface the same message on the field. A later free-configuration process size
  // wins like a later -D; other *.memory.* options change the derivation, so the check then
  // stays with Flink.
  const lastConfigValue = (key: string) => spec.flinkConfig.filter((e) => e.key === key).at(-1)?.value;
  const tunes = (prefix: string, processKey: string) =>
    spec.flinkConfig.some((e) => e.key.startsWith(prefix) && e.key !== processKey);
  for (const role of ['jobManager', 'taskManager'] as const) {
    const flinkRole = role === 'jobManager' ? 'jobmanager' : 'taskmanager';
    const processKey = `${flinkRole}.memory.process.size`;
    const override = lastConfigValue(processKey);
    const bytes = override !== undefined ? parseFlinkMemory(override) : parseQuantity(spec[role].memory);
    if (bytes === undefined || tunes(`${flinkRole}.memory.`, processKey)) continue;
    const derived = (role === 'jobManager' ? deriveJobManagerMemory : deriveTaskManagerMemory)(Math.floor(bytes));
    if (derived.ok) continue;
    const minimum = toMebibyteQuantity(role === 'jobManager' ? MIN_JOB_MANAGER_PROCESS_MEMORY : MIN_TASK_MANAGER_PROCESS_MEMORY);
    const label = role === 'jobManager' ? 'JobManager' : 'TaskManager';
    const typed = spec[role].memory;
    const hint =
      override !== undefined
        ? ` (${processKey} in the Flink configuration sets ${override})`
        : /^\d+(\.\d+)?m$/.test(typed)
          ? ` (${typed} means ${typed.slice(0, -1)} thousandths of a byte here; did you mean ${typed.slice(0, -1)}Mi?)`
          : '';
    addIssue(ctx, [role, 'memory'], `${label} memory must be at least ${minimum} for these settings${hint}.`, derived.message);
  }
  for (const [path, text] of [
    [['jobManager', 'cpu'], spec.jobManager.cpu],
    [['taskManager', 'cpu'], spec.taskManager.cpu],
  ] as const) {
    const cpu = parseQuantity(text);
    if (cpu !== undefined && !(cpu > 0)) addIssue(ctx, [...path], 'Use more than 0 CPUs, such as 0.5 or 1.', 'must be greater than 0');
  }
  if (spec.jobManager.replicas > 1 && !spec.ha.enabled) {
    addIssue(
      ctx,
      ['jobManager', 'replicas'],
      'Standby JobManagers need high availability: enable it below, or use 1 replica.',
      'High availability should be enabled when starting standby JobManagers.',
    );
  }
  if (spec.ha.enabled && !spec.ha.storageDir) {
    addIssue(
      ctx,
      ['ha', 'storageDir'],
      'Enter durable storage for the HA metadata, such as s3://bucket/flink/ha.',
      'Configuration is missing the mandatory parameter: high-availability.storageDir',
    );
  }
  for (const field of ['leaseDuration', 'renewDeadline', 'retryPeriod'] as const) {
    const v = spec.ha[field];
    if (v !== undefined && v !== '' && !FLINK_DURATION.test(v)) {
      ctx.addIssue({ code: 'custom', path: ['ha', field], message: 'Type a duration such as 15 s, 500 ms or 1 min.' });
    }
  }
  for (const field of ['storageDir'] as const) {
    const v = spec.ha[field];
    const problem = v === undefined ? undefined : flinkValueProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', path: ['ha', field], message: problem });
  }
  spec.secretsAsFiles.forEach((s, i) => {
    if (spec.secretsAsFiles.findIndex((o) => o.secretName === s.secretName) !== i) {
      ctx.addIssue({ code: 'custom', path: ['secretsAsFiles', i, 'secretName'], message: `secret "${s.secretName}" is mounted twice` });
    }
  });
  spec.secretsAsEnv.forEach((s, i) => {
    if (spec.secretsAsEnv.findIndex((o) => o.envName === s.envName) !== i) {
      ctx.addIssue({ code: 'custom', path: ['secretsAsEnv', i, 'envName'], message: `Duplicate env name "${s.envName}"` });
    }
  });
  const keys = new Set<string>();
  spec.flinkConfig.forEach((entry, i) => {
    const { key, value } = entry;
    if (key !== key.trim() || key === '') {
      ctx.addIssue({ code: 'custom', path: ['flinkConfig', i, 'key'], message: 'must not be empty or start or end with spaces' });
    } else if (/[\r\n]/.test(key) || key.includes(': ') || key.includes('#') || key.endsWith(':') || !FLINK_KEY.test(key)) {
      ctx.addIssue({
        code: 'custom',
        path: ['flinkConfig', i, 'key'],
        message: "must be a Flink option key: dotted segments of letters, digits, '-', '_' or '$' (no spaces, ': ', '#' or line breaks)",
      });
    } else if (FORM_OWNED_KEYS.has(key)) {
      ctx.addIssue({ code: 'custom', path: ['flinkConfig', i, 'key'], message: `${key} is set by the form` });
    }
    keys.add(key);
    const problem = flinkValueProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', path: ['flinkConfig', i, 'value'], message: problem });
    else if (value !== value.trim()) {
      ctx.addIssue({ code: 'custom', path: ['flinkConfig', i, 'value'], message: 'must not start or end with spaces (Flink trims them)' });
    } else if (spec.configFileFormat === 'flink-conf.yaml' && value.includes('#')) {
      ctx.addIssue({
        code: 'custom',
        path: ['flinkConfig', i, 'value'],
        message: "must not contain '#' in flink-conf.yaml (everything after '#' is read as a comment)",
      });
    }
  });
  // config.yaml nests keys on '.', so "a.b" and "a.b.c" cannot both exist
  // (YamlParserUtils.convertAndDumpYamlFromFlatMap fails with a ClassCastException).
  const sorted = [...keys].sort();
  for (const key of sorted) {
    const clash = sorted.find((other) => other.startsWith(`${key}.`));
    if (clash && spec.configFileFormat === 'config.yaml') {
      const index = spec.flinkConfig.findIndex((e) => e.key === clash);
      ctx.addIssue({
        code: 'custom',
        path: ['flinkConfig', index, 'key'],
        message: `Overlapping key prefixes detected (${key} -> ${clash}): config.yaml cannot hold both`,
      });
    }
  }
  if (spec.mode === 'application') {
    if (!spec.application) {
      addIssue(ctx, ['application'], 'An application cluster needs the jar URI of its job.', 'application mode needs a jar');
      return;
    }
    const uri = spec.application.jarUri;
    const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(uri)?.[1]?.toLowerCase();
    if (uri === '') {
      ctx.addIssue({ code: 'custom', path: ['application', 'jarUri'], message: 'Enter the jar URI of the job, such as local:///opt/flink/usrlib/my-job.jar, or pick an example jar of the image.' });
    } else if (!scheme) {
      ctx.addIssue({ code: 'custom', path: ['application', 'jarUri'], message: 'Type a URI such as local:///opt/flink/usrlib/my-job.jar, https://… or s3://…' });
    } else if (scheme === 'local' && !/^local:\/\/\//.test(uri)) {
      ctx.addIssue({ code: 'custom', path: ['application', 'jarUri'], message: 'Use three slashes and an absolute path inside the image, such as local:///opt/flink/usrlib/my-job.jar.' });
    } else if (!['local', 'http', 'https', 's3', 's3a', 's3p'].includes(scheme)) {
      ctx.addIssue({ code: 'custom', path: ['application', 'jarUri'], message: 'Use a local://, http://, https://, s3://, s3a:// or s3p:// URI.' });
    } else if (/\s/.test(uri) || /[;'"]/.test(uri)) {
      ctx.addIssue({ code: 'custom', path: ['application', 'jarUri'], message: 'Remove spaces, quotes and ; from the URI.' });
    }
    if (spec.application.entryClass && !/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(spec.application.entryClass)) {
      ctx.addIssue({ code: 'custom', path: ['application', 'entryClass'], message: 'Type a fully qualified Java class name such as com.example.Job, or leave it empty to use the jar manifest.' });
    }
    spec.application.args.forEach((arg, i) => {
      const problem = flinkValueProblem(arg);
      if (problem) ctx.addIssue({ code: 'custom', path: ['application', 'args', i], message: problem });
    });
    const sp = spec.application.savepointPath;
    const spProblem = sp === undefined ? undefined : flinkValueProblem(sp);
    if (spProblem) ctx.addIssue({ code: 'custom', path: ['application', 'savepointPath'], message: spProblem });
  }
});

export type ClusterSpec = z.infer<typeof clusterSpecSchema>;
export type ClusterSpecInput = z.input<typeof clusterSpecSchema>;
