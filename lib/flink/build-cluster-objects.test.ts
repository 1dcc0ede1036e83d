import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildClusterObjects } from './build-cluster-objects';
import { clusterSpecSchema, type ClusterSpecInput } from './cluster-spec-schema';
import { buildDynamicProperties, buildTypedFlinkConfig } from './flink-config';
import {
  applicationExpected,
  applicationSpec,
  haExpected,
  haSpec,
  nodeSelectorExpected,
  nodeSelectorSpec,
  secretsExpected,
  secretsSpec,
  versionExpected,
} from './fixtures/scenarios';
import {
  sessionBasicConfig,
  sessionBasicDeployment,
  sessionBasicInternalService,
  sessionBasicRestService,
  sessionBasicSpec,
} from './fixtures/session-basic';
import { validateK8sObject } from './fixtures/validate-k8s-object';

function build(input: ClusterSpecInput) {
  const spec = clusterSpecSchema.parse(input);
  return { spec, objects: buildClusterObjects(spec) };
}

function flattenYaml(value: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flattenYaml(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out[prefix] = value;
  }
  return out;
}

function configFileOf(objects: ReturnType<typeof buildClusterObjects>, name = 'config.yaml'): string {
  const cm = objects.dependents.find((d) => d.metadata?.name?.startsWith('flink-config-'));
  return (cm as { data: Record<string, string> }).data[name] as string;
}

function mainContainer(objects: ReturnType<typeof buildClusterObjects>) {
  return objects.deployment.spec!.template.spec!.containers.at(-1)!;
}

/** The Flink distribution's conf/ files of a release line, kept in the repository (dist-conf/reference). */
const distDir = (version: string) => path.join(import.meta.dirname, 'dist-conf', 'reference', version);

