import { Badge, type BadgeTone } from '@/components/ui/badge';
import type { ClusterStatus } from '@/lib/flink/cluster-list-status';

const tone: Record<ClusterStatus, BadgeTone> = {
  Running: 'green',
  Starting: 'blue',
  Degraded: 'amber',
  Failing: 'red',
  Deleting: 'gray',
  Stopped: 'gray',
};

/** The row's status; the reason (e.g. "JobManager x: ImagePullBackOff") is its title and, when failing, shown under it. */
export function ClusterStatusBadge({ status, reason }: { status: ClusterStatus; reason?: string }) {
  return (
    <span className="inline-flex flex-col items-start gap-0.5">
      <Badge tone={tone[status]} dot title={reason}>
        {status}
      </Badge>
      {reason && (status === 'Failing' || status === 'Degraded') && (
        <span className="max-w-56 truncate text-xs text-slate-500" title={reason}>
          {reason.replace(/^(JobManager|TaskManager) \S+: /, '$1: ')}
        </span>
      )}
    </span>
  );
}
