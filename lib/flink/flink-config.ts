// The Flink configuration the native Kubernetes client builds for a spec, and the config file it
// writes into flink-config-<id>. It reproduces, in order:
//   1. the distribution's conf/config.yaml (GlobalConfiguration: typed YAML scalars; all strings
//      when the client reads a legacy flink-conf.yaml),
//   2. `-t kubernetes-application` (application) and the `-D` dynamic properties (strings; later
//      ones win, as GenericCLI.toConfiguration/Configuration.setString do),
//   3. ProgramOptions.applyToConfiguration + ApplicationConfiguration.applyToConfiguration
//      (application mode: typed values),
//   4. what KubernetesClusterDescriptor.deployClusterInternal and InternalServiceDecorator add,
//   5. minus the keys FlinkConfMountDecorator.getClusterSideConfData removes.
import type { ClusterSpec, Toleration } from './cluster-spec-schema';
import { defaultImageFor, getDistConf, NEWEST_KNOWN_PATCH, restoreKeysFor, type FlinkVersion } from './flink-versions';
import { expectedSizeCapacity, orderLikeJavaHashMap, presizedCapacity } from './java-hash-map';
import { formatJavaDouble, parseQuantity, toFlinkMemorySize } from './quantity';
import { dumpBlockYaml, type YamlTree } from './yaml-dump';

export type FlinkConfigValue = string | number | boolean | readonly string[];
/** Flink's Configuration: keys in insertion order, values with the type Flink holds them in. */
export type TypedFlinkConfig = Map<string, FlinkConfigValue>;
export type ConfigFileFormat = 'config.yaml' | 'flink-conf.yaml';

export const SESSION_ENTRYPOINT = 'org.apache.flink.kubernetes.entrypoint.KubernetesSessionClusterEntrypoint';
export const APPLICATION_ENTRYPOINT = 'org.apache.flink.kubernetes.entrypoint.KubernetesApplicationClusterEntrypoint';

/** Client-side file names the equivalent CLI passes as kubernetes.pod-template-file.*. */
export const JOB_MANAGER_POD_TEMPLATE_FILE = 'jobmanager-pod-template.yaml';
export const TASK_MANAGER_POD_TEMPLATE_FILE = 'taskmanager-pod-template.yaml';

/** FlinkConfMountDecorator.getClusterSideConfData removes these before writing the file. */
export const CLUSTER_SIDE_REMOVED_KEYS = [
  'kubernetes.config.file',
  '$internal.deployment.config-dir',
  'rest.bind-address',
  'jobmanager.bind-host',
  'taskmanager.bind-host',
  'taskmanager.host',
] as const;

/** StructuredOptionsSplitter.escapeWithSingleQuote. */
export function escapeWithSingleQuote(value: string, ...charsToEscape: string[]): string {
  const needs = charsToEscape.some((c) => value.includes(c)) || value.includes("'") || value.includes('"');
  return needs ? `'${value.replaceAll("'", "''")}'` : value;
}

/** Flink's legacy map syntax `k1:v1,k2:v2` (ConfigurationUtils.convertToString for maps). */
export function toFlinkMapString(map: Readonly<Record<string, string>>): string {
  return Object.entries(map)
    .map(([k, v]) => escapeWithSingleQuote(`${escapeWithSingleQuote(k, ':')}:${escapeWithSingleQuote(v, ':')}`, ','))
    .join(',');
}

function toFlinkTolerationString(tolerations: readonly Toleration[]): string {
  return tolerations
    .map((t) => {
      const parts: string[] = [];
      if (t.key !== '') parts.push(`key:${t.key}`);
      parts.push(`operator:${t.operator}`);
      if (t.value !== '') parts.push(`value:${t.value}`);
      if (t.effect !== '') parts.push(`effect:${t.effect}`);
      if (t.tolerationSeconds !== undefined) parts.push(`tolerationSeconds:${t.tolerationSeconds}`);
      return parts.join(',');
    })
    .join(';');
}

