import { describe, expect, it } from 'vitest';
import { clusterSpecSchema } from '@/lib/flink/cluster-spec-schema';
import { changedFields, countFields, createDefaultDraft, fromPresetSpec, issuesAt, toSpecInput, visibleIssues } from './form-draft';

describe('form draft', () => {
  it('defaults need only a cluster id to be a valid spec', () => {
    const draft = { ...createDefaultDraft('team-a'), clusterId: 'orders' };
    const parsed = clusterSpecSchema.parse(toSpecInput(draft));
    expect(parsed).toMatchObject({ clusterId: 'orders', namespace: 'team-a', mode: 'session', flinkVersion: '1.20', application: undefined });
  });

  it('turns rows into maps and text into numbers, dropping empty rows', () => {
    const base = createDefaultDraft('default');
    const draft = {
      ...base,
      clusterId: 'pinned',
      jobManager: {
        ...base.jobManager,
        cpuLimitFactor: '2',
        nodeSelector: [{ key: 'pool', value: 'flink' }, { key: '', value: '' }],
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'flink', effect: 'NoSchedule', tolerationSeconds: '' }],
      },
    };
    const spec = clusterSpecSchema.parse(toSpecInput(draft));
    expect(spec.jobManager.nodeSelector).toEqual({ pool: 'flink' });
    expect(spec.jobManager.cpuLimitFactor).toBe(2);
    expect(spec.jobManager.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'flink', effect: 'NoSchedule' }]);
  });

  it('a number that is not one is reported on its field', () => {
    const base = createDefaultDraft('default');
    const result = clusterSpecSchema.safeParse(toSpecInput({ ...base, clusterId: 'x', taskManager: { ...base.taskManager, slots: 'two' } }));
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    expect(issuesAt(issues, 'taskManager.slots')).toHaveLength(1);
    expect(issuesAt(issues, 'taskManager')).toHaveLength(1);
    expect(issuesAt(issues, 'jobManager')).toHaveLength(0);
  });

  it('application mode sends the application, args one per line', () => {
    const base = createDefaultDraft('default');
    const draft = {
      ...base,
      mode: 'application' as const,
      clusterId: 'app',
      application: { ...base.application, jarUri: 'local:///opt/flink/examples/streaming/StateMachineExample.jar', args: '--a\n1\n\n', parallelism: '2' },
    };
    const spec = clusterSpecSchema.parse(toSpecInput(draft));
    expect(spec.application).toMatchObject({ args: ['--a', '1'], parallelism: 2 });
  });

  it('a preset loads back into the same spec, keeping the id and namespace', () => {
    const base = createDefaultDraft('default');
    const draft = {
      ...base,
      clusterId: 'one',
      image: 'flink:2.0',
      flinkVersion: '2.0' as const,
      taskManager: { ...base.taskManager, slots: '4', labels: [{ key: 'team', value: 'data' }], env: [{ key: 'TZ', value: 'UTC' }] },
      ha: { ...base.ha, enabled: true, storageDir: 's3://b/ha' },
    };
    const { clusterId: _omit, ...preset } = clusterSpecSchema.parse(toSpecInput(draft));
    void _omit;
    const loaded = fromPresetSpec(preset, { clusterId: 'two', namespace: 'other' });
    expect(loaded.clusterId).toBe('two');
    expect(loaded.namespace).toBe('other');
    expect(clusterSpecSchema.parse(toSpecInput(loaded))).toEqual({ ...clusterSpecSchema.parse(toSpecInput(draft)), clusterId: 'two', namespace: 'other' });
  });
});

describe('which issues show', () => {
  const base = createDefaultDraft('default');
  const jar = { path: 'application.jarUri', message: 'Enter the jar URI of the job.' };
  const taken = { path: 'clusterId', message: 'A cluster named demo already exists in namespace ns: Deployment demo and Service demo-rest.' };

  it('names the fields an edit changed, per field inside the pod, application and HA sections', () => {
    expect(changedFields(base, { ...base, mode: 'application' })).toEqual(['mode']);
    expect(changedFields(base, { ...base, clusterId: 'x' })).toEqual(['clusterId']);
    expect(changedFields(base, { ...base, application: { ...base.application, jarUri: 'l' } })).toEqual(['application.jarUri']);
    expect(changedFields(base, { ...base, jobManager: { ...base.jobManager, env: [{ key: 'A', value: '' }] } })).toEqual(['jobManager.env']);
    expect(changedFields(base, { ...base, flinkConfig: [{ key: 'a', value: 'b' }] })).toEqual(['flinkConfig']);
  });

  it('shows nothing untouched before a submit, everything after, and each message once', () => {
    expect(visibleIssues([jar], new Set(['mode', 'clusterId']), false)).toEqual([]);
    expect(visibleIssues([jar], new Set(['application.jarUri']), false)).toEqual([jar]);
    expect(visibleIssues([jar, taken, { ...taken }], new Set(), true)).toEqual([jar, taken]);
    expect(visibleIssues([{ path: 'jobManager.env.1.name', message: 'm' }], new Set(['jobManager.env']), false)).toHaveLength(1);
  });

  it('counts fields, not messages', () => {
    expect(countFields([taken, { path: 'clusterId', message: 'other' }])).toBe(1);
    expect(countFields([taken, jar])).toBe(2);
  });
});
