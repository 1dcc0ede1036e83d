import { describe, expect, it } from 'vitest';
import { flinkVersionOf, OFFICIAL_TAGS } from './images';
import { Conf, containerArgv, loadConfiguration, parseDuration, parseDynamicProperties, parseMemorySize, isKubernetesHa, IllegalConfigurationException } from './config';
import { jobManagerProcessSpec, taskExecutorProcessSpec, tmDynamicConfigs } from './memory';
import { buildTaskManagerPod } from './tm-pod';
import { applicationJobId } from './jobmanager';
import { microTime, parseRecord, pathOfStateHandle, serializedStateHandle, serializeRecord } from './ha';

const none = new Map();
const MB = 1024 * 1024;

describe('images', () => {
  it('knows published tags with and without registry prefixes', () => {
    expect(flinkVersionOf('flink:1.20.3-scala_2.12-java11', none)).toBe('1.20.3');
    expect(flinkVersionOf('docker.io/library/flink:1.19', none)).toBe('1.19.3');
    expect(flinkVersionOf('apache/flink:2.1.1-java17', none)).toBe('2.1.1');
    expect(flinkVersionOf('docker.io/apache/flink:2.3.0', none)).toBe('2.3.0');
    expect(flinkVersionOf('flink:1.20.0-scala_2.12-java21', none)).toBe('1.20.0');
    expect(flinkVersionOf('flink@sha256:' + 'a'.repeat(64), none)).toBe('2.3.0');
  });
  it('rejects typos and unpublished tags', () => {
    expect(flinkVersionOf('flink:1.20.9', none)).toBeUndefined();
    expect(flinkVersionOf('flnik:1.20', none)).toBeUndefined();
    expect(flinkVersionOf('flink:2.0.0-java8', none)).toBeUndefined();
    expect(flinkVersionOf('flink:1.18.1', none)).toBeUndefined();
    expect(OFFICIAL_TAGS.get('2.2')).toBe('2.2.0');
  });
  it('knows custom images registered through the control API', () => {
    const custom = new Map([['registry.example/my-job:1', { image: 'registry.example/my-job:1', flinkVersion: '1.20.1', jars: [] }]]);
    expect(flinkVersionOf('registry.example/my-job:1', custom)).toBe('1.20.1');
  });
});

describe('configuration', () => {
  it('reads standard YAML, flattening nested maps', () => {
    const files = { '/opt/flink/conf/config.yaml': 'kubernetes:\n  cluster-id: c1\ntaskmanager.numberOfTaskSlots: 2\nkubernetes.jobmanager.labels:\n  a: b\n' };
    const r = loadConfiguration(files, '/opt/flink/conf', '2.0.0', new Map([['parallelism.default', '3']]));
    const c = new Conf(r.conf);
    expect(r.fileName).toBe('config.yaml');
    expect(c.string('kubernetes.cluster-id')).toBe('c1');
    expect(c.int('taskmanager.numberOfTaskSlots', 1)).toBe(2);
    expect(c.int('parallelism.default', 1)).toBe(3);
    expect(c.stringMap('kubernetes.jobmanager.labels')).toEqual({ a: 'b' });
  });
  it('prefers legacy flink-conf.yaml on 1.19/1.20 and ignores it on 2.x', () => {
    const files = { '/opt/flink/conf/flink-conf.yaml': 'kubernetes.cluster-id: legacy # comment\nkubernetes.jobmanager.labels: a:b,c:d\n', '/opt/flink/conf/config.yaml': 'kubernetes.cluster-id: std\n' };
    const r = loadConfiguration(files, '/opt/flink/conf', '1.20.1', new Map());
    expect(r.fileName).toBe('flink-conf.yaml');
    expect(new Conf(r.conf).string('kubernetes.cluster-id')).toBe('legacy');
    expect(new Conf(r.conf).stringMap('kubernetes.jobmanager.labels')).toEqual({ a: 'b', c: 'd' });
    expect(new Conf(loadConfiguration(files, '/opt/flink/conf', '2.1.0', new Map()).conf).string('kubernetes.cluster-id')).toBe('std');
  });
  it('fails like GlobalConfiguration when no config file exists', () => {
    expect(() => loadConfiguration({}, '/opt/flink/conf', '1.20.0', new Map())).toThrow("The Flink config file '/opt/flink/conf/config.yaml' (/opt/flink/conf/config.yaml) does not exist.");
  });
  it('parses the bash wrapper and dynamic properties', () => {
    const argv = containerArgv(['/docker-entrypoint.sh'], ['bash', '-c', 'kubernetes-taskmanager.sh -Dtaskmanager.resource-id=c-taskmanager-1-1 -D taskmanager.numberOfTaskSlots=2 ']);
    expect(argv[0]).toBe('/docker-entrypoint.sh');
    expect(argv[1]).toBe('kubernetes-taskmanager.sh');
    const d = parseDynamicProperties(argv);
    expect(d.get('taskmanager.resource-id')).toBe('c-taskmanager-1-1');
    expect(d.get('taskmanager.numberOfTaskSlots')).toBe('2');
  });
  it('parses durations and memory sizes as Flink does', () => {
    expect(parseDuration('30 s')).toBe(30000);
    expect(parseDuration('1 min')).toBe(60000);
    expect(parseDuration('500')).toBe(500);
    expect(parseMemorySize('1728m')).toBe(1728 * MB);
    expect(parseMemorySize('1 gb')).toBe(1024 * MB);
  });
  it('recognises Kubernetes HA in all spellings', () => {
    expect(isKubernetesHa(new Conf(new Map([['high-availability.type', 'kubernetes']])))).toBe(true);
    expect(isKubernetesHa(new Conf(new Map([['high-availability', 'KUBERNETES']])))).toBe(true);
    expect(isKubernetesHa(new Conf(new Map([['high-availability.type', 'org.apache.flink.kubernetes.highavailability.KubernetesHaServicesFactory']])))).toBe(true);
    expect(isKubernetesHa(new Conf(new Map([['high-availability.type', 'zookeeper']])))).toBe(false);
  });
});

