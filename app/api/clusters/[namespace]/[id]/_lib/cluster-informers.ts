import 'server-only';
import { FLINK_NATIVE_TYPE } from '@/lib/flink/cluster-summary';
import {
  isClusterEvent,
  toConfigMapDto,
  toDeploymentDto,
  toEventDto,
  toPodDto,
  toReplicaSetDto,
  toServiceDto,
  type ClusterObject,
} from '@/lib/flink/cluster-detail-objects';
import { toHaConfigMapDto } from '@/lib/flink/ha/ha-config-map-dto';
import { haConfigMapRole } from '@/lib/flink/ha/read-ha-config-map';
import type { InformerSpec, KubeObject } from '@/lib/k8s/informer';
import type { Connection } from '@/lib/k8s/kubeconfig';
import { configMapsKind, deploymentsKind, eventsKind, podsKind, servicesKind, type ResourceKind } from '@/lib/k8s/resource-kinds';

const replicaSetsKind: ResourceKind = { group: 'apps', version: 'v1', plural: 'replicasets' };

/** One watched source of the cluster page: an informer, its DTO and (for events) a filter. */
export type ClusterSource = {
  spec: InformerSpec;
  toDto: (object: KubeObject) => ClusterObject;
  accept: (object: KubeObject) => boolean;
};

/**
 * Everything Flink creates for a cluster carries app=<id>,type=flink-native-kubernetes
 * (KubernetesUtils.getCommonLabels): the Deployment, its ReplicaSets and pods, TaskManager pods,
 * ConfigMaps and Services. Events carry no labels, so they are one namespace informer, filtered.
 */
export function toClusterSources(conn: Connection, namespace: string, clusterId: string): ClusterSource[] {
  const labelSelector = `app=${clusterId},type=${FLINK_NATIVE_TYPE}`;
  const labelled = (kind: ResourceKind, toDto: (o: KubeObject) => ClusterObject): ClusterSource => ({
    spec: { conn, kind, namespace, labelSelector },
    toDto,
    accept: () => true,
  });
  return [
    labelled(deploymentsKind, toDeploymentDto),
    labelled(replicaSetsKind, toReplicaSetDto),
    labelled(podsKind, toPodDto),
    labelled(configMapsKind, toConfigMapDto),
    labelled(servicesKind, toServiceDto),
    // The HA ConfigMaps (<id>-cluster-config-map, <id>-<jobId>-config-map) carry the same labels;
    // this source shares the ConfigMap informer and streams them read (lib/flink/ha) as well.
    {
      spec: { conn, kind: configMapsKind, namespace, labelSelector },
      toDto: (o) => toHaConfigMapDto(o, clusterId) as ClusterObject,
      accept: (o) => haConfigMapRole(o.metadata?.name ?? '', clusterId) !== undefined,
    },
    { spec: { conn, kind: eventsKind, namespace }, toDto: toEventDto, accept: (o) => isClusterEvent(o, clusterId) },
  ];
}
