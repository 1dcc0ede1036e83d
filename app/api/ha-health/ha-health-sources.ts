import 'server-only';
import type { Scope } from '@/lib/api/scope';
import { FLINK_NATIVE_TYPE, jobManagerSelector } from '@/lib/flink/cluster-summary';
import { toHaLockDto, toHaPodDto, type HaHealthItem } from '@/lib/flink/ha/ha-health';
import type { WatchSource } from '@/lib/k8s/watch-response';
import { getConnection } from '@/lib/k8s/kubeconfig';
import { configMapsKind, podsKind } from '@/lib/k8s/resource-kinds';

/**
 * The cluster list's HA column: every cluster's `<id>-cluster-config-map` (Flink labels it
 * app=<id>,type=flink-native-kubernetes) and every JobManager pod in scope, two shared informers.
 */
export function toHaHealthSources(scope: Scope): WatchSource<HaHealthItem>[] {
  const conn = getConnection(scope.context);
  return [
    {
      spec: { conn, kind: configMapsKind, namespace: scope.namespace, labelSelector: `type=${FLINK_NATIVE_TYPE}` },
      toDto: (o) => toHaLockDto(o)!,
      accept: (o) => toHaLockDto(o) !== undefined,
    },
    { spec: { conn, kind: podsKind, namespace: scope.namespace, labelSelector: jobManagerSelector }, toDto: toHaPodDto },
  ];
}