/** ConfigurationUtils.convertToString(value, false): how a value reads in flat form. */
export function toLegacyString(value: FlinkConfigValue): string {
  if (Array.isArray(value)) return value.map((item: string) => escapeWithSingleQuote(item, ';')).join(';');
  return String(value);
}

function memoryOf(quantity: string): string {
  return toFlinkMemorySize(parseQuantity(quantity) ?? 0);
}

function cpuOf(quantity: string): string {
  return formatJavaDouble(parseQuantity(quantity) ?? 0);
}

function jarScheme(uri: string): string {
  return (/^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(uri)?.[1] ?? '').toLowerCase();
}

/** The S3 filesystem plugin jar shipped in /opt/flink/opt of the image. */
export function s3PluginJarFor(spec: ClusterSpec): string {
  const tag = /:(\d+\.\d+\.\d+)(?:[-@]|$)/.exec(spec.image ?? '')?.[1];
  return `flink-s3-fs-hadoop-${tag ?? NEWEST_KNOWN_PATCH[spec.flinkVersion]}.jar`;
}

function distValue(spec: ClusterSpec, key: string): string | undefined {
  const entry = getDistConf(spec.flinkVersion).config.find(([k]) => k === key);
  return entry === undefined ? undefined : String(entry[1]);
}

/**
 * The `-D` dynamic properties of the equivalent CLI call, in order. A form value is passed only
 * when it differs from what Flink would use without it (its option default, or the value the
 * distribution's config.yaml already holds), so the file keeps the distribution's values and a
 * pod template can still win where Flink lets it (KubernetesUtils.resolveUserDefinedValue).
 * Free configuration comes last, so it overrides form fields exactly as a later `-D` does.
 */
