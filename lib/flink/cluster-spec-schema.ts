// One schema for "create a Flink cluster": the form validates with it (zodResolver) and the
// route with safeParse. Every field has a default, so `{ clusterId }` alone is a valid spec.
import { z } from 'zod';
import { parseFlinkMemory } from './config-params';
import { FLINK_VERSIONS } from './flink-versions';
import { deriveJobManagerMemory, deriveTaskManagerMemory } from './memory';
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

const quantity = (what: string) =>
  z.string().trim().refine(isQuantity, { message: `${what}: ${QUANTITY_MESSAGE}` });

const limitFactor = z
  .number()
  .refine((v) => Number.isFinite(v) && v >= 1, { message: 'must be greater than or equal to 1 (Flink rejects limit factors below 1)' });

const labelMap = z.record(z.string(), z.string()).superRefine((map, ctx) => {
  for (const [key, value] of Object.entries(map)) {
    const keyProblem = qualifiedNameProblem(key);
    if (keyProblem) ctx.addIssue({ code: 'custom', path: [key], message: `key "${key}": ${keyProblem}` });
    if (value.length > 63) ctx.addIssue({ code: 'custom', path: [key], message: `value of "${key}": must be no more than 63 characters` });
    else if (!LABEL_VALUE.test(value)) ctx.addIssue({ code: 'custom', path: [key], message: `value of "${key}": ${LABEL_VALUE_MESSAGE}` });
  }
});

const annotationMap = z.record(z.string(), z.string()).superRefine((map, ctx) => {
  for (const [key, value] of Object.entries(map)) {
    const keyProblem = qualifiedNameProblem(key.toLowerCase());
    if (keyProblem) ctx.addIssue({ code: 'custom', path: [key], message: `key "${key}": ${keyProblem}` });
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
    tolerationSeconds: z.number().int().optional(),
  })
  .superRefine((t, ctx) => {
    if (t.key !== '') {
      const problem = qualifiedNameProblem(t.key);
      if (problem) ctx.addIssue({ code: 'custom', path: ['key'], message: problem });
    } else if (t.operator !== 'Exists') {
      ctx.addIssue({ code: 'custom', path: ['operator'], message: 'operator must be Exists when `key` is empty, which means "match all values and all keys"' });
    }
    if (t.operator !== 'Equal' && t.operator !== 'Exists') {
      ctx.addIssue({ code: 'custom', path: ['operator'], message: `Unsupported value: "${t.operator}": supported values: "Equal", "Exists"` });
    }
    if (t.operator === 'Exists' && t.value !== '') {
      ctx.addIssue({ code: 'custom', path: ['value'], message: "value must be empty when `operator` is 'Exists'" });
    }
    if (t.operator === 'Equal' && t.value !== '' && !LABEL_VALUE.test(t.value)) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: LABEL_VALUE_MESSAGE });
    }
    if (t.effect !== '' && !(TOLERATION_EFFECTS as readonly string[]).includes(t.effect)) {
      ctx.addIssue({ code: 'custom', path: ['effect'], message: `Unsupported value: "${t.effect}": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"` });
    }
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      ctx.addIssue({ code: 'custom', path: ['effect'], message: "effect must be 'NoExecute' when `tolerationSeconds` is set" });
    }
  });

export type Toleration = z.infer<typeof tolerationSchema>;

