import { describe, expect, it } from 'vitest';
import { clusterSpecSchema, toFieldIssues, type ClusterSpecInput, type FieldIssue } from './cluster-spec-schema';

function issuesOf(input: unknown): FieldIssue[] {
  const result = clusterSpecSchema.safeParse(input);
  if (result.success) return [];
  return toFieldIssues(result.error.issues);
}

/** An issue at `path` whose plain message, or whose detail (the Kubernetes/Flink wording), matches. */
function expectIssue(input: unknown, path: string, message: RegExp | string) {
  const issues = issuesOf(input);
  const matches = (text: string | undefined) => text !== undefined && (typeof message === 'string' ? text === message : message.test(text));
  const match = issues.find((i) => i.path === path && (matches(i.message) || matches(i.detail)));
  expect(match, `expected issue at ${path} ${String(message)}, got ${JSON.stringify(issues)}`).toBeDefined();
}

/** The one issue at `path`. */
function issueAt(input: unknown, path: string): FieldIssue {
  const at = issuesOf(input).filter((i) => i.path === path);
  expect(at, JSON.stringify(issuesOf(input))).toHaveLength(1);
  return at[0] as FieldIssue;
}

const base: ClusterSpecInput = { clusterId: 'demo' };

describe('clusterSpecSchema defaults', () => {
  it('needs only a cluster id', () => {
    const spec = clusterSpecSchema.parse(base);
    expect(spec).toMatchObject({
      mode: 'session',
      namespace: 'default',
      flinkVersion: '1.20',
      imagePullPolicy: 'IfNotPresent',
      serviceAccount: 'flink',
      restExposure: 'ClusterIP',
      configFileFormat: 'config.yaml',
      jobManager: { cpu: '1', memory: '1600Mi', replicas: 1, cpuLimitFactor: 1, memoryLimitFactor: 1 },
      taskManager: { cpu: '1', memory: '1728Mi', slots: 1 },
      ha: { enabled: false },
    });
    expect(spec.image).toBeUndefined();
  });
});

describe('clusterSpecSchema cluster id', () => {
  it('refuses a missing or blank id with Flink message', () => {
    expectIssue({ clusterId: '  ' }, 'clusterId', 'kubernetes.cluster-id must not be blank.');
  });
  it('refuses ids longer than 45 characters with Flink message', () => {
    expect(issuesOf({ clusterId: 'a'.repeat(45) })).toEqual([]);
    expectIssue({ clusterId: 'a'.repeat(46) }, 'clusterId', 'kubernetes.cluster-id must be no more than 45 characters.');
  });
  it('refuses uppercase, a leading digit and bad characters', () => {
    expectIssue({ clusterId: 'MyCluster' }, 'clusterId', /^A cluster id must be lowercase\. /);
    expectIssue({ clusterId: '1cluster' }, 'clusterId', /^A cluster id must start with a letter, not a digit\. /);
    expectIssue({ clusterId: 'my_cluster' }, 'clusterId', /DNS-1035 label/);
    expectIssue({ clusterId: 'cluster-' }, 'clusterId', /DNS-1035 label/);
  });
  it('leads with one plain sentence that says what to type, the Kubernetes rule as the detail', () => {
    const rule = "Use lowercase letters, digits and '-', starting with a letter and ending with a letter or digit, at most 45 characters.";
    expect(issueAt({ clusterId: 'Bad_ID' }, 'clusterId')).toEqual({
      path: 'clusterId',
      message: `A cluster id must be lowercase and may not contain '_'. ${rule}`,
      detail: expect.stringMatching(/^a DNS-1035 label must consist of lower case alphanumeric characters/),
    });
    expect(issueAt({ clusterId: 'cluster-' }, 'clusterId').message).toBe(`A cluster id must end with a letter or digit. ${rule}`);
    expect(issueAt({ clusterId: 'my cluster.x' }, 'clusterId').message).toBe(`A cluster id may not contain spaces or '.'. ${rule}`);
    expect(issueAt({ clusterId: ' ' }, 'clusterId')).toEqual({ path: 'clusterId', message: `Enter a cluster id. ${rule}`, detail: 'kubernetes.cluster-id must not be blank.' });
    expect(issueAt({}, 'clusterId').message).toBe(`Enter a cluster id. ${rule}`);
    // Too long and malformed: still one issue, with both rules in the detail.
    const both = issueAt({ clusterId: `${'a'.repeat(44)}_b` }, 'clusterId');
    expect(both.message).toBe(`A cluster id has at most 45 characters; this one has 46. A cluster id may not contain '_'. ${rule}`);
    expect(both.detail).toMatch(/^kubernetes\.cluster-id must be no more than 45 characters\. a DNS-1035 label/);
    // Every id the rule accepts is a valid DNS-1035 label of at most 45 characters.
    for (const id of ['a', 'a1', 'a-b', `a${'b'.repeat(44)}`]) expect(issuesOf({ clusterId: id })).toEqual([]);
  });
});