export function buildDynamicProperties(spec: ClusterSpec): Array<[string, string]> {
  const d: Array<[string, string]> = [];
  const jm = spec.jobManager;
  const tm = spec.taskManager;
  const jmMemory = memoryOf(jm.memory);
  const tmMemory = memoryOf(tm.memory);
  const jmCpu = parseQuantity(jm.cpu) ?? 1;
  const tmCpu = parseQuantity(tm.cpu) ?? tm.slots;
  d.push(['kubernetes.cluster-id', spec.clusterId]);
  d.push(['kubernetes.namespace', spec.namespace]);
  d.push(['kubernetes.container.image.ref', spec.image ?? defaultImageFor(spec.flinkVersion)]);
  if (spec.imagePullPolicy !== 'IfNotPresent') d.push(['kubernetes.container.image.pull-policy', spec.imagePullPolicy]);
  if (spec.imagePullSecrets.length > 0) d.push(['kubernetes.container.image.pull-secrets', spec.imagePullSecrets.join(';')]);
  d.push(['kubernetes.service-account', spec.serviceAccount]);
  if (spec.restExposure !== 'ClusterIP') d.push(['kubernetes.rest-service.exposed.type', spec.restExposure]);
  if (jmMemory !== distValue(spec, 'jobmanager.memory.process.size')) d.push(['jobmanager.memory.process.size', jmMemory]);
  // kubernetes.jobmanager.cpu.amount defaults to 1.0.
  if (jmCpu !== 1) d.push(['kubernetes.jobmanager.cpu.amount', cpuOf(jm.cpu)]);
  if (jm.cpuLimitFactor !== 1) d.push(['kubernetes.jobmanager.cpu.limit-factor', formatJavaDouble(jm.cpuLimitFactor)]);
  if (jm.memoryLimitFactor !== 1) d.push(['kubernetes.jobmanager.memory.limit-factor', formatJavaDouble(jm.memoryLimitFactor)]);
  if (jm.replicas !== 1) d.push(['kubernetes.jobmanager.replicas', String(jm.replicas)]);
  if (Object.keys(jm.nodeSelector).length > 0) d.push(['kubernetes.jobmanager.node-selector', toFlinkMapString(jm.nodeSelector)]);
  if (jm.tolerations.length > 0) d.push(['kubernetes.jobmanager.tolerations', toFlinkTolerationString(jm.tolerations)]);
  if (Object.keys(jm.labels).length > 0) d.push(['kubernetes.jobmanager.labels', toFlinkMapString(jm.labels)]);
  if (Object.keys(jm.annotations).length > 0) d.push(['kubernetes.jobmanager.annotations', toFlinkMapString(jm.annotations)]);
  if (jm.podTemplate) d.push(['kubernetes.pod-template-file.jobmanager', JOB_MANAGER_POD_TEMPLATE_FILE]);
  if (tmMemory !== distValue(spec, 'taskmanager.memory.process.size')) d.push(['taskmanager.memory.process.size', tmMemory]);
  // kubernetes.taskmanager.cpu.amount defaults to -1, meaning "as many cores as slots"
  // (KubernetesTaskManagerParameters.getTaskManagerCPU).
  if (tmCpu !== tm.slots) d.push(['kubernetes.taskmanager.cpu.amount', cpuOf(tm.cpu)]);
  if (tm.cpuLimitFactor !== 1) d.push(['kubernetes.taskmanager.cpu.limit-factor', formatJavaDouble(tm.cpuLimitFactor)]);
  if (tm.memoryLimitFactor !== 1) d.push(['kubernetes.taskmanager.memory.limit-factor', formatJavaDouble(tm.memoryLimitFactor)]);
  if (String(tm.slots) !== (distValue(spec, 'taskmanager.numberOfTaskSlots') ?? '1')) {
    d.push(['taskmanager.numberOfTaskSlots', String(tm.slots)]);
  }
  if (tm.idleTimeout) d.push(['resourcemanager.taskmanager-timeout', tm.idleTimeout]);
  if (Object.keys(tm.nodeSelector).length > 0) d.push(['kubernetes.taskmanager.node-selector', toFlinkMapString(tm.nodeSelector)]);
  if (tm.tolerations.length > 0) d.push(['kubernetes.taskmanager.tolerations', toFlinkTolerationString(tm.tolerations)]);
  if (Object.keys(tm.labels).length > 0) d.push(['kubernetes.taskmanager.labels', toFlinkMapString(tm.labels)]);
  if (Object.keys(tm.annotations).length > 0) d.push(['kubernetes.taskmanager.annotations', toFlinkMapString(tm.annotations)]);
  if (tm.podTemplate) d.push(['kubernetes.pod-template-file.taskmanager', TASK_MANAGER_POD_TEMPLATE_FILE]);
  if (spec.secretsAsFiles.length > 0) {
    d.push(['kubernetes.secrets', spec.secretsAsFiles.map((s) => `${s.secretName}:${s.mountPath}`).join(',')]);
  }
  if (spec.secretsAsEnv.length > 0) {
    d.push([
      'kubernetes.env.secretKeyRef',
      spec.secretsAsEnv.map((s) => `env:${s.envName},secret:${s.secretName},key:${s.key}`).join(';'),
    ]);
  }
  for (const env of jm.env) d.push([`containerized.master.env.${env.name}`, env.value]);
  for (const env of tm.env) d.push([`containerized.taskmanager.env.${env.name}`, env.value]);
  if (spec.ha.enabled) {
    d.push(['high-availability.type', 'kubernetes']);
    if (spec.ha.storageDir) d.push(['high-availability.storageDir', spec.ha.storageDir]);
    if (spec.ha.leaseDuration) d.push(['high-availability.kubernetes.leader-election.lease-duration', spec.ha.leaseDuration]);
    if (spec.ha.renewDeadline) d.push(['high-availability.kubernetes.leader-election.renew-deadline', spec.ha.renewDeadline]);
    if (spec.ha.retryPeriod) d.push(['high-availability.kubernetes.leader-election.retry-period', spec.ha.retryPeriod]);
  }
  if (spec.mode === 'application' && spec.application) {
    const scheme = jarScheme(spec.application.jarUri);
    // ArtifactFetchManager refuses plain http unless this is set (1.19+, FLINK-28915).
    if (scheme === 'http') d.push(['user.artifacts.raw-http-enabled', 'true']);
    // Other schemes are fetched through a Flink FileSystem: the S3 plugin must be enabled on the JM.
    if (scheme.startsWith('s3') && !jm.env.some((e) => e.name === 'ENABLE_BUILT_IN_PLUGINS')) {
      d.push(['containerized.master.env.ENABLE_BUILT_IN_PLUGINS', s3PluginJarFor(spec)]);
    }
  }
  for (const entry of spec.flinkConfig) d.push([entry.key, entry.value]);
  return d;
}