const envSchema = z
  .array(z.object({ name: z.string(), value: z.string() }))
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((env, i) => {
      if (!ENV_NAME.test(env.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: ENV_NAME_MESSAGE });
      if (seen.has(env.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `Duplicate env name "${env.name}"` });
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

const jobManagerSchema = z.object({
  cpu: quantity('cpu').default('1'),
  memory: quantity('memory').default('1600Mi'),
  cpuLimitFactor: limitFactor.default(1),
  memoryLimitFactor: limitFactor.default(1),
  // KubernetesJobManagerParameters.getReplicas
  replicas: z.number().int().min(1, { message: "'kubernetes.jobmanager.replicas' should not be configured less than 1." }).default(1),
  nodeSelector: nodeSelectorMap.default({}),
  tolerations: z.array(tolerationSchema).default([]),
  podTemplate,
  labels: labelMap.default({}),
  annotations: annotationMap.default({}),
  env: envSchema.default([]),
});

const FLINK_DURATION = /^\d+\s*(ms|milli|millis|millisecond|milliseconds|s|sec|secs|second|seconds|min|m|minute|minutes|h|hour|hours|d|day|days)?$/;

const taskManagerSchema = z.object({
  cpu: quantity('cpu').default('1'),
  memory: quantity('memory').default('1728Mi'),
  cpuLimitFactor: limitFactor.default(1),
  memoryLimitFactor: limitFactor.default(1),
  slots: z.number().int().min(1, { message: 'must be at least 1' }).default(1),
  idleTimeout: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || FLINK_DURATION.test(v), { message: 'must be a Flink duration such as 30 s, 5 min or 60000 ms' }),
  nodeSelector: nodeSelectorMap.default({}),
  tolerations: z.array(tolerationSchema).default([]),
  podTemplate,
  labels: labelMap.default({}),
  annotations: annotationMap.default({}),
  env: envSchema.default([]),
});

const secretName = z.string().refine((v) => v.length <= 253 && DNS1123_SUBDOMAIN.test(v), { message: DNS1123_SUBDOMAIN_MESSAGE });

const haSchema = z.object({
  enabled: z.boolean().default(false),
  storageDir: z.string().trim().optional(),
  leaseDuration: z.string().trim().optional(),
  renewDeadline: z.string().trim().optional(),
  retryPeriod: z.string().trim().optional(),
});

const applicationSchema = z.object({
  jarUri: z.string().trim(),
  entryClass: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
  args: z.array(z.string()).default([]),
  parallelism: z.number().int().min(1, { message: 'The parallelism must be a positive number' }).optional(),
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

const baseSchema = z.object({
  mode: z.enum(['session', 'application']).default('session'),
  clusterId: z
    .string({ message: 'kubernetes.cluster-id must not be blank.' })
    .superRefine((id, ctx) => {
      if (id.trim() === '') {
        ctx.addIssue({ code: 'custom', message: 'kubernetes.cluster-id must not be blank.' });
        return;
      }
      if (id.length > MAX_CLUSTER_ID_LENGTH) {
        ctx.addIssue({
          code: 'custom',
          message: `kubernetes.cluster-id must be no more than ${MAX_CLUSTER_ID_LENGTH} characters.`,
        });
      }
      if (/[A-Z]/.test(id)) ctx.addIssue({ code: 'custom', message: `must be lowercase: ${DNS1035_MESSAGE}` });
      else if (/^[0-9]/.test(id)) ctx.addIssue({ code: 'custom', message: `must start with a letter, not a digit: ${DNS1035_MESSAGE}` });
      else if (!DNS1035.test(id)) ctx.addIssue({ code: 'custom', message: DNS1035_MESSAGE });
    }),
  namespace: z
    .string()
    .default('default')
    .refine((v) => v.length <= 63 && DNS1123_LABEL.test(v), { message: DNS1123_LABEL_MESSAGE }),
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
    .refine((v) => v.length <= 253 && DNS1123_SUBDOMAIN.test(v), { message: DNS1123_SUBDOMAIN_MESSAGE }),
  jobManager: jobManagerSchema.prefault({}),
  taskManager: taskManagerSchema.prefault({}),
  restExposure: z.enum(REST_EXPOSURE_TYPES).default('ClusterIP'),
  secretsAsFiles: z
    .array(
      z.object({
        secretName,
        mountPath: z.string().refine((p) => p.startsWith('/') && !/[,:;'"\s]/.test(p), {
          message: "must be an absolute path without ',', ':', ';', quotes or spaces",
        }),
      }),
    )
    .default([]),
  secretsAsEnv: z
    .array(
      z.object({
        envName: z.string().refine((v) => ENV_NAME.test(v), { message: ENV_NAME_MESSAGE }),
        secretName,
        key: z.string().refine((v) => /^[-._a-zA-Z0-9]+$/.test(v) && v.length <= 253, {
          message: "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
        }),
      }),
    )
    .default([]),
  ha: haSchema.prefault({}),
  flinkConfig: z.array(z.object({ key: z.string(), value: z.string() })).default([]),
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
  const jmOverride = lastConfigValue('jobmanager.memory.process.size');
  const jmBytes = jmOverride !== undefined ? parseFlinkMemory(jmOverride) : parseQuantity(spec.jobManager.memory);
  if (jmBytes !== undefined && !tunes('jobmanager.memory.', 'jobmanager.memory.process.size')) {
    const jm = deriveJobManagerMemory(Math.floor(jmBytes));
    if (!jm.ok) ctx.addIssue({ code: 'custom', path: ['jobManager', 'memory'], message: jm.message });
  }
  const tmOverride = lastConfigValue('taskmanager.memory.process.size');
  const tmBytes = tmOverride !== undefined ? parseFlinkMemory(tmOverride) : parseQuantity(spec.taskManager.memory);
  if (tmBytes !== undefined && !tunes('taskmanager.memory.', 'taskmanager.memory.process.size')) {
    const tm = deriveTaskManagerMemory(Math.floor(tmBytes));
    if (!tm.ok) ctx.addIssue({ code: 'custom', path: ['taskManager', 'memory'], message: tm.message });
  }
  for (const [path, text] of [
    [['jobManager', 'cpu'], spec.jobManager.cpu],
    [['taskManager', 'cpu'], spec.taskManager.cpu],
  ] as const) {
    const cpu = parseQuantity(text);
    if (cpu !== undefined && !(cpu > 0)) ctx.addIssue({ code: 'custom', path: [...path], message: 'must be greater than 0' });
  }
  if (spec.jobManager.replicas > 1 && !spec.ha.enabled) {
    ctx.addIssue({
      code: 'custom',
      path: ['jobManager', 'replicas'],
      message: 'High availability should be enabled when starting standby JobManagers.',
    });
  }
  if (spec.ha.enabled && !spec.ha.storageDir) {
    ctx.addIssue({
      code: 'custom',
      path: ['ha', 'storageDir'],
      message: 'Configuration is missing the mandatory parameter: high-availability.storageDir',
    });
  }
  for (const field of ['leaseDuration', 'renewDeadline', 'retryPeriod'] as const) {
    const v = spec.ha[field];
    if (v !== undefined && v !== '' && !FLINK_DURATION.test(v)) {
      ctx.addIssue({ code: 'custom', path: ['ha', field], message: 'must be a Flink duration such as 15 s' });
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
      ctx.addIssue({ code: 'custom', path: ['application'], message: 'application mode needs a jar' });
      return;
    }
    const uri = spec.application.jarUri;
    const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(uri)?.[1]?.toLowerCase();
    if (!scheme) {
      ctx.addIssue({ code: 'custom', path: ['application', 'jarUri'], message: 'must be a URI such as local:///opt/flink/usrlib/my-job.jar, https://… or s3://…' });
    } else if (scheme === 'local' && !/^local:\/\/\//.test(uri)) {
      ctx.addIssue({ code: 'custom', path: ['application', 'jarUri'], message: 'local:// URIs must hold an absolute path inside the image, e.g. local:///opt/flink/usrlib/my-job.jar' });
    } else if (!['local', 'http', 'https', 's3', 's3a', 's3p'].includes(scheme)) {
      ctx.addIssue({ code: 'custom', path: ['application', 'jarUri'], message: 'supported schemes: local, http, https, s3, s3a, s3p' });
    } else if (/\s/.test(uri) || /[;'"]/.test(uri)) {
      ctx.addIssue({ code: 'custom', path: ['application', 'jarUri'], message: 'must not contain spaces, quotes or ;' });
    }
    if (spec.application.entryClass && !/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(spec.application.entryClass)) {
      ctx.addIssue({ code: 'custom', path: ['application', 'entryClass'], message: 'must be a fully qualified Java class name' });
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
