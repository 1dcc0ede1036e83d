// Which ConfigMaps of a namespace could hold a Hadoop configuration for
// kubernetes.hadoop.conf.config-map.name (mounted as HADOOP_CONF_DIR). Pure: the route lists.
import { LABEL_TYPE_NATIVE_TYPE } from '@/lib/flink/labels';
import { MANAGED_BY, MANAGED_BY_LABEL, PRESET_LABEL } from './preset-schema';

export type ConfigMapKeys = { name: string; labels: Readonly<Record<string, string>>; keys: string[] };

/** Every namespace gets these from Kubernetes (root CA) or OpenShift (service CA). */
const INJECTED = new Set(['kube-root-ca.crt', 'openshift-service-ca.crt']);
const HADOOP_FILES = new Set(['core-site.xml', 'hdfs-site.xml']);

/**
 * Not a Hadoop configuration: the CA bundles Kubernetes puts in every namespace; Flink's own
 * ConfigMaps (`flink-config-<id>`, `pod-template-<id>`, `hadoop-config-<id>`, HA ConfigMaps: all
 * labelled type=flink-native-kubernetes, HA ones on 1.x also configmap-type=high-availability);
 * and this dashboard's presets.
 */
export function isHadoopConfCandidate(cm: ConfigMapKeys): boolean {
  if (INJECTED.has(cm.name)) return false;
  if (cm.name.startsWith('flink-config-') || cm.name.startsWith('pod-template-')) return false;
  if (cm.labels.type === LABEL_TYPE_NATIVE_TYPE || cm.labels['configmap-type'] === 'high-availability') return false;
  if (cm.labels[PRESET_LABEL] !== undefined || cm.labels[MANAGED_BY_LABEL] === MANAGED_BY) return false;
  return true;
}

/** The candidates, those with core-site.xml or hdfs-site.xml first, each group by name. */
export function hadoopConfCandidates<T extends ConfigMapKeys>(items: readonly T[]): T[] {
  const hasHadoopFile = (cm: T) => cm.keys.some((k) => HADOOP_FILES.has(k));
  return items
    .filter(isHadoopConfCandidate)
    .sort((a, b) => Number(hasHadoopFile(b)) - Number(hasHadoopFile(a)) || a.name.localeCompare(b.name));
}