/** The client's effective configuration as it reaches FlinkConfMountDecorator (before removals). */
function buildClientConfig(spec: ClusterSpec): TypedFlinkConfig {
  const legacy = spec.configFileFormat === 'flink-conf.yaml';
  const config: TypedFlinkConfig = new Map();
  for (const [key, value] of getDistConf(spec.flinkVersion).config) config.set(key, legacy ? String(value) : value);
  const application = spec.mode === 'application' ? spec.application : undefined;
  if (application) config.set('execution.target', 'kubernetes-application');
  for (const [key, value] of buildDynamicProperties(spec)) config.set(key, value);
  config.set('$internal.deployment.config-dir', '/opt/flink/conf');
  if (!application) {
    // KubernetesSessionCli sets the target after the command line options.
    config.set('execution.target', 'kubernetes-session');
  } else {
    // ProgramOptions.applyToConfiguration (typed values).
    if (application.parallelism !== undefined) config.set('parallelism.default', application.parallelism);
    config.set('execution.attached', true);
    config.set('execution.shutdown-on-attached-exit', false);
    config.set('pipeline.classpaths', []);
    const restore = restoreKeysFor(spec.flinkVersion);
    config.set(restore.ignoreUnclaimedState, application.allowNonRestoredState);
    config.set(restore.claimMode, 'NO_CLAIM');
    if (application.savepointPath) config.set(restore.path, application.savepointPath);
    config.set('pipeline.jars', [application.jarUri]);
    // ApplicationConfiguration.applyToConfiguration (in KubernetesClusterDescriptor).
    config.set('$internal.application.program-args', [...application.args]);
    if (application.entryClass) config.set('$internal.application.main', application.entryClass);
  }
  // KubernetesClusterDescriptor.deployClusterInternal.
  config.set('internal.cluster.execution-mode', 'NORMAL');
  config.set('kubernetes.internal.jobmanager.entrypoint.class', application ? APPLICATION_ENTRYPOINT : SESSION_ENTRYPOINT);
  const setPortIfZero = (key: string, port: string) => {
    const current = config.get(key);
    if (current === undefined || String(current).trim() === '0') config.set(key, port);
  };
  setPortIfZero('blob.server.port', '6124');
  setPortIfZero('taskmanager.rpc.port', '6122');
  if (isHighAvailabilityActivated(config)) {
    config.set('high-availability.cluster-id', spec.clusterId);
    setPortIfZero('high-availability.jobmanager.port', String(config.get('jobmanager.rpc.port') ?? 6123));
  } else {
    // InternalServiceDecorator.buildAccompanyingKubernetesResources.
    config.set('jobmanager.rpc.address', `${spec.clusterId}.${spec.namespace}`);
  }
  return config;
}

/** HighAvailabilityMode.isHighAvailabilityModeActivated (new key first, then the deprecated one). */
export function isHighAvailabilityActivated(config: ReadonlyMap<string, FlinkConfigValue>): boolean {
  const value = config.get('high-availability.type') ?? config.get('high-availability') ?? 'NONE';
  return String(value).trim().toUpperCase() !== 'NONE';
}

