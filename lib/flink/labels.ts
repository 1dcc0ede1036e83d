// KubernetesUtils.getCommonLabels / getJobManagerSelectors; Constants.LABEL_*.
import { toJavaHashMapOrder } from './java-hash-map';

export const LABEL_TYPE_NATIVE_TYPE = 'flink-native-kubernetes';

export function buildCommonLabels(clusterId: string): Record<string, string> {
  return toJavaHashMapOrder([
    ['type', LABEL_TYPE_NATIVE_TYPE],
    ['app', clusterId],
  ]);
}

export function buildJobManagerSelectors(clusterId: string): Record<string, string> {
  return toJavaHashMapOrder([
    ['type', LABEL_TYPE_NATIVE_TYPE],
    ['app', clusterId],
    ['component', 'jobmanager'],
  ]);
}

/** KubernetesJobManagerParameters.getLabels: user labels overlaid by the selectors. */
export function buildJobManagerLabels(clusterId: string, userLabels: Readonly<Record<string, string>>): Record<string, string> {
  return toJavaHashMapOrder([...Object.entries(userLabels), ...Object.entries(buildJobManagerSelectors(clusterId))]);
}
