'use client';

import { useQuery } from '@tanstack/react-query';
import { DeleteClusterButton } from '@/components/cluster-delete/delete-cluster-button';
import { deletionProgress } from '@/components/cluster-delete/deletion-progress';
import { LeaderCard } from '@/components/ha/leader-card';
import type { ClusterObject } from '@/lib/flink/cluster-detail-objects';
import { deriveClusterStatus } from '@/lib/flink/cluster-status';
import { useWatchStream } from '@/lib/live/use-watch-stream';
import { clusterDetailQueries, type ClusterRef } from '@/lib/queries/cluster-detail-queries';
import { ClusterDetailView } from './cluster-detail-view';
import type { FlinkRestResult } from './flink-rest-card';

/** The live cluster page: one read, then one SSE stream; Flink REST re-read while the JobManager runs. */
export function ClusterDetail({ clusterRef, backHref }: { clusterRef: ClusterRef; backHref: string }) {
  const options = clusterDetailQueries.objects(clusterRef);
  const query = useQuery(options);
  const live = useWatchStream<ClusterObject>(clusterDetailQueries.watchUrl(clusterRef), options.queryKey, query.isSuccess);
  const jmRunning = query.data ? deriveClusterStatus(query.data).jobManager?.phase === 'Running' : false;
  const flinkQuery = useQuery({ ...clusterDetailQueries.flink(clusterRef), enabled: jmRunning });

  const flink: FlinkRestResult = !jmRunning
    ? { status: 'idle' }
    : flinkQuery.status === 'success'
      ? { status: 'success', data: flinkQuery.data }
      : flinkQuery.status === 'error'
        ? { status: 'error', message: flinkQuery.error.message }
        : { status: 'pending' };
  const result =
    query.status === 'success'
      ? ({ status: 'success', objects: query.data } as const)
      : query.status === 'error'
        ? ({ status: 'error', message: query.error.message } as const)
        : ({ status: 'pending' } as const);
  return (
    <ClusterDetailView
      namespace={clusterRef.namespace}
      clusterId={clusterRef.clusterId}
      backHref={backHref}
      result={result}
      live={live}
      flink={flink}
      onRetry={() => void query.refetch()}
      actions={<DeleteClusterButton {...clusterRef} {...deletionProgress(query.data ?? [])} />}
      leaderCard={query.data && <LeaderCard clusterRef={clusterRef} objects={query.data} />}
    />
  );
}