describe('clusterSpecSchema quantities and memory', () => {
  it('refuses strings outside the Kubernetes quantity grammar', () => {
    expectIssue({ ...base, jobManager: { cpu: 'one' } }, 'jobManager.cpu', /quantities must match the regular expression/);
    expectIssue({ ...base, taskManager: { memory: '2 GB' } }, 'taskManager.memory', /quantities must match the regular expression/);
  });
  it('accepts binary, decimal and exponent suffixes', () => {
    expect(issuesOf({ ...base, jobManager: { cpu: '500m', memory: '2Gi' }, taskManager: { cpu: '1.5', memory: '2e9' } })).toEqual([]);
  });
  it('refuses memory below the JobManager minimum with Flink message', () => {
    expectIssue(
      { ...base, jobManager: { memory: '576Mi' } },
      'jobManager.memory',
      'JobManager memory configuration failed: The configured Total Flink Memory (128.000mb (134217728 bytes)) is less than the configured Off-heap Memory (128.000mb (134217728 bytes)).',
    );
    expectIssue({ ...base, jobManager: { memory: '400Mi' } }, 'jobManager.memory', /Sum of configured JVM Metaspace \(256\.000mb/);
    expect(issuesOf({ ...base, jobManager: { memory: '577Mi' } })).toEqual([]);
  });
  it('refuses memory below the TaskManager minimum with Flink message', () => {
    expectIssue(
      { ...base, taskManager: { memory: '700Mi' } },
      'taskManager.memory',
      /^TaskManager memory configuration failed: Sum of configured Framework Heap Memory \(128\.000mb \(134217728 bytes\)\), Framework Off-Heap Memory .* exceed configured Total Flink Memory \(252\.000mb \(264241152 bytes\)\)\.$/,
    );
  });
  it('checks the process size a later free-configuration entry sets, and leaves tuned models to Flink', () => {
    expectIssue(
      { ...base, flinkConfig: [{ key: 'taskmanager.memory.process.size', value: '700m' }] },
      'taskManager.memory',
      /^TaskManager memory configuration failed/,
    );
    expect(
      issuesOf({
        ...base,
        taskManager: { memory: '900Mi' },
        flinkConfig: [{ key: 'taskmanager.memory.managed.fraction', value: '0.1' }],
      }),
    ).toEqual([]);
  });
  it('says what to type for a malformed quantity, with the Kubernetes grammar as the detail', () => {
    expect(issueAt({ ...base, taskManager: { memory: 'lots' } }, 'taskManager.memory')).toEqual({
      path: 'taskManager.memory',
      message: 'Type a memory size such as 1728Mi or 2Gi.',
      detail: "memory: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    });
    expect(issueAt({ ...base, jobManager: { memory: '2g' } }, 'jobManager.memory').message).toBe("Type a memory size such as 1728Mi or 2Gi: 2g is Flink's notation, here it is 2Gi.");
    expect(issueAt({ ...base, jobManager: { cpu: 'one' } }, 'jobManager.cpu').message).toBe('Type a number of CPUs such as 1, 0.5 or 500m.');
  });
  it('names the least memory that works, computed with Flink memory model, and keeps Flink message as the detail', () => {
    const tm = issueAt({ ...base, taskManager: { memory: '100Mi' } }, 'taskManager.memory');
    expect(tm.message).toBe('TaskManager memory must be at least 982Mi for these settings.');
    expect(tm.detail).toMatch(/^TaskManager memory configuration failed: Sum of configured JVM Metaspace/);
    // The named minimum works and one MiB less does not.
    expect(issuesOf({ ...base, taskManager: { memory: '982Mi' } })).toEqual([]);
    expect(issueAt({ ...base, taskManager: { memory: '981Mi' } }, 'taskManager.memory').message).toBe('TaskManager memory must be at least 982Mi for these settings.');
    expect(issuesOf({ ...base, jobManager: { memory: '577Mi' } })).toEqual([]);
    expect(issueAt({ ...base, jobManager: { memory: '576Mi' } }, 'jobManager.memory').message).toBe('JobManager memory must be at least 577Mi for these settings.');
    // Flink habits: 1728m is 1.728 bytes as a Kubernetes quantity.
    expect(issueAt({ ...base, taskManager: { memory: '1728m' } }, 'taskManager.memory').message).toBe(
      'TaskManager memory must be at least 982Mi for these settings (1728m means 1728 thousandths of a byte here; did you mean 1728Mi?).',
    );
    expect(issueAt({ ...base, flinkConfig: [{ key: 'taskmanager.memory.process.size', value: '700m' }] }, 'taskManager.memory').message).toBe(
      'TaskManager memory must be at least 982Mi for these settings (taskmanager.memory.process.size in the Flink configuration sets 700m).',
    );
  });
  it('refuses limit factors below 1 and zero cpu', () => {
    expectIssue({ ...base, jobManager: { cpuLimitFactor: 0.5 } }, 'jobManager.cpuLimitFactor', /greater than or equal to 1/);
    expectIssue({ ...base, taskManager: { cpu: '0' } }, 'taskManager.cpu', 'must be greater than 0');
  });
  it('refuses standby JobManagers without HA', () => {
    expectIssue({ ...base, jobManager: { replicas: 2 } }, 'jobManager.replicas', /High availability should be enabled/);
    expectIssue({ ...base, jobManager: { replicas: 0 } }, 'jobManager.replicas', "'kubernetes.jobmanager.replicas' should not be configured less than 1.");
    expectIssue({ ...base, ha: { enabled: true } }, 'ha.storageDir', /high-availability\.storageDir/);
  });
});

describe('clusterSpecSchema tolerations', () => {
  const tm = (toleration: object) => ({ ...base, taskManager: { tolerations: [toleration] } });
  it('refuses a value with Exists', () => {
    expectIssue(tm({ key: 'k', operator: 'Exists', value: 'v' }), 'taskManager.tolerations.0.value', "value must be empty when `operator` is 'Exists'");
  });
  it('refuses tolerationSeconds without NoExecute', () => {
    expectIssue(
      tm({ key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule', tolerationSeconds: 10 }),
      'taskManager.tolerations.0.effect',
      "effect must be 'NoExecute' when `tolerationSeconds` is set",
    );
  });
  it('refuses unknown effects and operators', () => {
    expectIssue(tm({ key: 'k', effect: 'Never' }), 'taskManager.tolerations.0.effect', 'Unsupported value: "Never": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"');
    expectIssue(tm({ key: 'k', operator: 'In' }), 'taskManager.tolerations.0.operator', 'Unsupported value: "In": supported values: "Equal", "Exists"');
  });
  it('refuses an empty key unless the operator is Exists', () => {
    expectIssue(tm({ operator: 'Equal', value: 'x' }), 'taskManager.tolerations.0.operator', /operator must be Exists when `key` is empty/);
    expect(issuesOf(tm({ operator: 'Exists' }))).toEqual([]);
  });
});

describe('clusterSpecSchema free Flink configuration', () => {
  const cfg = (key: string, value: string, extra: object = {}) => ({ ...base, ...extra, flinkConfig: [{ key, value }] });
  it('refuses line breaks in keys and values', () => {
    expectIssue(cfg('state.backend.type', 'rocksdb\nrest.port: 1'), 'flinkConfig.0.value', /line breaks/);
    expectIssue(cfg('a\nb', 'x'), 'flinkConfig.0.key', /Flink option key/);
  });
  it("refuses keys with ': ', '#', or surrounding spaces", () => {
    expectIssue(cfg('a: b', 'x'), 'flinkConfig.0.key', /Flink option key/);
    expectIssue(cfg('a#b', 'x'), 'flinkConfig.0.key', /Flink option key/);
    expectIssue(cfg(' state.backend', 'x'), 'flinkConfig.0.key', /spaces/);
  });
  it("refuses '#' in values only for flink-conf.yaml", () => {
    expect(issuesOf(cfg('pipeline.name', 'job #1'))).toEqual([]);
    expectIssue(cfg('pipeline.name', 'job #1', { flinkVersion: '1.19', configFileFormat: 'flink-conf.yaml' }), 'flinkConfig.0.value', /comment/);
  });
  it('refuses overlapping key prefixes in config.yaml', () => {
    expectIssue(
      { ...base, flinkConfig: [{ key: 'state.backend', value: 'rocksdb' }, { key: 'state.backend.incremental', value: 'true' }] },
      'flinkConfig.1.key',
      /Overlapping key prefixes/,
    );
  });
  it('refuses keys the form owns', () => {
    expectIssue(cfg('kubernetes.cluster-id', 'other'), 'flinkConfig.0.key', /set by the form/);
  });
  it('allows flink-conf.yaml only on 1.19 and 1.20', () => {
    expect(issuesOf({ ...base, flinkVersion: '1.20', configFileFormat: 'flink-conf.yaml' })).toEqual([]);
    expectIssue({ ...base, flinkVersion: '2.0', configFileFormat: 'flink-conf.yaml' }, 'configFileFormat', /only read by Flink 1\.19 and 1\.20/);
  });
});

describe('clusterSpecSchema env, labels, annotations and node selectors', () => {
  it('refuses duplicate env names', () => {
    expectIssue({ ...base, jobManager: { env: [{ name: 'A', value: '1' }, { name: 'A', value: '2' }] } }, 'jobManager.env.1.name', 'Duplicate env name "A"');
    expectIssue(
      { ...base, secretsAsEnv: [{ envName: 'P', secretName: 's', key: 'k' }, { envName: 'P', secretName: 't', key: 'k' }] },
      'secretsAsEnv.1.envName',
      'Duplicate env name "P"',
    );
    expectIssue({ ...base, taskManager: { env: [{ name: '1BAD', value: 'x' }] } }, 'taskManager.env.0.name', /environment variable name/);
  });
  it('refuses invalid label keys and values', () => {
    expectIssue({ ...base, jobManager: { labels: { 'bad key': 'x' } } }, 'jobManager.labels.bad key', /name part must consist/);
    expectIssue({ ...base, jobManager: { labels: { team: 'a,b' } } }, 'jobManager.labels.team', /a valid label must be an empty string/);
    expectIssue({ ...base, jobManager: { labels: { 'Example.com/x': 'y' } } }, 'jobManager.labels.Example.com/x', /prefix part/);
  });
  it('refuses invalid node-selector keys', () => {
    expectIssue({ ...base, taskManager: { nodeSelector: { '-zone': 'a' } } }, 'taskManager.nodeSelector.-zone', /name part must consist/);
  });
  it('refuses annotation values Flink cannot carry', () => {
    expectIssue({ ...base, jobManager: { annotations: { note: 'a: b' } } }, 'jobManager.annotations.note', /must not contain ': '/);
    expectIssue({ ...base, jobManager: { annotations: { note: 'x\ny' } } }, 'jobManager.annotations.note', /line breaks/);
    expect(issuesOf({ ...base, jobManager: { annotations: { 'prometheus.io/scrape': 'true', desc: 'a,b:c' } } })).toEqual([]);
  });
});

describe('clusterSpecSchema application mode', () => {
  it('needs a jar', () => {
    expectIssue({ ...base, mode: 'application' }, 'application', /needs a jar/);
  });
  it('accepts local, https, http and s3 URIs', () => {
    for (const jarUri of ['local:///opt/flink/usrlib/a.jar', 'https://x/a.jar', 'http://x/a.jar', 's3://b/a.jar']) {
      expect(issuesOf({ ...base, mode: 'application', application: { jarUri } })).toEqual([]);
    }
  });
  it('refuses relative local paths and unknown schemes', () => {
    expectIssue({ ...base, mode: 'application', application: { jarUri: 'local://a.jar' } }, 'application.jarUri', /absolute path/);
    expectIssue({ ...base, mode: 'application', application: { jarUri: 'ftp://x/a.jar' } }, 'application.jarUri', /^Use a local:\/\/, http:\/\/, https:\/\/, s3:\/\/, s3a:\/\/ or s3p:\/\/ URI\.$/);
    expectIssue({ ...base, mode: 'application', application: { jarUri: 'a.jar' } }, 'application.jarUri', /^Type a URI such as local:/);
    expectIssue({ ...base, mode: 'application', application: { jarUri: '' } }, 'application.jarUri', /^Enter the jar URI/);
  });
  it('refuses a non-positive parallelism and a bad entry class', () => {
    expectIssue({ ...base, mode: 'application', application: { jarUri: 'local:///a.jar', parallelism: 0 } }, 'application.parallelism', /positive/);
    expectIssue({ ...base, mode: 'application', application: { jarUri: 'local:///a.jar', entryClass: 'a b' } }, 'application.entryClass', /class name such as com\.example\.Job/);
  });
  it('refuses pod templates that are not YAML mappings', () => {
    expectIssue({ ...base, taskManager: { podTemplate: '- a\n- b' } }, 'taskManager.podTemplate', /invalid pod template/);
  });
});
