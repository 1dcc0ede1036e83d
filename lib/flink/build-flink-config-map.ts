// ConfigMap flink-config-<id> (FlinkConfMountDecorator.buildAccompanyingKubernetesResources):
// the distribution's console logging files, copied verbatim, plus the cluster-side config file.
import type { V1ConfigMap } from '@kubernetes/client-node';
import { buildJobManagerParameters, type JobManagerParameters } from './cluster-parameters';
import type { ClusterSpec } from './cluster-spec-schema';
import { CONFIG_FILE_LOG4J_NAME, CONFIG_FILE_LOGBACK_NAME } from './build-job-manager-deployment';
import { renderConfigFile } from './flink-config';
import { getDistConf } from './flink-versions';

export function buildFlinkConfigMapFromParameters(p: JobManagerParameters): V1ConfigMap {
  const dist = getDistConf(p.spec.flinkVersion);
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `flink-config-${p.clusterId}`, namespace: p.namespace, labels: p.commonLabels },
    data: {
      [CONFIG_FILE_LOGBACK_NAME]: dist.logbackConsole,
      [CONFIG_FILE_LOG4J_NAME]: dist.log4jConsole,
      [p.configFileName]: renderConfigFile(p.config, p.configFileName, p.spec.flinkVersion),
    },
  };
}

export function buildFlinkConfigMap(spec: ClusterSpec): V1ConfigMap {
  return buildFlinkConfigMapFromParameters(buildJobManagerParameters(spec));
}
