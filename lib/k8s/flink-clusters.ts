import 'server-only';
import { jobManagerSelector, toClusterSummary, type ClusterSummary } from '@/lib/flink/cluster-summary';
import type { Scope } from '@/lib/api/scope';
import type { InformerSpec } from './informer';
import { withSyncedInformer } from './informer-registry';
import { getConnection } from './kubeconfig';
import { deploymentsKind } from './resource-kinds';

/** The informer of every JobManager Deployment (type=flink-native-kubernetes,component=jobmanager) in scope. */
export function toClusterInformerSpec(scope: Scope): InformerSpec {
  return {
    conn: getConnection(scope.context),
    kind: deploymentsKind,
    namespace: scope.namespace,
    labelSelector: jobManagerSelector,
  };
}

function compareClusters(a: ClusterSummary, b: ClusterSummary): number {
  return a.namespace.localeCompare(b.namespace) || a.clusterId.localeCompare(b.clusterId);
}

/** The cluster list, read from the shared informer's cache (one list+watch, however many callers). */
export async function listClusterSummaries(scope: Scope): Promise<ClusterSummary[]> {
  return withSyncedInformer(toClusterInformerSpec(scope), (informer) =>
    informer.list().map(toClusterSummary).sort(compareClusters),
  );
}
