'use client';

import type { ClusterObject } from '@/lib/flink/cluster-detail-objects';
import { usePermission } from '@/lib/queries/permission-queries';
import { FailoverButton } from './failover-button';
import type { FailoverRef } from './failover-queries';
import { LeaderCardView } from './leader-card-view';
import { leadershipFromObjects } from './leadership-from-objects';
import { useTickingNow } from './use-ticking-now';

/** The live leader card: the streamed HA ConfigMaps and pods, a ticking clock, and Test failover (its recovery: the failover timeline). */
export function LeaderCard({ clusterRef, objects }: { clusterRef: FailoverRef; objects: readonly ClusterObject[] }) {
  const now = useTickingNow();
  const leadership = leadershipFromObjects(objects, clusterRef.clusterId, now);
  const leaderPod = leadership?.ha === 'on' && leadership.leading ? leadership.leaderPod?.name : undefined;
  const newClusterHref = `/clusters/new?${new URLSearchParams({ context: clusterRef.context, namespace: clusterRef.namespace })}`;
  // Turning HA on means creating the cluster again: the create form is no way for a user who may not.
  const createPermission = usePermission({ context: clusterRef.context || undefined, namespace: clusterRef.namespace }, 'createCluster');
  return (
    <LeaderCardView
      leadership={leadership}
      now={now}
      newClusterHref={newClusterHref}
      createPermission={createPermission}
      action={<FailoverButton failoverRef={clusterRef} leaderPod={leaderPod} />}
    />
  );
}
