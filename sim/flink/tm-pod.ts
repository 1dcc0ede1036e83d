// The TaskManager pod the JobManager's KubernetesResourceManagerDriver creates:
// KubernetesTaskManagerFactory.buildTaskManagerKubernetesPod with InitTaskManagerDecorator,
// EnvSecretsDecorator, MountSecretsDecorator, CmdTaskManagerDecorator and FlinkConfMountDecorator,
// on top of the pod template mounted at /opt/flink/pod-template/taskmanager-pod-template.yaml.
import { parse as parseYaml } from 'yaml';
import { Conf } from './config';
import { MiB, TaskExecutorProcessSpec, tmDynamicConfigs, tmJvmParams } from './memory';
import { versionAtLeast } from './images';

export const MAIN_CONTAINER = 'flink-main-container';
export const TM_POD_TEMPLATE_PATH = '/opt/flink/pod-template/taskmanager-pod-template.yaml';
export const LOG_CONFIG_FILES = ['logback-console.xml', 'log4j-console.properties'];

export interface TmPodInput {
  conf: Conf;
  flinkVersion: string;
  clusterId: string;
  podName: string;
  /** the JobManager Deployment (for the ownerReference) */
  deployment: { metadata: { name: string; uid: string } };
  spec: TaskExecutorProcessSpec;
  /** `-D` properties: keys whose runtime value differs from the mounted file, plus taskmanager.resource-id */
  dynamicProperties: Map<string, string>;
  /** the Flink conf file name the JobManager loaded, and the log config files present in its conf dir */
  confFileName: string;
  logFiles: string[];
  /** parsed pod template, if the JobManager sees one */
  template?: any;
  /** default image when kubernetes.container.image.ref is not set */
  defaultImage: string;
}

export function parsePodTemplate(text: string): any {
  const doc = parseYaml(text);
  return doc && typeof doc === 'object' ? doc : undefined;
}

function toleration(m: Record<string, string>) {
  const lower = Object.fromEntries(Object.entries(m).map(([k, v]) => [k.toLowerCase(), v]));
  const t: Record<string, unknown> = {};
  if (lower.effect !== undefined) t.effect = lower.effect;
  if (lower.key !== undefined) t.key = lower.key;
  if (lower.operator !== undefined) t.operator = lower.operator;
  if (lower.tolerationseconds !== undefined) t.tolerationSeconds = Number(lower.tolerationseconds);
  if (lower.value !== undefined) t.value = lower.value;
  return t;
}

/** KubernetesUtils.getResourceRequirements: requests from the spec, limits times the limit factors. */
function resources(template: any, memMb: number, cpu: number, memFactor: number, cpuFactor: number) {
  const requests = { ...(template?.requests ?? {}) };
  const limits = { ...(template?.limits ?? {}) };
  requests.memory = `${memMb}Mi`;
  requests.cpu = javaDouble(cpu);
  limits.memory = `${Math.floor(memMb * memFactor)}Mi`;
  limits.cpu = javaDouble(cpu * cpuFactor);
  return { ...(template ?? {}), limits, requests };
}

/** Java's Double.toString for the values Flink prints ("1.0", "0.5"). */
export function javaDouble(n: number): string {
  return Number.isInteger(n) ? n.toFixed(1) : String(n);
}

