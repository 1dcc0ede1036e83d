import { describe, expect, it } from 'vitest';
import { clusterSpecSchema } from './cluster-spec-schema';
import { buildDynamicProperties, buildFlinkConfig, renderConfigFile, toFlinkMapString } from './flink-config';

describe('renderConfigFile', () => {
  it('writes config.yaml keys in HashMap order and quotes per the core schema', () => {
    // single-character keys land in bucket = char code & (capacity - 1): a=1, b=2, c=3
    const text = renderConfigFile(new Map<string, string | number>([['c', 'true'], ['a', 1], ['b', 'v']]), 'config.yaml', '2.0');
    expect(text).toBe("a: 1\nb: v\nc: 'true'\n");
  });
  it('nests dotted keys under the first occurrence of their parent', () => {
    const text = renderConfigFile({ 'x.a': '1', y: 'z', 'x.b': 2 }, 'config.yaml', '2.0');
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines.filter((l) => l === 'x:')).toHaveLength(1);
    const x = lines.indexOf('x:');
    expect(lines.slice(x + 1, x + 3).sort()).toEqual(["  a: '1'", '  b: 2']);
  });
  it('writes flat legacy lines with lists joined by ;', () => {
    const text = renderConfigFile(new Map<string, string | string[]>([['b', ['x', 'y;z']], ['a', 'v']]), 'flink-conf.yaml', '1.19');
    expect(text).toBe("a: v\nb: x;'y;z'\n");
  });
  it('refuses overlapping prefixes like YamlParserUtils', () => {
    expect(() => renderConfigFile({ a: 'x', 'a.b': 'y' }, 'config.yaml', '2.0')).toThrow(/Overlapping/);
  });
});

describe('buildFlinkConfig', () => {
  it('keeps the last value of a repeated key (later -D wins)', () => {
    const spec = clusterSpecSchema.parse({
      clusterId: 'lw',
      flinkConfig: [
        { key: 'pipeline.name', value: 'first' },
        { key: 'pipeline.name', value: 'second' },
        { key: 'taskmanager.numberOfTaskSlots', value: '4' },
      ],
    });
    const config = buildFlinkConfig(spec);
    expect(config['pipeline.name']).toBe('second');
    expect(config['taskmanager.numberOfTaskSlots']).toBe('4');
  });
  it('adds the HA, idle timeout and env keys', () => {
    const spec = clusterSpecSchema.parse({
      clusterId: 'k',
      taskManager: { idleTimeout: '60 s', env: [{ name: 'X', value: '1' }], cpuLimitFactor: 2 },
      ha: { enabled: true, storageDir: 'file:///ha', renewDeadline: '10 s', retryPeriod: '2 s' },
    });
    const config = buildFlinkConfig(spec);
    expect(config).toMatchObject({
      'resourcemanager.taskmanager-timeout': '60 s',
      'containerized.taskmanager.env.X': '1',
      'kubernetes.taskmanager.cpu.limit-factor': '2.0',
      'high-availability.type': 'kubernetes',
      'high-availability.kubernetes.leader-election.renew-deadline': '10 s',
      'high-availability.kubernetes.leader-election.retry-period': '2 s',
    });
    expect(config).not.toHaveProperty('jobmanager.bind-host');
  });
  it('writes 1.19 savepoint keys', () => {
    const spec = clusterSpecSchema.parse({
      clusterId: 'sp',
      mode: 'application',
      flinkVersion: '1.19',
      application: { jarUri: 'local:///a.jar', savepointPath: 'file:///sp' },
    });
    expect(buildFlinkConfig(spec)).toMatchObject({
      'execution.savepoint.path': 'file:///sp',
      'execution.savepoint.ignore-unclaimed-state': 'false',
      'execution.savepoint-restore-mode': 'NO_CLAIM',
      '$internal.application.program-args': '',
    });
  });
  it('quotes map entries that contain separators', () => {
    // ConfigurationUtils: escape key and value on ':', then the pair on ','
    expect(toFlinkMapString({ a: 'b', 'k:1': 'v,2' })).toBe("a:b,'''k:1'':v,2'");
    const spec = clusterSpecSchema.parse({ clusterId: 'm', jobManager: { annotations: { note: 'a,b' } } });
    expect(Object.fromEntries(buildDynamicProperties(spec))['kubernetes.jobmanager.annotations']).toBe("'note:a,b'");
  });
});

describe('buildDynamicProperties', () => {
  it('passes form values only where they differ from what Flink would use', () => {
    const defaults = Object.fromEntries(buildDynamicProperties(clusterSpecSchema.parse({ clusterId: 'd' })));
    expect(Object.keys(defaults)).toEqual([
      'kubernetes.cluster-id',
      'kubernetes.namespace',
      'kubernetes.container.image.ref',
      'kubernetes.service-account',
    ]);
    const custom = Object.fromEntries(
      buildDynamicProperties(
        clusterSpecSchema.parse({
          clusterId: 'd',
          restExposure: 'NodePort',
          imagePullPolicy: 'Always',
          jobManager: { cpu: '2', memory: '2Gi' },
          taskManager: { slots: 4, cpu: '2', memory: '4Gi' },
        }),
      ),
    );
    expect(custom).toMatchObject({
      'kubernetes.rest-service.exposed.type': 'NodePort',
      'kubernetes.container.image.pull-policy': 'Always',
      'kubernetes.jobmanager.cpu.amount': '2.0',
      'jobmanager.memory.process.size': '2g',
      'taskmanager.numberOfTaskSlots': '4',
      'kubernetes.taskmanager.cpu.amount': '2.0',
      'taskmanager.memory.process.size': '4g',
    });
    const slotsAsCpu = Object.fromEntries(buildDynamicProperties(clusterSpecSchema.parse({ clusterId: 'd', taskManager: { slots: 2, cpu: '2' } })));
    expect(slotsAsCpu).not.toHaveProperty('kubernetes.taskmanager.cpu.amount');
  });
});
