// Headless Service <id> for TaskManagers to reach the JobManager without HA
// (InternalServiceDecorator + HeadlessClusterIPService.buildUpInternalService). Created only when
// high availability is off; no type is set (the API server defaults it to ClusterIP).
import type { V1Service } from '@kubernetes/client-node';
import { buildJobManagerParameters, type JobManagerParameters } from './cluster-parameters';
import type { ClusterSpec } from './cluster-spec-schema';

export function buildInternalServiceFromParameters(p: JobManagerParameters): V1Service | undefined {
  if (p.highAvailability) return undefined;
  const service: V1Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: p.clusterId, namespace: p.namespace, labels: p.commonLabels },
    spec: {
      clusterIP: 'None',
      selector: p.selectors,
      ports: [
        { name: 'jobmanager-rpc', port: p.rpcPort },
        { name: 'blobserver', port: p.blobServerPort },
      ],
    },
  };
  if (Object.keys(p.internalServiceAnnotations).length > 0) {
    (service.metadata as NonNullable<V1Service['metadata']>).annotations = p.internalServiceAnnotations;
  }
  return service;
}

export function buildInternalService(spec: ClusterSpec): V1Service | undefined {
  return buildInternalServiceFromParameters(buildJobManagerParameters(spec));
}
