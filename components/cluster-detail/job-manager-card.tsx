import { Badge, type BadgeTone } from '@/components/ui/badge';
import { FAILING_WAITING_REASONS, type JobManagerState } from '@/lib/flink/cluster-status';
import { Card } from './card';

function phaseTone(jm: JobManagerState): BadgeTone {
  if (jm.waitingReason && FAILING_WAITING_REASONS.has(jm.waitingReason)) return 'red';
  if (jm.phase === 'Failed') return 'red';
  if (jm.phase === 'Running' && jm.ready) return 'green';
  return 'amber';
}

/** The JobManager pod: its phase and, prominently, why its container is waiting. */
export function JobManagerCard({ jobManager }: { jobManager?: JobManagerState }) {
  return (
    <Card title="JobManager" id="jobmanager-heading">
      {!jobManager ? (
        <p className="text-sm text-slate-500">No JobManager pod yet.</p>
      ) : (
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm" aria-label="JobManager pod">
          <dt className="text-slate-500">Pod</dt>
          <dd className="truncate font-mono text-slate-800">{jobManager.podName}</dd>
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