describe('memory model', () => {
  it('derives the TaskManager memory of the shipped 1728m default', () => {
    const s = taskExecutorProcessSpec(new Conf(new Map([['taskmanager.memory.process.size', '1728m']])));
    expect(s.overhead).toBe(192 * MB);
    expect(s.metaspace).toBe(256 * MB);
    expect(s.totalFlink).toBe(1280 * MB);
    expect(s.managed).toBe(512 * MB);
    expect(s.network).toBe(128 * MB);
    expect(s.taskHeap).toBe(384 * MB);
    expect(tmDynamicConfigs(s)).toContain(`-D taskmanager.memory.task.heap.size=${384 * MB}b`);
  });
  it('rejects a TaskManager process size below what metaspace and overhead need', () => {
    expect(() => taskExecutorProcessSpec(new Conf(new Map([['taskmanager.memory.process.size', '400m']])))).toThrow(/^TaskManager memory configuration failed: Sum of configured JVM Metaspace \(256\.000mb \(268435456 bytes\)\) and JVM Overhead \(192\.000mb \(201326592 bytes\)\) exceed configured Total Process Memory \(400\.000mb/);
    expect(() => taskExecutorProcessSpec(new Conf(new Map([['taskmanager.memory.process.size', '800m']])))).toThrow(/Network Memory .* exceed configured Total Flink Memory/);
    expect(() => taskExecutorProcessSpec(new Conf(new Map()))).toThrow(IllegalConfigurationException);
  });
  it('derives the JobManager heap of the shipped 1600m default', () => {
    const s = jobManagerProcessSpec(new Conf(new Map([['jobmanager.memory.process.size', '1600m']])));
    expect(s.heap).toBe(1024 * MB);
    expect(() => jobManagerProcessSpec(new Conf(new Map([['jobmanager.memory.process.size', '576m']])))).toThrow(/less than the configured Off-heap Memory/);
  });
});

describe('HA encoding', () => {
  it('writes the leader record as fabric8 does', () => {
    const t = microTime(Date.UTC(2020, 9, 20, 4, 6, 31, 431));
    expect(t).toBe('2020-10-20T04:06:31.431000Z');
    const s = serializeRecord({ holderIdentity: 'x', leaseDuration: 15, acquireTime: t, renewTime: t, leaderTransitions: 3 });
    expect(s).toBe('{"holderIdentity":"x","leaseDuration":15.000000000,"acquireTime":"2020-10-20T04:06:31.431000Z","renewTime":"2020-10-20T04:06:31.431000Z","leaderTransitions":3}');
    expect(parseRecord(s)?.holderIdentity).toBe('x');
  });
  it('state handles are Java-serialized bytes that carry the path', () => {
    const b64 = serializedStateHandle('s3://bucket/ha/c1/submittedJobGraph0123');
    const b = Buffer.from(b64, 'base64');
    expect([...b.subarray(0, 4)]).toEqual([0xac, 0xed, 0x00, 0x05]);
    expect(pathOfStateHandle(b64)).toBe('s3://bucket/ha/c1/submittedJobGraph0123');
  });
  it('derives the application job id from the cluster id hash', () => {
    // "abc".hashCode() = 96354 = 0x17862
    expect(applicationJobId('abc')).toBe('0000000000017862' + '0'.repeat(16));
    // ApplicationJobUtils.maybeFixJobIdAndApplicationId (HA, no fixed job id):
    //   new JobID(configuration.get(HA_CLUSTER_ID).hashCode(), 0).toHexString()
    // JobID(long lowerPart, long upperPart): the int hashCode widens to a long with its sign, and
    // AbstractID writes lowerPart then upperPart, each as 8 big-endian bytes in hex.
    // "flink-application-cluster".hashCode() = s[0]*31^24 + ... + s[24] mod 2^32 = 0xcdd7f690
    //   (as an int: -841484656, negative), so lowerPart = 0xffffffffcdd7f690 and upperPart = 0.
    expect(applicationJobId('flink-application-cluster')).toBe('ffffffffcdd7f690' + '0000000000000000');
  });
});

describe('TaskManager pod', () => {
  it('is built as KubernetesTaskManagerFactory builds it, on top of the pod template', () => {
    const conf = new Conf(
      new Map<string, unknown>([
        ['kubernetes.taskmanager.labels', { team: 'a' }],
        ['kubernetes.taskmanager.node-selector', 'disk:ssd'],
        ['kubernetes.taskmanager.tolerations', 'key:k1,operator:Equal,value:v1,effect:NoSchedule'],
        ['kubernetes.service-account', 'flink'],
        ['taskmanager.memory.process.size', '1728m'],
        ['taskmanager.numberOfTaskSlots', '2'],
      ]),
    );
    const spec = taskExecutorProcessSpec(conf);
    const pod = buildTaskManagerPod({
      conf,
      flinkVersion: '1.20.1',
      clusterId: 'c1',
      podName: 'c1-taskmanager-1-1',
      deployment: { metadata: { name: 'c1', uid: 'uid-1' } },
      spec,
      dynamicProperties: new Map([['taskmanager.resource-id', 'c1-taskmanager-1-1']]),
      confFileName: 'config.yaml',
      logFiles: ['log4j-console.properties'],
      template: { metadata: { labels: { tpl: 'yes' } }, spec: { containers: [{ name: 'flink-main-container', env: [{ name: 'A', value: '1' }] }, { name: 'sidecar', image: 'busybox' }] } },
      defaultImage: 'flink:1.20.1',
    });
    expect(pod.metadata.labels).toEqual({ tpl: 'yes', team: 'a', type: 'flink-native-kubernetes', app: 'c1', component: 'taskmanager' });
    expect(pod.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'c1', uid: 'uid-1', controller: true, blockOwnerDeletion: true }]);
    expect(pod.spec.restartPolicy).toBe('Never');
    expect(pod.spec.serviceAccountName).toBe('flink');
    expect(pod.spec.nodeSelector).toEqual({ disk: 'ssd' });
    expect(pod.spec.tolerations).toEqual([{ effect: 'NoSchedule', key: 'k1', operator: 'Equal', value: 'v1' }]);
    const main = pod.spec.containers[0];
    expect(pod.spec.containers.map((c: any) => c.name)).toEqual(['flink-main-container', 'sidecar']);
    expect(main.command).toEqual(['/docker-entrypoint.sh']);
    expect(main.args[2]).toMatch(/^kubernetes-taskmanager\.sh -Dtaskmanager\.resource-id=c1-taskmanager-1-1 -D taskmanager\.memory\.network\.min=/);
    expect(main.resources).toEqual({ limits: { memory: '1728Mi', cpu: '2.0' }, requests: { memory: '1728Mi', cpu: '2.0' } });
    expect(main.env.map((e: any) => e.name)).toEqual(['A', '_POD_NODE_ID', 'FLINK_TM_JVM_MEM_OPTS']);
    expect(main.ports).toEqual([{ name: 'taskmanager-rpc', containerPort: 6122 }]);
    expect(pod.spec.volumes).toContainEqual({ name: 'flink-config-volume', configMap: { name: 'flink-config-c1', items: [{ key: 'log4j-console.properties', path: 'log4j-console.properties' }, { key: 'config.yaml', path: 'config.yaml' }] } });
  });
});
