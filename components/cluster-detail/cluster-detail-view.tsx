import Link from 'next/link';
import type { ReactNode } from 'react';
import { ClusterJobs } from '@/components/jobs/cluster-jobs';
import { FailoverTimeline } from '@/components/ha/failover-timeline';
import { LiveIndicator } from '@/components/live/live-indicator';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import { JarsSection } from '@/components/jars/jars-section';
import { AuditList } from '@/components/audit/audit-list';
import type { ClusterObject } from '@/lib/flink/cluster-detail-objects';
import { deriveClusterStatus, splitClusterObjects } from '@/lib/flink/cluster-status';
import type { LiveStatus } from '@/lib/live/use-watch-stream';
import { ClusterStatusBadge } from './cluster-status-badge';
import { EventList } from './event-list';
import { FlinkRestCard, type FlinkRestResult } from './flink-rest-card';
import { JobManagerCard } from './job-manager-card';
import { ObjectList } from './object-list';
import { PodTable } from './pod-table';

export type ClusterDetailViewProps = {
  namespace: string;
  clusterId: string;
  backHref: string;
  result: { status: 'pending' } | { status: 'error'; message: string } | { status: 'success'; objects: ClusterObject[] };
  live: LiveStatus;
  flink: FlinkRestResult;
  onRetry?: () => void;
  /** Header actions (the Delete button). */
  actions?: ReactNode;
  /** The live HA leader card (components/ha), rendered by the container. */
  leaderCard?: ReactNode;
};

/** Every state of the cluster page, from props only. */
export function ClusterDetailView({ namespace, clusterId, backHref, result, live, flink, onRetry, actions, leaderCard }: ClusterDetailViewProps) {
  const objects = result.status === 'success' ? result.objects : [];
  const status = deriveClusterStatus(objects);
  const parts = splitClusterObjects(objects);
  return (
    <section aria-labelledby="cluster-heading" className="space-y-5">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0">
          <Link href={backHref} className="text-sm text-slate-500 hover:text-slate-800">
            ← Clusters
          </Link>
          <h1 id="cluster-heading" className="mt-1 flex flex-wrap items-center gap-3 text-xl font-semibold text-slate-900">
            <span className="font-mono">{clusterId}</span>
            {result.status === 'success' && <ClusterStatusBadge phase={status.phase} label={status.label} />}
          </h1>
          <p className="mt-1 text-sm text-slate-500">
            Namespace {namespace}
            {parts.deployment && <> · image <span className="font-mono">{parts.deployment.image}</span></>}
          </p>
        </div>
        <div className="flex flex-wrap items-center justify-end gap-3">
          {result.status === 'success' && actions}
          {result.status === 'success' && <LiveIndicator status={live} />}
        </div>
      </div>

      {result.status === 'pending' && (
        <div className="space-y-2 rounded-xl border border-slate-200 bg-white p-4" aria-busy="true" aria-label="Loading the cluster">
          {[0, 1, 2].map((i) => <Skeleton key={i} className="h-8 w-full" />)}
        </div>
      )}
      {result.status === 'error' && (
        <Alert title="The cluster could not be read" action={onRetry && <Button onClick={onRetry}>Try again</Button>}>
          {result.message}
        </Alert>
      )}
      {result.status === 'success' && live.state === 'reconnecting' && live.message && (
        <Alert tone="warning" title="Reconnecting…">
          {live.message} What you see may be out of date until the connection is back.
        </Alert>
      )}
      {result.status === 'success' && status.phase === 'missing' && (
        <Alert tone="info" title={`There is no cluster ${clusterId} in namespace ${namespace}`}>
          No JobManager Deployment named {clusterId} exists (any more). This page updates by itself if one is created.
        </Alert>
      )}
      {result.status === 'success' && status.problems.length > 0 && (
        <Alert title={status.phase === 'failing' ? 'The cluster is not starting' : 'Problems'}>
          <ul className="space-y-1">
            {status.problems.map((p) => (
              <li key={`${p.reason}/${p.source}`}>
                <span className="font-semibold">{p.reason}</span> <span className="opacity-75">({p.source})</span>
                {p.message && <>: {p.message}</>}
              </li>
            ))}
          </ul>
        </Alert>
      )}

      {result.status === 'success' && status.phase !== 'missing' && (
        <div className="grid grid-cols-1 gap-5 lg:grid-cols-2 [&>*]:min-w-0">
          <JobManagerCard jobManager={status.jobManager} objects={objects} />
          <FlinkRestCard result={flink} />
          {leaderCard && <div className="lg:col-span-2">{leaderCard}</div>}
          {leaderCard && <FailoverTimeline namespace={namespace} clusterId={clusterId} objects={objects} />}
          <div className="lg:col-span-2"><ClusterJobs namespace={namespace} clusterId={clusterId} /></div>
          <div className="lg:col-span-2">
            <PodTable pods={parts.pods} namespace={namespace} clusterId={clusterId} />
          </div>
          <JarsSection namespace={namespace} clusterId={clusterId} flink={flink} />
          <EventList events={parts.events} />
          <ObjectList namespace={namespace} clusterId={clusterId} deployment={parts.deployment} replicaSets={parts.replicaSets} configMaps={parts.configMaps} services={parts.services} />
        </div>
      )}
      {result.status === 'success' && <AuditList events={parts.events} />}
    </section>
  );
}