export function buildTaskManagerPod(input: TmPodInput): any {
  const { conf, clusterId, podName } = input;
  const tpl = input.template ? structuredClone(input.template) : {};
  const tplSpec = tpl.spec ?? {};
  const containers: any[] = Array.isArray(tplSpec.containers) ? tplSpec.containers : [];
  const tplMain = containers.find((c) => c?.name === MAIN_CONTAINER) ?? {};
  const sidecars = containers.filter((c) => c?.name !== MAIN_CONTAINER);

  const selectors = { type: 'flink-native-kubernetes', app: clusterId, component: 'taskmanager' };
  const labels = { ...(tpl.metadata?.labels ?? {}), ...(conf.stringMap('kubernetes.taskmanager.labels') ?? {}), ...selectors };
  const annotations = { ...(tpl.metadata?.annotations ?? {}), ...(conf.stringMap('kubernetes.taskmanager.annotations') ?? {}) };

  // resolveUserDefinedValue: an explicitly configured option wins over the template, the template over the default.
  const explicitSa = conf.string(['kubernetes.taskmanager.service-account', 'kubernetes.service-account']);
  const serviceAccount = explicitSa ?? tplSpec.serviceAccountName ?? tplSpec.serviceAccount ?? 'default';
  const explicitImage = conf.string(['kubernetes.container.image.ref', 'kubernetes.container.image']);
  const image = explicitImage ?? tplMain.image ?? input.defaultImage;
  const explicitPolicy = conf.string('kubernetes.container.image.pull-policy');
  const imagePullPolicy = explicitPolicy ?? tplMain.imagePullPolicy ?? 'IfNotPresent';
  const hostNetwork = conf.bool('kubernetes.hostnetwork.enabled', false);

  const pullSecrets = [
    ...(tplSpec.imagePullSecrets ?? []),
    ...(conf.list('kubernetes.container.image.pull-secrets') ?? []).map((name) => ({ name })),
  ];
  const nodeSelector = { ...(tplSpec.nodeSelector ?? {}), ...(conf.stringMap('kubernetes.taskmanager.node-selector') ?? {}) };
  const tolerations = [...(tplSpec.tolerations ?? []), ...(conf.mapList('kubernetes.taskmanager.tolerations') ?? []).map(toleration)];

  const cpu = conf.has('taskmanager.cpu.cores')
    ? conf.double('taskmanager.cpu.cores', 1)
    : conf.double(['kubernetes.taskmanager.cpu.amount', 'kubernetes.taskmanager.cpu'], -1) > 0
      ? conf.double(['kubernetes.taskmanager.cpu.amount', 'kubernetes.taskmanager.cpu'], -1)
      : input.spec.numSlots;
  const memMb = Math.floor(input.spec.totalProcess / MiB);

  const rpcPort = conf.int('taskmanager.rpc.port', 6122);
  const env: any[] = [...(tplMain.env ?? [])];
  for (const [k, v] of conf.map) {
    if (k.startsWith('containerized.taskmanager.env.')) env.push({ name: k.slice('containerized.taskmanager.env.'.length), value: String(v) });
  }
  env.push({ name: '_POD_NODE_ID', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } });
  const logDir = conf.string('kubernetes.flink.log.dir');
  if (logDir) env.push({ name: 'FLINK_LOG_DIR', value: logDir });
  for (const m of conf.mapList('kubernetes.env.secretKeyRef') ?? []) {
    env.push({ name: m.env, valueFrom: { secretKeyRef: { key: m.key, name: m.secret } } });
  }
  env.push({ name: 'FLINK_TM_JVM_MEM_OPTS', value: tmJvmParams(input.spec) });

  const volumeMounts: any[] = [...(tplMain.volumeMounts ?? [])];
  const volumes: any[] = [...(tplSpec.volumes ?? [])];
  for (const [secret, mountPath] of Object.entries(conf.stringMap('kubernetes.secrets') ?? {})) {
    volumes.push({ name: `${secret}-volume`, secret: { secretName: secret } });
    volumeMounts.push({ name: `${secret}-volume`, mountPath });
  }
  const confDir = conf.string('kubernetes.flink.conf.dir', '/opt/flink/conf')!;
  const items = [...input.logFiles.filter((f) => LOG_CONFIG_FILES.includes(f)), input.confFileName].map((f) => ({ key: f, path: f }));
  volumes.push({ name: 'flink-config-volume', configMap: { name: `flink-config-${clusterId}`, items } });
  volumeMounts.push({ name: 'flink-config-volume', mountPath: confDir });

  const dyn = [...input.dynamicProperties].map(([k, v]) => `-D${k}=${v}`).join(' ');
  let startCmd = `kubernetes-taskmanager.sh ${dyn} ${tmDynamicConfigs(input.spec)}`;
  if (versionAtLeast(input.flinkVersion, '1.16')) startCmd += ` ${conf.string('kubernetes.taskmanager.entrypoint.args', '')}`;

  const main: any = {
    ...tplMain,
    name: MAIN_CONTAINER,
    image,
    imagePullPolicy,
    resources: resources(tplMain.resources, memMb, cpu, conf.double('kubernetes.taskmanager.memory.limit-factor', 1), conf.double('kubernetes.taskmanager.cpu.limit-factor', 1)),
    ports: hostNetwork ? tplMain.ports ?? [] : [...(tplMain.ports ?? []), { name: 'taskmanager-rpc', containerPort: rpcPort }],
    env,
    command: [conf.string('kubernetes.entry.path', '/docker-entrypoint.sh')],
    args: ['bash', '-c', startCmd],
    volumeMounts,
  };

  const spec: any = {
    ...tplSpec,
    serviceAccount,
    serviceAccountName: serviceAccount,
    restartPolicy: 'Never',
    hostNetwork,
    containers: [main, ...sidecars],
    volumes,
  };
  spec.dnsPolicy = hostNetwork ? 'ClusterFirstWithHostNet' : tplSpec.dnsPolicy ?? 'ClusterFirst';
  if (pullSecrets.length) spec.imagePullSecrets = pullSecrets;
  else delete spec.imagePullSecrets;
  if (Object.keys(nodeSelector).length) spec.nodeSelector = nodeSelector;
  if (tolerations.length) spec.tolerations = tolerations;

  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...(tpl.metadata ?? {}),
      name: podName,
      labels,
      ...(Object.keys(annotations).length ? { annotations } : {}),
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: input.deployment.metadata.name,
          uid: input.deployment.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec,
  };
}
