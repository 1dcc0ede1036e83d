// Service <id>-rest (ExternalServiceDecorator -> ServiceType.buildUpExternalRestService; the
// Headless_ClusterIP type is a ClusterIP Service with clusterIP: None).
import type { V1Service } from '@kubernetes/client-node';
import { buildJobManagerParameters, type JobManagerParameters } from './cluster-parameters';
import type { ClusterSpec } from './cluster-spec-schema';

export function buildRestServiceFromParameters(p: JobManagerParameters): V1Service {
  const headless = p.restExposedType === 'Headless_ClusterIP';
  const service: V1Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `${p.clusterId}-rest`, namespace: p.namespace, labels: p.commonLabels },
    spec: {
      type: headless ? 'ClusterIP' : p.restExposedType,
      selector: p.selectors,
      ports: [{ name: 'rest', port: p.restPort, targetPort: p.restBindPort }],
    },
  };
  if (Object.keys(p.restServiceAnnotations).length > 0) {
    (service.metadata as NonNullable<V1Service['metadata']>).annotations = p.restServiceAnnotations;
  }
  if (headless) (service.spec as NonNullable<V1Service['spec']>).clusterIP = 'None';
  return service;
}

export function buildRestService(spec: ClusterSpec): V1Service {
  return buildRestServiceFromParameters(buildJobManagerParameters(spec));
}
