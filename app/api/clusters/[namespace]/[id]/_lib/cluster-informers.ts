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
    { spec: { conn, kind: eventsKind, namespace }, toDto: toEventDto, accept: (o) => isClusterEvent(o, clusterId) },
  ];
}
