import type { ReactNode } from 'react';
import { Card } from '@/components/cluster-detail/card';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import type { Leadership } from '@/lib/flink/ha/derive-leadership';
import type { FailoverRecord } from '@/lib/flink/ha/failover-history';
import { formatAge } from '@/lib/live/format-age';
import { FailoverList } from './failover-list';
import { HaOffNotice, type CreatePermission } from './ha-off-notice';

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** Who leads the cluster, since when, its lease and the standbys; every state from props. */
export function LeaderCardView({ leadership, failovers = [], now, newClusterHref, createPermission, action }: {
  leadership?: Leadership;
  failovers?: readonly FailoverRecord[];
  now: number;
  newClusterHref: string;
  /** May the user create a cluster here (the way to turn HA on)? */
  createPermission?: CreatePermission;
  action?: ReactNode;
}) {
  return (
    <Card title="High availability" id="ha-heading" aside={leadership?.ha === 'on' ? action : undefined}>
      {!leadership ? (
        <p className="text-sm text-slate-500">Waiting for the cluster&apos;s objects…</p>
      ) : leadership.ha === 'off' ? (
        <HaOffNotice newClusterHref={newClusterHref} jobManagers={leadership.jobManagers.length} createPermission={createPermission} />
      ) : (
        <div className="space-y-3">
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm" aria-label="Leader election">
            <dt className="text-slate-500">Leader</dt>
            <dd className="flex flex-wrap items-center gap-2">
              {leadership.leaderPod ? (
                <span className="font-mono text-slate-800" aria-label="Leader JobManager">
                  {leadership.leaderPod.name}
                </span>
              ) : (
                <span className="text-slate-500" aria-label="Leader JobManager">
                  {leadership.leading ? 'unknown pod' : 'none'}
                </span>
              )}
              <Badge tone={leadership.leading ? 'green' : 'amber'} dot aria-label={`Leadership: ${leadership.leading ? 'leading' : 'no leader'}`}>
                {leadership.leading ? 'leading' : leadership.leaderPod ? 'last leader' : 'no leader'}
              </Badge>
            </dd>
            {leadership.leaderAddress && (
              <>
                <dt className="text-slate-500">Address</dt>
                <dd className="font-mono text-slate-800">{leadership.leaderAddress}</dd>
              </>
            )}
            {leadership.acquireTime && leadership.leading && (
              <>
                <dt className="text-slate-500">Leading for</dt>
                <dd className="tabular-nums text-slate-800" aria-label="Leading for">
                  {formatAge(leadership.acquireTime, now)} <span className="text-slate-500">(since {leadership.acquireTime})</span>
                </dd>
              </>
            )}
            {leadership.leaseAgeMs !== undefined && leadership.leaseDurationMs !== undefined && (
              <>
                <dt className="text-slate-500">Lease</dt>
                <dd className="tabular-nums text-slate-800" aria-label="Lease">
                  renewed {secs(leadership.leaseAgeMs)} ago, lasts {secs(leadership.leaseDurationMs)}
                </dd>
              </>
            )}
            {leadership.leaderTransitions !== undefined && (
              <>
                <dt className="text-slate-500">Transitions</dt>
                <dd className="tabular-nums text-slate-800">{leadership.leaderTransitions}</dd>
              </>
            )}
            <dt className="text-slate-500">Standby</dt>
            <dd className="font-mono text-slate-800" aria-label="Standby JobManagers">
              {leadership.standbys.length > 0 ? leadership.standbys.map((p) => p.name).join(', ') : <span className="font-sans text-slate-500">none</span>}
            </dd>
            {leadership.others.length > 0 && (
              <>
                <dt className="text-slate-500">Other</dt>
                <dd className="font-mono text-slate-600" aria-label="Other JobManagers">
                  {leadership.others.map((p) => `${p.name} (${p.deleting ? 'terminating' : p.phase})`).join(', ')}
                </dd>
              </>
            )}
            {leadership.state.jobs.length > 0 && (
              <>
                <dt className="text-slate-500">Jobs in HA</dt>
                <dd className="text-slate-800" aria-label="Jobs in the HA store">
                  <ul className="space-y-0.5">
                    {leadership.state.jobs.map((j) => (
                      <li key={j.jobId} className="font-mono text-xs">
                        {j.jobId}
                        <span className="font-sans text-slate-500">
                          {j.inStore ? (j.markedForDeletion ? ' · being removed' : '') : ' · not in the job store'}
                          {j.latestCheckpointId !== undefined ? ` · checkpoint ${j.latestCheckpointId}` : ' · no checkpoint yet'}
                        </span>
                      </li>
                    ))}
                  </ul>
                </dd>
              </>
            )}
          </dl>
          <FailoverList failovers={failovers} now={now} />
          {leadership.warnings.map((w) => (
            <Alert key={w.code} tone="warning" title={WARNING_TITLES[w.code]}>
              {w.message}
            </Alert>
          ))}
        </div>
      )}
    </Card>
  );
}

const WARNING_TITLES: Record<string, string> = {
  'no-record': 'No election record',
  unreadable: 'Election record unreadable',
  released: 'No one leads',
  stale: 'Stale lease',
  'no-address': 'Leader pod unknown',
  'no-pod': 'Leader pod not found',
  'no-standby': 'No standby',
  problems: 'Unexpected HA data',
};
