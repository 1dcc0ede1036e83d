// Everything the client creates for a spec, in Fabric8FlinkKubeClient.createJobManagerComponent
// order: the Deployment first, then its accompanying resources in decorator order
// (InternalServiceDecorator, ExternalServiceDecorator, FlinkConfMountDecorator,
// PodTemplateMountDecorator). Create the Deployment, take its uid, then create the dependents
// through withOwnerReference.
import type { V1ConfigMap, V1Deployment, V1Service } from '@kubernetes/client-node';
import { buildFlinkConfigMapFromParameters } from './build-flink-config-map';
import { buildInternalServiceFromParameters } from './build-internal-service';
import { buildJobManagerDeploymentFromParameters } from './build-job-manager-deployment';
import { buildPodTemplateConfigMapFromParameters } from './build-pod-template-config-map';
import { buildRestServiceFromParameters } from './build-rest-service';
import { buildJobManagerParameters } from './cluster-parameters';
import type { ClusterSpec } from './cluster-spec-schema';

export type ClusterDependent = V1Service | V1ConfigMap;

export interface ClusterObjects {
  deployment: V1Deployment;
  dependents: ClusterDependent[];
}

export function buildClusterObjects(spec: ClusterSpec): ClusterObjects {
  const p = buildJobManagerParameters(spec);
  const dependents: ClusterDependent[] = [];
  const internal = buildInternalServiceFromParameters(p);
  if (internal) dependents.push(internal);
  dependents.push(buildRestServiceFromParameters(p));
  dependents.push(buildFlinkConfigMapFromParameters(p));
  const podTemplate = buildPodTemplateConfigMapFromParameters(p);
  if (podTemplate) dependents.push(podTemplate);
  return { deployment: buildJobManagerDeploymentFromParameters(p), dependents };
}
