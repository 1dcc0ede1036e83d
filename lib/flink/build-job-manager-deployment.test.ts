import { describe, expect, it } from 'vitest';
import { buildJobManagerDeployment } from './build-job-manager-deployment';
import { clusterSpecSchema, type ClusterSpecInput } from './cluster-spec-schema';
import { validateK8sObject } from './fixtures/validate-k8s-object';

function deploymentOf(input: ClusterSpecInput) {
  return buildJobManagerDeployment(clusterSpecSchema.parse(input));
}

const jobManagerTemplate = `apiVersion: v1
kind: Pod
metadata:
  labels:
    team: data
    app: overridden-by-selector
  annotations:
    sidecar.istio.io/inject: "false"
spec:
  serviceAccountName: template-account
  dnsPolicy: Default
  securityContext:
    runAsUser: 9999
  initContainers:
    - name: fetch
      image: busybox
  containers:
    - name: log-shipper
      image: fluent-bit:2
    - name: flink-main-container
      image: ignored:1
      resources:
        requests:
          ephemeral-storage: 1Gi
        limits:
          cpu: "8"
      volumeMounts:
        - name: scratch
          mountPath: /scratch
      env:
        - name: FROM_TEMPLATE
          value: "1"
  volumes:
    - name: scratch
      emptyDir: {}
`;

describe('buildJobManagerDeployment with a JobManager pod template', () => {
  const deployment = deploymentOf({ clusterId: 'tpl', jobManager: { podTemplate: jobManagerTemplate } });
  const pod = deployment.spec!.template;
  const main = pod.spec!.containers.at(-1)!;

  it('keeps other containers first and appends the main container (createJobManagerDeployment)', () => {
    expect(pod.spec!.containers.map((c) => c.name)).toEqual(['log-shipper', 'flink-main-container']);
    expect(pod.spec!.initContainers?.map((c) => c.name)).toEqual(['fetch']);
  });
  it('lets explicitly configured options win over the template (resolveUserDefinedValue)', () => {
    expect(main.image).toBe('flink:1.20');
    expect(pod.spec!.serviceAccount).toBe('flink');
    expect(pod.spec!.serviceAccountName).toBe('flink');
  });
  it('lets the template win for options left at their Flink default', () => {
    const template = 'spec:\n  containers:\n    - name: flink-main-container\n      imagePullPolicy: Always\n';
    const d = deploymentOf({ clusterId: 'pp', jobManager: { podTemplate: template } });
    expect(d.spec!.template.spec!.containers[0]!.imagePullPolicy).toBe('Always');
    const explicit = deploymentOf({ clusterId: 'pp', imagePullPolicy: 'Never', jobManager: { podTemplate: template } });
    expect(explicit.spec!.template.spec!.containers[0]!.imagePullPolicy).toBe('Never');
  });
  it('keeps template fields Flink does not set, and its dnsPolicy (resolveDNSPolicy)', () => {
    expect(pod.spec!.securityContext).toEqual({ runAsUser: 9999 });
    expect(pod.spec!.dnsPolicy).toBe('Default');
    expect(pod.metadata!.annotations).toEqual({ 'sidecar.istio.io/inject': 'false' });
  });
  it('merges labels with the selectors winning', () => {
    expect(pod.metadata!.labels).toEqual({ team: 'data', app: 'tpl', type: 'flink-native-kubernetes', component: 'jobmanager' });
  });
  it('overwrites only memory and cpu in the template resources (getResourceRequirements)', () => {
    expect(main.resources).toEqual({
      requests: { 'ephemeral-storage': '1Gi', memory: '1600Mi', cpu: '1.0' },
      limits: { cpu: '1.0', memory: '1600Mi' },
    });
  });
  it('appends env, volumes and mounts after the template ones', () => {
    expect(main.env!.map((e) => e.name)).toEqual(['FROM_TEMPLATE', '_POD_IP_ADDRESS']);
    expect(pod.spec!.volumes!.map((v) => v.name)).toEqual(['scratch', 'user-artifacts-volume', 'flink-config-volume']);
    expect(main.volumeMounts!.map((m) => m.name)).toEqual(['scratch', 'user-artifacts-volume', 'flink-config-volume']);
  });
  it('is a valid Deployment', () => {
    expect(validateK8sObject(deployment)).toEqual([]);
  });
});