describe('buildClusterObjects golden: basic session cluster', () => {
  const { objects } = build(sessionBasicSpec);

  it('builds the JobManager Deployment field by field', () => {
    expect(objects.deployment).toEqual(sessionBasicDeployment);
  });

  it('builds the dependents in decorator order', () => {
    expect(objects.dependents.map((d) => `${d.kind}/${d.metadata?.name}`)).toEqual([
      'Service/session-a',
      'Service/session-a-rest',
      'ConfigMap/flink-config-session-a',
    ]);
    expect(objects.dependents[0]).toEqual(sessionBasicInternalService);
    expect(objects.dependents[1]).toEqual(sessionBasicRestService);
  });

  it('writes config.yaml with the client configuration, nested', () => {
    const text = configFileOf(objects);
    const flat = flattenYaml(parse(text));
    const { 'env.java.opts.all': javaOpts, ...rest } = flat;
    expect(rest).toEqual(sessionBasicConfig);
    expect(String(javaOpts)).toMatch(/^--add-exports=java\.base\/sun\.net\.util=ALL-UNNAMED /);
    expect(text).toContain('  numberOfTaskSlots: 1\n');
    expect(text).toContain('    port: 6123\n');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('ships the 1.20 distribution console logging files verbatim', () => {
    const cm = objects.dependents[2] as { metadata: { labels: unknown }; data: Record<string, string> };
    expect(Object.keys(cm.data).sort()).toEqual(['config.yaml', 'log4j-console.properties', 'logback-console.xml']);
    expect(cm.metadata.labels).toEqual({ type: 'flink-native-kubernetes', app: 'session-a' });
    const dist = distDir('1.20');
    expect(cm.data['log4j-console.properties']).toBe(readFileSync(path.join(dist, 'log4j-console.properties'), 'utf8'));
    expect(cm.data['logback-console.xml']).toBe(readFileSync(path.join(dist, 'logback-console.xml'), 'utf8'));
  });
});

describe('buildClusterObjects golden: node selector and tolerations', () => {
  const { spec, objects } = build(nodeSelectorSpec);
  it('passes them as Flink map / list-of-map options', () => {
    expect(Object.fromEntries(buildDynamicProperties(spec))).toMatchObject(nodeSelectorExpected.dynamic);
  });
  it('puts them on the JobManager pod', () => {
    const podSpec = objects.deployment.spec!.template.spec!;
    expect(podSpec.nodeSelector).toEqual(nodeSelectorExpected.podSpec.nodeSelector);
    expect(podSpec.tolerations).toEqual(nodeSelectorExpected.podSpec.tolerations);
  });
});

describe('buildClusterObjects golden: Kubernetes HA', () => {
  const { spec, objects } = build(haSpec);
  it('skips the internal Service and allows standby JobManagers', () => {
    expect(objects.dependents.map((d) => d.metadata?.name)).toEqual(haExpected.dependentNames);
    expect(objects.deployment.spec!.replicas).toBe(haExpected.replicas);
  });
  it('adds the HA keys the client writes', () => {
    expect(Object.fromEntries(buildTypedFlinkConfig(spec))).toMatchObject(haExpected.config);
    expect(flattenYaml(parse(configFileOf(objects)))).toMatchObject(haExpected.config);
  });
});

describe('buildClusterObjects golden: secrets as files and env', () => {
  const { spec, objects } = build(secretsSpec);
  it('encodes kubernetes.secrets and kubernetes.env.secretKeyRef', () => {
    expect(Object.fromEntries(buildDynamicProperties(spec))).toMatchObject(secretsExpected.dynamic);
  });
  it('adds env, volumes and mounts in decorator order', () => {
    const main = mainContainer(objects);
    expect(main.env).toEqual(secretsExpected.env);
    const volumes = objects.deployment.spec!.template.spec!.volumes!;
    expect(volumes.filter((v) => v.secret)).toEqual(secretsExpected.secretVolumes);
    expect(volumes.map((v) => v.name)).toEqual(['user-artifacts-volume', 'tls-volume', 'creds-volume', 'flink-config-volume']);
    expect(main.volumeMounts!.filter((m) => m.name.endsWith('-volume') && !m.name.startsWith('flink') && !m.name.startsWith('user'))).toEqual(
      secretsExpected.secretMounts,
    );
  });
});

describe('buildClusterObjects golden: application mode', () => {
  const { spec, objects } = build(applicationSpec);
  it('starts the application entrypoint', () => {
    expect(mainContainer(objects).args).toEqual(applicationExpected.args);
  });
  it('writes the program, restore and typed CLI options', () => {
    expect(Object.fromEntries(buildTypedFlinkConfig(spec))).toMatchObject(applicationExpected.config);
    const text = configFileOf(objects);
    expect(flattenYaml(parse(text))).toMatchObject(applicationExpected.config);
    expect(text).toContain('  jars:\n  - local:///opt/flink/usrlib/wordcount.jar\n');
    expect(text).toContain("    program-args:\n    - --input\n    - '1'\n");
  });
  it('enables raw http and the S3 plugin when the jar needs them', () => {
    const http = clusterSpecSchema.parse({ ...applicationSpec, application: { jarUri: 'http://repo/job.jar' } });
    expect(Object.fromEntries(buildDynamicProperties(http))['user.artifacts.raw-http-enabled']).toBe('true');
    const s3 = clusterSpecSchema.parse({ ...applicationSpec, image: 'flink:1.20.1-java17', application: { jarUri: 's3://b/job.jar' } });
    expect(Object.fromEntries(buildDynamicProperties(s3))['containerized.master.env.ENABLE_BUILT_IN_PLUGINS']).toBe(
      'flink-s3-fs-hadoop-1.20.1.jar',
    );
  });
});

describe.each(['1.19', '1.20', '2.0', '2.3'] as const)('buildClusterObjects golden: Flink %s', (version) => {
  const expected = versionExpected[version];
  const { spec, objects } = build({ ...applicationSpec, flinkVersion: version });
  const config = Object.fromEntries(buildTypedFlinkConfig(spec));
  it('uses the version restore keys', () => {
    expect(config[expected.restorePathKey]).toBe('s3://bucket/sp/savepoint-1');
    expect(config[expected.claimModeKey]).toBe('NO_CLAIM');
  });
  it('uses the default image and the distribution defaults', () => {
    expect(mainContainer(objects).image).toBe(`flink:${version}`);
    expect(String(config['env.java.opts.all']).includes('java.base/sun.net.util')).toBe(expected.javaOptsHasSunNetUtil);
    for (const removed of ['rest.bind-address', 'jobmanager.bind-host', 'taskmanager.bind-host', 'taskmanager.host']) {
      expect(config).not.toHaveProperty(removed);
    }
  });
  it('builds objects valid against the Kubernetes 1.28 OpenAPI', () => {
    for (const object of [objects.deployment, ...objects.dependents]) expect(validateK8sObject(object)).toEqual([]);
  });
});

describe('legacy flink-conf.yaml (1.19/1.20)', () => {
  it('writes flat key: value lines and mounts that file name', () => {
    const { objects } = build({ clusterId: 'legacy', flinkVersion: '1.19', configFileFormat: 'flink-conf.yaml' });
    const text = configFileOf(objects, 'flink-conf.yaml');
    expect(text).toContain('kubernetes.cluster-id: legacy\n');
    expect(text).toContain('jobmanager.rpc.address: legacy.default\n');
    expect(text).not.toContain('jobmanager.bind-host');
    const volume = objects.deployment.spec!.template.spec!.volumes!.find((v) => v.name === 'flink-config-volume');
    expect(volume!.configMap!.items!.at(-1)).toEqual({ key: 'flink-conf.yaml', path: 'flink-conf.yaml' });
  });
});

describe('all scenarios build schema-valid objects', () => {
  it.each([
    ['session', sessionBasicSpec],
    ['node selector', nodeSelectorSpec],
    ['ha', haSpec],
    ['secrets', secretsSpec],
    ['application', applicationSpec],
  ] as const)('%s', (_name, input) => {
    const { objects } = build(input as ClusterSpecInput);
    for (const object of [objects.deployment, ...objects.dependents]) expect(validateK8sObject(object)).toEqual([]);
  });
});

describe('internal Service annotations (kubernetes.internal-service.annotations, 1.20+)', () => {
  it.each([
    ['1.19', undefined],
    ['1.20', { 'a.io/b': 'c' }],
    ['2.3', { 'a.io/b': 'c' }],
  ] as const)('Flink %s', (flinkVersion, expected) => {
    const { objects } = build({ clusterId: 'ann', flinkVersion, flinkConfig: [{ key: 'kubernetes.internal-service.annotations', value: 'a.io/b:c' }] });
    expect(objects.dependents[0]!.metadata!.annotations).toEqual(expected);
  });
  it('puts kubernetes.rest-service.annotations on the rest Service and honours Headless_ClusterIP', () => {
    const { objects } = build({
      clusterId: 'ann',
      restExposure: 'Headless_ClusterIP',
      flinkConfig: [{ key: 'kubernetes.rest-service.annotations', value: 'x.io/y:z' }],
    });
    const rest = objects.dependents[1]!;
    expect(rest.metadata!.annotations).toEqual({ 'x.io/y': 'z' });
    expect((rest as { spec: unknown }).spec).toMatchObject({ type: 'ClusterIP', clusterIP: 'None' });
  });
});
