import { describe, expect, it } from 'vitest';
import { hadoopConfCandidates } from './hadoop-conf-candidates';

const cm = (name: string, keys: string[] = [], labels: Record<string, string> = {}) => ({ name, keys, labels });

describe('hadoopConfCandidates', () => {
  it("drops the CA bundles, Flink's own ConfigMaps and the dashboard's presets", () => {
    const names = hadoopConfCandidates([
      cm('kube-root-ca.crt', ['ca.crt']),
      cm('flink-config-demo', ['config.yaml', 'log4j-console.properties'], { app: 'demo', type: 'flink-native-kubernetes' }),
      cm('flink-config-orphan', ['config.yaml']),
      cm('pod-template-demo', ['taskmanager-pod-template.yaml'], { app: 'demo', type: 'flink-native-kubernetes' }),
      cm('hadoop-config-demo', ['core-site.xml'], { app: 'demo', type: 'flink-native-kubernetes' }),
      cm('demo-cluster-config-map', [], { app: 'demo', type: 'flink-native-kubernetes', 'configmap-type': 'high-availability' }),
      cm('old-cluster-config-map', [], { 'configmap-type': 'high-availability' }),
      cm('flink-dashboard-preset-small', ['spec.json'], { 'app.kubernetes.io/managed-by': 'flink-native-dashboard', 'flink-native-dashboard/preset': 'true' }),
      cm('app-settings', ['settings.properties']),
      cm('hadoop-conf', ['core-site.xml', 'hdfs-site.xml']),
    ]).map((c) => c.name);
    expect(names).toEqual(['hadoop-conf', 'app-settings']);
  });
  it('puts ConfigMaps with core-site.xml or hdfs-site.xml first, each group by name', () => {
    const names = hadoopConfCandidates([cm('a-other', ['x']), cm('z-hdfs', ['hdfs-site.xml']), cm('b-core', ['core-site.xml']), cm('c-empty')]).map((c) => c.name);
    expect(names).toEqual(['b-core', 'z-hdfs', 'a-other', 'c-empty']);
  });
});
