// The JobManager Deployment `<id>` exactly as KubernetesJobManagerFactory builds it: a pod
// (optionally from the JM pod template) run through InitJobManagerDecorator, EnvSecretsDecorator,
// MountSecretsDecorator, CmdJobManagerDecorator, FlinkConfMountDecorator and
// PodTemplateMountDecorator (the Hadoop/Kerberos decorators add nothing without their inputs),
// then wrapped by createJobManagerDeployment.
import type { V1Container, V1Deployment, V1EnvVar, V1OwnerReference, V1Toleration, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import { buildJobManagerParameters, type JobManagerParameters } from './cluster-parameters';
import type { ClusterSpec } from './cluster-spec-schema';
import { MAIN_CONTAINER_NAME, parsePodTemplate } from './pod-template';
import { formatJavaDouble } from './quantity';

export const FLINK_CONF_VOLUME = 'flink-config-volume';
export const USER_ARTIFACTS_VOLUME = 'user-artifacts-volume';
export const POD_TEMPLATE_VOLUME = 'pod-template-volume';
export const POD_TEMPLATE_DIR_IN_POD = '/opt/flink/pod-template';
export const TASK_MANAGER_POD_TEMPLATE_FILE_NAME = 'taskmanager-pod-template.yaml';
export const CONFIG_FILE_LOGBACK_NAME = 'logback-console.xml';
export const CONFIG_FILE_LOG4J_NAME = 'log4j-console.properties';

/** KubernetesToleration.fromMap: keys are matched case-insensitively. */
function toToleration(map: Record<string, string>): V1Toleration {
  const get = (name: string) => Object.entries(map).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  const toleration: V1Toleration = {};
  const effect = get('effect');
  const key = get('key');
  const operator = get('operator');
  const seconds = get('tolerationSeconds');
  const value = get('value');
  if (effect !== undefined) toleration.effect = effect;
  if (key !== undefined) toleration.key = key;
  if (operator !== undefined) toleration.operator = operator;
  if (seconds !== undefined) toleration.tolerationSeconds = Number(seconds);
  if (value !== undefined) toleration.value = value;
  return toleration;
}

/** KubernetesOwnerReference.fromMap (kubernetes.jobmanager.owner.reference; keys case-insensitive). */
function toOwnerReference(map: Record<string, string>): V1OwnerReference {
  const get = (name: string) => Object.entries(map).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  const reference: V1OwnerReference = { apiVersion: get('apiVersion') ?? '', kind: get('kind') ?? '', name: get('name') ?? '', uid: get('uid') ?? '' };
  const block = get('blockOwnerDeletion');
  const controller = get('controller');
  if (block !== undefined) reference.blockOwnerDeletion = block.toLowerCase() === 'true';
  if (controller !== undefined) reference.controller = controller.toLowerCase() === 'true';
  return reference;
}

/** KubernetesUtils.getResourceRequirements (pod template requests/limits kept, these keys set). */
function buildResources(container: V1Container, p: JobManagerParameters): V1Container['resources'] {
  const requests = { ...(container.resources?.requests ?? {}) };
  const limits = { ...(container.resources?.limits ?? {}) };
  requests.memory = `${p.memoryMiB}Mi`;
  requests.cpu = formatJavaDouble(p.cpu);
  limits.memory = `${Math.trunc(p.memoryMiB * p.memoryLimitFactor)}Mi`;
  limits.cpu = formatJavaDouble(p.cpu * p.cpuLimitFactor);
  return { ...(container.resources ?? {}), limits, requests };
}

function resolveUserDefinedValue(explicitlySet: boolean, configured: string, fromTemplate: string | undefined): string {
  if (fromTemplate !== undefined && fromTemplate !== null && !explicitlySet) return fromTemplate;
  return configured;
}

function nonEmpty<T extends object>(value: T): T | undefined {
  return Object.keys(value).length > 0 ? value : undefined;
}

export function buildJobManagerDeploymentFromParameters(p: JobManagerParameters): V1Deployment {
  const { pod, mainContainer } = parsePodTemplate(p.spec.jobManager.podTemplate);
  const podSpec = pod.spec ?? { containers: [] };
  const metadata = pod.metadata ?? {};

  // InitJobManagerDecorator: overwrite fields, with KubernetesUtils.resolveUserDefinedValue:
  // an explicitly set option beats the template, the template beats the option's default.
  const serviceAccount = resolveUserDefinedValue(
    p.explicitlySet.serviceAccount,
    p.serviceAccount,
    podSpec.serviceAccount ?? podSpec.serviceAccountName,
  );
  podSpec.serviceAccount = serviceAccount;
  podSpec.serviceAccountName = serviceAccount;
  podSpec.hostNetwork = p.hostNetwork;
  // KubernetesUtils.resolveDNSPolicy.
  podSpec.dnsPolicy = p.hostNetwork
    ? 'ClusterFirstWithHostNet'
    : podSpec.dnsPolicy && podSpec.dnsPolicy.trim() !== ''
      ? podSpec.dnsPolicy
      : 'ClusterFirst';
  // ... merge fields.
  metadata.labels = { ...(metadata.labels ?? {}), ...p.labels };
  const annotations = { ...(metadata.annotations ?? {}), ...p.annotations };
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  const pullSecrets = [...(podSpec.imagePullSecrets ?? []), ...p.imagePullSecrets.map((name) => ({ name }))];
  if (pullSecrets.length > 0) podSpec.imagePullSecrets = pullSecrets;
  const nodeSelector = { ...(podSpec.nodeSelector ?? {}), ...p.nodeSelector };
  if (Object.keys(nodeSelector).length > 0) podSpec.nodeSelector = nodeSelector;
  const tolerations = [...(podSpec.tolerations ?? []), ...p.tolerations.map(toToleration)];
  if (tolerations.length > 0) podSpec.tolerations = tolerations;

  const volumes: V1Volume[] = [...(podSpec.volumes ?? [])];
  const mounts: V1VolumeMount[] = [...(mainContainer.volumeMounts ?? [])];
  const env: V1EnvVar[] = [...(mainContainer.env ?? [])];
  const ports = [...(mainContainer.ports ?? [])];

  // 1.19+ (FLINK-28915): an emptyDir where the JM fetches the job artifacts.
  volumes.push({ name: USER_ARTIFACTS_VOLUME, emptyDir: {} });
  mounts.push({ name: USER_ARTIFACTS_VOLUME, mountPath: p.userArtifactsBaseDir });

  // InitJobManagerDecorator.getContainerPorts: none with host networking.
  if (!p.hostNetwork) {
    ports.push(
      { name: 'rest', containerPort: p.restPort },
      { name: 'jobmanager-rpc', containerPort: p.rpcPort },
      { name: 'blobserver', containerPort: p.blobServerPort },
    );
  }
  for (const [name, value] of p.environments) env.push({ name, value });
  env.push({ name: '_POD_IP_ADDRESS', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } });
  if (p.flinkLogDir !== undefined) env.push({ name: 'FLINK_LOG_DIR', value: p.flinkLogDir });

  // EnvSecretsDecorator (KubernetesSecretEnvVar.fromMap: env, secret, key).
  for (const entry of p.secretEnvs) {
    env.push({ name: entry.env ?? '', valueFrom: { secretKeyRef: { key: entry.key ?? '', name: entry.secret ?? '' } } });
  }
  // MountSecretsDecorator: `<secret>-volume` per kubernetes.secrets entry.
  for (const [secretName, mountPath] of p.secrets) {
    volumes.push({ name: `${secretName}-volume`, secret: { secretName } });
    mounts.push({ name: `${secretName}-volume`, mountPath });
  }
  // FlinkConfMountDecorator: explicit items, log files first (logback, then log4j).
  volumes.push({
    name: FLINK_CONF_VOLUME,
    configMap: {
      name: `flink-config-${p.clusterId}`,
      items: [CONFIG_FILE_LOGBACK_NAME, CONFIG_FILE_LOG4J_NAME, p.configFileName].map((key) => ({ key, path: key })),
    },
  });
  mounts.push({ name: FLINK_CONF_VOLUME, mountPath: p.flinkConfDir });
  // PodTemplateMountDecorator: only with a TaskManager pod template.
  if (p.hasTaskManagerPodTemplate) {
    volumes.push({
      name: POD_TEMPLATE_VOLUME,
      configMap: {
        name: `pod-template-${p.clusterId}`,
        items: [{ key: TASK_MANAGER_POD_TEMPLATE_FILE_NAME, path: TASK_MANAGER_POD_TEMPLATE_FILE_NAME }],
      },
    });
    mounts.push({ name: POD_TEMPLATE_VOLUME, mountPath: POD_TEMPLATE_DIR_IN_POD });
  }

  const main: V1Container = {
    ...mainContainer,
    name: MAIN_CONTAINER_NAME,
    image: resolveUserDefinedValue(p.explicitlySet.image, p.image, mainContainer.image),
    imagePullPolicy: resolveUserDefinedValue(p.explicitlySet.imagePullPolicy, p.imagePullPolicy, mainContainer.imagePullPolicy),
    resources: buildResources(mainContainer, p),
    ...(ports.length > 0 ? { ports } : {}),
    env,
    // CmdJobManagerDecorator + KubernetesUtils.getStartCommandWithBashWrapper.
    command: [p.entryPath],
    args: ['bash', '-c', `kubernetes-jobmanager.sh ${p.deploymentTarget} ${p.entrypointArgs}`],
    volumeMounts: mounts,
  };
  podSpec.volumes = volumes;
  // createJobManagerDeployment: the main container goes after the template's other containers.
  podSpec.containers = [...(podSpec.containers ?? []), main];

  const deploymentMetadata: V1Deployment['metadata'] = { name: p.clusterId, namespace: p.namespace, labels: p.labels };
  const annotationsOnDeployment = nonEmpty(p.annotations);
  if (annotationsOnDeployment) deploymentMetadata.annotations = annotationsOnDeployment;
  if (p.ownerReferences.length > 0) deploymentMetadata.ownerReferences = p.ownerReferences.map(toOwnerReference);

  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: deploymentMetadata,
    spec: {
      replicas: p.replicas,
      selector: { matchLabels: p.selectors },
      template: { metadata, spec: podSpec },
    },
  };
}

export function buildJobManagerDeployment(spec: ClusterSpec): V1Deployment {
  return buildJobManagerDeploymentFromParameters(buildJobManagerParameters(spec));
}
