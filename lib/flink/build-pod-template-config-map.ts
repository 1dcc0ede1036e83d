// ConfigMap pod-template-<id> (PodTemplateMountDecorator.buildAccompanyingKubernetesResources):
// the TaskManager pod template file, verbatim. The JobManager reads it from
// /opt/flink/pod-template/taskmanager-pod-template.yaml when it creates TaskManager pods.
import type { V1ConfigMap } from '@kubernetes/client-node';
import { buildJobManagerParameters, type JobManagerParameters } from './cluster-parameters';
import type { ClusterSpec } from './cluster-spec-schema';
import { TASK_MANAGER_POD_TEMPLATE_FILE_NAME } from './build-job-manager-deployment';

export function buildPodTemplateConfigMapFromParameters(p: JobManagerParameters): V1ConfigMap | undefined {
  const template = p.spec.taskManager.podTemplate;
  if (template === undefined) return undefined;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `pod-template-${p.clusterId}`, namespace: p.namespace, labels: p.commonLabels },
    data: { [TASK_MANAGER_POD_TEMPLATE_FILE_NAME]: template },
  };
}

export function buildPodTemplateConfigMap(spec: ClusterSpec): V1ConfigMap | undefined {
  return buildPodTemplateConfigMapFromParameters(buildJobManagerParameters(spec));
}
