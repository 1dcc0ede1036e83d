// What the cluster page streams for an HA ConfigMap: its record, never the raw object (the store
// values are Java-serialised blobs no view reads). PURE.
import type { DeploymentDto, ServiceDto } from '../cluster-detail-objects';
import { readHaConfigMap, type HaConfigMapRecord } from './read-ha-config-map';

export type HaConfigMapDto = HaConfigMapRecord & { kind: 'HaConfigMap'; key: string; resourceVersion: string };

type Raw = Record<string, unknown>;
function obj(v: unknown): Raw {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {};
}

/** The DTO of one of `clusterId`'s HA ConfigMaps; undefined for any other ConfigMap. */
export function toHaConfigMapDto(raw: unknown, clusterId: string): HaConfigMapDto | undefined {
  const record = readHaConfigMap(raw, clusterId);
  if (!record) return undefined;
  const meta = obj(obj(raw).metadata);
  const rv = typeof meta.resourceVersion === 'string' ? meta.resourceVersion : '';
  return { kind: 'HaConfigMap', key: `HaConfigMap/${typeof meta.namespace === 'string' ? meta.namespace : ''}/${record.name}`, resourceVersion: rv, ...record };
}

/**
 * Whether the cluster runs with Kubernetes HA, from what Flink's client created: it makes the
 * internal Service `<cid>` only when HA is off (InternalServiceDecorator), and allows more than one
 * JobManager replica only with HA. Undefined while neither Service is known yet.
 */
export function isHaEnabled(clusterId: string, deployment: DeploymentDto | undefined, services: readonly ServiceDto[]): boolean | undefined {
  if (deployment && deployment.replicas > 1) return true;
  if (services.some((s) => s.name === clusterId)) return false;
  if (services.some((s) => s.name === `${clusterId}-rest`)) return true;
  return undefined;
}