// Size of the client configuration FlinkConfMountDecorator cloned (before removals): it sizes
// the clone's HashMap and therefore the order of the written file.
const clonedSizes = new WeakMap<TypedFlinkConfig, number>();

/** The typed configuration written into flink-config-<id>, in insertion order. */
export function buildTypedFlinkConfig(spec: ClusterSpec): TypedFlinkConfig {
  const config = buildClientConfig(spec);
  const clonedSize = config.size;
  for (const key of CLUSTER_SIDE_REMOVED_KEYS) config.delete(key);
  clonedSizes.set(config, clonedSize);
  return config;
}

/** The configuration written into flink-config-<id>, each value in its flat string form. */
export function buildFlinkConfig(spec: ClusterSpec): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of buildTypedFlinkConfig(spec)) out[key] = toLegacyString(value);
  return out;
}

/** Estimated entries of the clone when the config did not come from buildTypedFlinkConfig. */
function clonedEntryCount(config: ReadonlyMap<string, FlinkConfigValue>, version: FlinkVersion): number {
  const distKeys = new Set(getDistConf(version).config.map(([k]) => k));
  const removedPresent = CLUSTER_SIDE_REMOVED_KEYS.filter(
    (k) => k === '$internal.deployment.config-dir' || distKeys.has(k),
  ).length;
  return config.size + removedPresent;
}

function toMap(config: ReadonlyMap<string, FlinkConfigValue> | Readonly<Record<string, FlinkConfigValue>>): Map<string, FlinkConfigValue> {
  return config instanceof Map ? new Map(config) : new Map(Object.entries(config));
}

/**
 * The Flink configuration file as the client writes it into the ConfigMap:
 * - `config.yaml`: ConfigurationUtils.convertConfigToWritableLines(config, false) →
 *   YamlParserUtils.convertAndDumpYamlFromFlatMap: keys split on '.', nested in the order the
 *   Configuration's HashMap iterates, dumped by snakeyaml-engine in block style.
 * - `flink-conf.yaml` (1.19/1.20 legacy): one `key: value` line per entry (toFileWritableMap).
 * Each line is printed with println, so the file ends with a newline.
 */
export function renderConfigFile(
  config: ReadonlyMap<string, FlinkConfigValue> | Readonly<Record<string, FlinkConfigValue>>,
  format: ConfigFileFormat,
  version: FlinkVersion,
): string {
  const map = toMap(config);
  if (format === 'flink-conf.yaml') {
    const keys = orderLikeJavaHashMap([...map.keys()], expectedSizeCapacity(map.size));
    return keys.map((k) => `${k}: ${toLegacyString(map.get(k) as FlinkConfigValue)}\n`).join('');
  }
  const clonedSize = config instanceof Map ? clonedSizes.get(config as TypedFlinkConfig) : undefined;
  const keys = orderLikeJavaHashMap([...map.keys()], presizedCapacity(clonedSize ?? clonedEntryCount(map, version)));
  const tree: YamlTree = {};
  for (const key of keys) {
    const parts = key.split('.');
    let node = tree;
    for (const part of parts.slice(0, -1)) {
      const child = node[part];
      if (child === undefined || typeof child !== 'object' || Array.isArray(child)) {
        if (child !== undefined) throw new Error(`Overlapping key prefixes detected (${key})`);
        node[part] = {};
      }
      node = node[part] as YamlTree;
    }
    node[parts[parts.length - 1] as string] = map.get(key) as FlinkConfigValue;
  }
  return dumpBlockYaml(tree).map((line) => `${line}\n`).join('');
}

/** The conf file name the ConfigMap and the volume items use. */
export function configFileNameFor(spec: ClusterSpec): ConfigFileFormat {
  return spec.configFileFormat;
}

