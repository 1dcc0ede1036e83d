import { describe, expect, it, vi } from 'vitest';
import { buildJobManagerParameters } from '@/lib/flink/cluster-parameters';
import { clusterSpecSchema } from '@/lib/flink/cluster-spec-schema';
import { collectReferences } from './collect-references';
import { presetSpecSchema, savePresetRequestSchema } from './preset-schema';
import { countRoundTrips } from './testing/recording-proxy';

vi.mock('server-only', () => ({}));
const { isHaConfigMapName } = await import('./find-ha-leftovers');

describe('isHaConfigMapName', () => {
  it('takes the cluster and per-job HA ConfigMaps of the id, not its config or another id', () => {
    expect(isHaConfigMapName('c', 'c-cluster-config-map')).toBe(true);
    expect(isHaConfigMapName('c', 'c-00000000000000000000000000000000-config-map')).toBe(true);
    expect(isHaConfigMapName('c', 'flink-config-c')).toBe(false);
    expect(isHaConfigMapName('c', 'pod-template-c')).toBe(false);
    expect(isHaConfigMapName('c', 'cc-cluster-config-map')).toBe(false);
  });
});

describe('collectReferences', () => {
  it('names every Secret and ConfigMap with the form field that refers to it', () => {
    const spec = clusterSpecSchema.parse({
      clusterId: 'refs',
      imagePullSecrets: ['pull'],
      secretsAsFiles: [{ secretName: 'files', mountPath: '/opt/s' }],
      secretsAsEnv: [{ envName: 'K', secretName: 'env', key: 'k' }],
      flinkConfig: [{ key: 'kubernetes.hadoop.conf.config-map.name', value: 'hadoop' }],
      taskManager: {
        podTemplate: 'spec:\n  volumes:\n    - name: extra\n      configMap:\n        name: extra-cm\n    - name: s\n      secret:\n        secretName: files\n',
      },
    });
    expect(collectReferences(buildJobManagerParameters(spec)).map((r) => `${r.kind}/${r.name}@${r.field}`)).toEqual([
      'Secret/pull@imagePullSecrets.0',
      'Secret/files@secretsAsFiles.0.secretName',
      'Secret/env@secretsAsEnv.0.secretName',
      'ConfigMap/hadoop@flinkConfig.0.value',
      'ConfigMap/extra-cm@taskManager.podTemplate',
    ]);
  });
});

describe('presets', () => {
  it('drop the cluster id, fill defaults and put issues under spec', () => {
    const parsed = presetSpecSchema.parse({ clusterId: 'x', taskManager: { slots: 3 } });
    expect(parsed).not.toHaveProperty('clusterId');
    expect(parsed.taskManager.slots).toBe(3);
    expect(parsed.jobManager.memory).toBe('1600Mi');
    const bad = savePresetRequestSchema.safeParse({ namespace: 'ns', name: 'Bad Name', spec: { taskManager: { slots: 0 } } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toEqual(['name', 'spec.taskManager.slots']);
  });
});

describe('countRoundTrips', () => {
  it('counts groups of overlapping requests', () => {
    const r = (start: number, end: number) => ({ method: 'GET', path: '/', query: '', start, end });
    expect(countRoundTrips([])).toBe(0);
    expect(countRoundTrips([r(0, 50), r(1, 60), r(2, 55)])).toBe(1);
    expect(countRoundTrips([r(0, 50), r(1, 60), r(61, 110), r(111, 160), r(112, 170)])).toBe(3);
  });
});
