import { Badge, type BadgeTone } from '@/components/ui/badge';
import type { ClusterObject } from '@/lib/flink/cluster-detail-objects';
import { FAILING_WAITING_REASONS, splitClusterObjects, toJobManagerState, type JobManagerState } from '@/lib/flink/cluster-status';
import { deriveHaState } from '@/lib/flink/ha/derive-ha-state';
import { findLeaderPod } from '@/lib/flink/ha/derive-leadership';
import type { HaConfigMapDto } from '@/lib/flink/ha/ha-config-map-dto';
import { Card } from './card';

function phaseTone(jm: JobManagerState): BadgeTone {
  if (jm.waitingReason && FAILING_WAITING_REASONS.has(jm.waitingReason)) return 'red';
  if (jm.phase === 'Failed') return 'red';
  if (jm.phase === 'Running' && jm.ready) return 'green';
  return 'amber';
}

/** With HA, the pod the restserver leader address points at (not whichever JobManager pod comes first). */
function leaderJobManager(objects: readonly ClusterObject[]): JobManagerState | undefined {
  const records = objects.filter((o): o is HaConfigMapDto => o.kind === 'HaConfigMap');
  if (records.length === 0) return undefined;
  const { pod } = findLeaderPod(deriveHaState(records), splitClusterObjects(objects).pods);
  return pod && !pod.deleting ? toJobManagerState(pod) : undefined;
}

/** The JobManager pod (the leader, with HA): its phase and, prominently, why its container is waiting. */
export function JobManagerCard({ jobManager: fallback, objects = [] }: { jobManager?: JobManagerState; objects?: readonly ClusterObject[] }) {
  const leader = leaderJobManager(objects);
  const jobManager = leader ?? fallback;
  return (
    <Card title="JobManager" id="jobmanager-heading">
      {!jobManager ? (
        <p className="text-sm text-slate-500">No JobManager pod yet.</p>
      ) : (
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm" aria-label="JobManager pod">
          <dt className="text-slate-500">Pod</dt>
          <dd className="flex min-w-0 items-center gap-2">
            <span className="truncate font-mono text-slate-800" aria-label="JobManager pod name">
              {jobManager.podName}
            </span>
            {leader && <Badge tone="blue">leader</Badge>}
          </dd>
          <dt className="text-slate-500">Phase</dt>
          <dd className="flex flex-wrap items-center gap-2">
            <Badge tone={phaseTone(jobManager)} dot aria-label={`JobManager phase: ${jobManager.phase}`}>
              {jobManager.phase}
            </Badge>
            {jobManager.waitingReason && (
              <Badge tone={phaseTone(jobManager)} aria-label={`JobManager waiting reason: ${jobManager.waitingReason}`}>
                {jobManager.waitingReason}
              </Badge>
            )}
            {jobManager.ready && <span className="text-xs text-emerald-700">ready</span>}
          </dd>
          <dt className="text-slate-500">Node</dt>
          <dd className="font-mono text-slate-800" aria-label="JobManager node">
            {jobManager.nodeName ?? 'not scheduled'}
          </dd>
          <dt className="text-slate-500">Restarts</dt>
          <dd className="tabular-nums text-slate-800">{jobManager.restarts}</dd>
          {jobManager.message && (
            <>
              <dt className="text-slate-500">Message</dt>
              <dd className="break-words text-slate-700">{jobManager.message}</dd>
            </>
          )}
        </dl>
      )}
    </Card>
  );
}
