// KubernetesJobManagerParameters for a spec: everything the builders need, read from the typed
// configuration so that later -D entries (free configuration) win like they do in Flink.
import type { ClusterSpec } from './cluster-spec-schema';
import { getList, getListOfMaps, getMap, getNumber, getPrefixed, getString, parseFlinkMemory } from './config-params';
import { buildTypedFlinkConfig, configFileNameFor, isHighAvailabilityActivated, type ConfigFileFormat, type TypedFlinkConfig } from './flink-config';
import { defaultImageFor } from './flink-versions';
import { buildCommonLabels, buildJobManagerLabels, buildJobManagerSelectors } from './labels';

export interface JobManagerParameters {
  spec: ClusterSpec;
  config: TypedFlinkConfig;
  clusterId: string;
  namespace: string;
  image: string;
  imagePullPolicy: string;
  imagePullSecrets: string[];
  serviceAccount: string;
  restExposedType: string;
  commonLabels: Record<string, string>;
  selectors: Record<string, string>;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  nodeSelector: Record<string, string>;
  tolerations: Array<Record<string, string>>;
  restServiceAnnotations: Record<string, string>;
  internalServiceAnnotations: Record<string, string>;
  replicas: number;
  memoryMiB: number;
  cpu: number;
  cpuLimitFactor: number;
  memoryLimitFactor: number;
  restPort: number;
  restBindPort: number;
  rpcPort: number;
  blobServerPort: number;
  environments: Array<[string, string]>;
  secrets: Array<[string, string]>;
  secretEnvs: Array<Record<string, string>>;
  highAvailability: boolean;
  deploymentTarget: string;
  entryPath: string;
  entrypointArgs: string;
  flinkConfDir: string;
  userArtifactsBaseDir: string;
  configFileName: ConfigFileFormat;
  hasTaskManagerPodTemplate: boolean;
  hostNetwork: boolean;
  flinkLogDir: string | undefined;
  ownerReferences: Array<Record<string, string>>;
  /** Options set explicitly (Configuration.contains, fallback keys included): they beat a pod template. */
  explicitlySet: { image: boolean; imagePullPolicy: boolean; serviceAccount: boolean };
}

function parsePort(config: TypedFlinkConfig, key: string, fallback: number, ...fallbackKeys: string[]): number {
  const n = Number.parseInt(getString(config, key, ...fallbackKeys) ?? String(fallback), 10);
  return Number.isFinite(n) ? n : fallback;
}

export function buildJobManagerParameters(spec: ClusterSpec): JobManagerParameters {
  const config = buildTypedFlinkConfig(spec);
  const clusterId = getString(config, 'kubernetes.cluster-id') ?? spec.clusterId;
  const memoryBytes = parseFlinkMemory(getString(config, 'jobmanager.memory.process.size') ?? '1600m') ?? 0;
  return {
    spec,
    config,
    clusterId,
    namespace: getString(config, 'kubernetes.namespace') ?? 'default',
    image: getString(config, 'kubernetes.container.image.ref', 'kubernetes.container.image') ?? defaultImageFor(spec.flinkVersion),
    imagePullPolicy: getString(config, 'kubernetes.container.image.pull-policy') ?? 'IfNotPresent',
    imagePullSecrets: getList(config, 'kubernetes.container.image.pull-secrets'),
    serviceAccount: getString(config, 'kubernetes.jobmanager.service-account', 'kubernetes.service-account') ?? 'default',
    restExposedType: getString(config, 'kubernetes.rest-service.exposed.type') ?? 'ClusterIP',
    commonLabels: buildCommonLabels(clusterId),
    selectors: buildJobManagerSelectors(clusterId),
    labels: buildJobManagerLabels(clusterId, getMap(config, 'kubernetes.jobmanager.labels')),
    annotations: getMap(config, 'kubernetes.jobmanager.annotations'),
    nodeSelector: getMap(config, 'kubernetes.jobmanager.node-selector'),
    tolerations: getListOfMaps(config, 'kubernetes.jobmanager.tolerations'),
    restServiceAnnotations: getMap(config, 'kubernetes.rest-service.annotations'),
    // kubernetes.internal-service.annotations exists since 1.20.
    internalServiceAnnotations: spec.flinkVersion === '1.19' ? {} : getMap(config, 'kubernetes.internal-service.annotations'),
    replicas: getNumber(config, 'kubernetes.jobmanager.replicas', 1),
    memoryMiB: Math.floor(memoryBytes / 2 ** 20),
    cpu: getNumber(config, 'kubernetes.jobmanager.cpu.amount', 1, 'kubernetes.jobmanager.cpu'),
    cpuLimitFactor: getNumber(config, 'kubernetes.jobmanager.cpu.limit-factor', 1),
    memoryLimitFactor: getNumber(config, 'kubernetes.jobmanager.memory.limit-factor', 1),
    restPort: parsePort(config, 'rest.port', 8081),
    restBindPort: parsePort(config, 'rest.bind-port', 8081, 'rest.port'),
    rpcPort: parsePort(config, 'jobmanager.rpc.port', 6123),
    blobServerPort: parsePort(config, 'blob.server.port', 6124),
    environments: getPrefixed(config, 'containerized.master.env.'),
    secrets: Object.entries(getMap(config, 'kubernetes.secrets')),
    secretEnvs: getListOfMaps(config, 'kubernetes.env.secretKeyRef'),
    highAvailability: isHighAvailabilityActivated(config),
    deploymentTarget: getString(config, 'execution.target') ?? 'kubernetes-session',
    entryPath: getString(config, 'kubernetes.entry.path') ?? '/docker-entrypoint.sh',
    entrypointArgs: getString(config, 'kubernetes.jobmanager.entrypoint.args') ?? '',
    flinkConfDir: getString(config, 'kubernetes.flink.conf.dir') ?? '/opt/flink/conf',
    userArtifactsBaseDir: getString(config, 'user.artifacts.base-dir') ?? '/opt/flink/artifacts',
    configFileName: configFileNameFor(spec),
    hasTaskManagerPodTemplate: spec.taskManager.podTemplate !== undefined,
    hostNetwork: (getString(config, 'kubernetes.hostnetwork.enabled') ?? 'false').trim().toLowerCase() === 'true',
    flinkLogDir: getString(config, 'kubernetes.flink.log.dir'),
    ownerReferences: getListOfMaps(config, 'kubernetes.jobmanager.owner.reference'),
    explicitlySet: {
      image: config.has('kubernetes.container.image.ref') || config.has('kubernetes.container.image'),
      imagePullPolicy: config.has('kubernetes.container.image.pull-policy'),
      serviceAccount: config.has('kubernetes.jobmanager.service-account') || config.has('kubernetes.service-account'),
    },
  };
}