describe('buildJobManagerDeployment with a TaskManager pod template', () => {
  it('mounts pod-template-<id> at /opt/flink/pod-template (PodTemplateMountDecorator)', () => {
    const deployment = deploymentOf({ clusterId: 'tm', taskManager: { podTemplate: 'spec:\n  containers: []\n' } });
    const pod = deployment.spec!.template.spec!;
    expect(pod.volumes!.at(-1)).toEqual({
      name: 'pod-template-volume',
      configMap: { name: 'pod-template-tm', items: [{ key: 'taskmanager-pod-template.yaml', path: 'taskmanager-pod-template.yaml' }] },
    });
    expect(pod.containers.at(-1)!.volumeMounts!.at(-1)).toEqual({ name: 'pod-template-volume', mountPath: '/opt/flink/pod-template' });
  });
});

describe('buildJobManagerDeployment reads the final configuration', () => {
  it('applies limit factors (memory truncated to whole MiB, cpu as a Java double)', () => {
    const d = deploymentOf({ clusterId: 'f', jobManager: { cpu: '500m', memory: '1000Mi', cpuLimitFactor: 3, memoryLimitFactor: 1.5 } });
    expect(d.spec!.template.spec!.containers[0]!.resources).toEqual({
      requests: { memory: '1000Mi', cpu: '0.5' },
      limits: { memory: '1500Mi', cpu: '1.5' },
    });
  });
  it('lets free configuration override form values, like a later -D', () => {
    const d = deploymentOf({
      clusterId: 'o',
      flinkConfig: [
        { key: 'rest.port', value: '9091' },
        { key: 'kubernetes.jobmanager.cpu.amount', value: '2' },
        { key: 'kubernetes.jobmanager.entrypoint.args', value: '-Dfoo=bar' },
        { key: 'kubernetes.flink.log.dir', value: '/var/log/flink' },
        { key: 'kubernetes.jobmanager.owner.reference', value: 'apiVersion:v1,kind:ConfigMap,name:owner,uid:123,controller:false' },
      ],
    });
    const main = d.spec!.template.spec!.containers[0]!;
    expect(main.ports![0]).toEqual({ name: 'rest', containerPort: 9091 });
    expect(main.resources!.requests!.cpu).toBe('2.0');
    expect(main.args).toEqual(['bash', '-c', 'kubernetes-jobmanager.sh kubernetes-session -Dfoo=bar']);
    expect(main.env!.at(-1)).toEqual({ name: 'FLINK_LOG_DIR', value: '/var/log/flink' });
    expect(d.metadata!.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: '123', controller: false }]);
  });
  it('drops ports and uses ClusterFirstWithHostNet with host networking', () => {
    const d = deploymentOf({ clusterId: 'h', flinkConfig: [{ key: 'kubernetes.hostnetwork.enabled', value: 'true' }] });
    const pod = d.spec!.template.spec!;
    expect(pod.hostNetwork).toBe(true);
    expect(pod.dnsPolicy).toBe('ClusterFirstWithHostNet');
    expect(pod.containers[0]!.ports).toBeUndefined();
  });
  it('adds image pull secrets and user annotations to both the Deployment and the pod', () => {
    const d = deploymentOf({ clusterId: 'p', imagePullSecrets: ['regcred', 'other'], jobManager: { annotations: { 'a.io/x': 'y' } } });
    expect(d.spec!.template.spec!.imagePullSecrets).toEqual([{ name: 'regcred' }, { name: 'other' }]);
    expect(d.metadata!.annotations).toEqual({ 'a.io/x': 'y' });
    expect(d.spec!.template.metadata!.annotations).toEqual({ 'a.io/x': 'y' });
  });
});
