import type { ReactNode } from 'react';
import { Card } from '@/components/cluster-detail/card';
import type { Failover, Timeline, TimelineFact } from '@/lib/flink/ha/failover-timeline';

function secs(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

function clock(at: string): string {
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? at : d.toISOString().slice(11, 23);
}

function describe(f: TimelineFact): string {
  switch (f.type) {
    case 'LeaderChanged':
      return `${f.leaderPod ?? `holder ${f.holder.slice(0, 8)}`} became the leader (transition ${f.transitions})`;
    case 'JobManagerLost':
    case 'TaskManagerLost': {
      const who = f.type === 'JobManagerLost' ? (f.leader ? 'Leader JobManager' : 'JobManager') : 'TaskManager';
      if (f.how === 'deleted') return `${who} ${f.pod} deleted`;
      return `${who} ${f.pod} restarted${f.reason ? ` (${f.reason}${f.exitCode !== undefined ? ` · exit ${f.exitCode}` : ''})` : ''}`;
    }
    case 'JobStatusChanged':
      return `Job ${f.jobName}: ${f.from ? `${f.from} → ` : ''}${f.to}`;
    case 'TestFailover':
      return `Test failover deleted ${f.pod}`;
    case 'FailoverRecovered':
      return 'Failover recovered';
  }
}

const tone: Record<TimelineFact['type'], string> = {
  LeaderChanged: 'bg-emerald-500',
  JobManagerLost: 'bg-red-500',
  TaskManagerLost: 'bg-amber-500',
  JobStatusChanged: 'bg-sky-500',
  TestFailover: 'bg-violet-500',
  FailoverRecovered: 'bg-emerald-500',
};

function FactItem({ fact }: { fact: TimelineFact }) {
  return (
    <li className="flex gap-2 text-xs text-slate-600">
      <span aria-hidden="true" className={`mt-1.5 size-1.5 shrink-0 rounded-full ${tone[fact.type]}`} />
      <span className="shrink-0 font-mono tabular-nums text-slate-400">{clock(fact.at)}</span>
      <span className="min-w-0 break-words">{describe(fact)}</span>
    </li>
  );
}

function FailoverItem({ failover: f, now }: { failover: Failover; now: number }) {
  const waited = secs(Math.max(0, now - Date.parse(f.lostAt)));
  return (
    <li className="rounded-lg border border-slate-200 p-3" aria-label={`Failover at ${clock(f.lostAt)}`}>
      <p className="text-sm text-slate-800">
        <span className="font-mono tabular-nums text-slate-500">{clock(f.lostAt)}</span> <span className="break-words">Leader lost: {f.cause}</span>
      </p>
      <dl className="mt-2 grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-2">
        <div className="flex flex-wrap gap-x-2">
          <dt className="text-slate-500">To new leader</dt>
          <dd aria-label="Time to new leader" className="min-w-0 break-words">
            {f.newLeader ? (
              <>
                <span className="font-semibold tabular-nums">{secs(f.newLeader.ms)}</span>
                {f.newLeader.pod && <> · <span className="font-mono">{f.newLeader.pod}</span></>}
              </>
            ) : (
              <span className="text-amber-700">no leader yet ({waited} so far)</span>
            )}
          </dd>
        </div>
        <div className="flex flex-wrap gap-x-2">
          <dt className="text-slate-500">To every job RUNNING</dt>
          <dd aria-label="Time to every job RUNNING" className="min-w-0 break-words">
            {f.allRunning ? (
              <>
                <span className="font-semibold tabular-nums">{secs(f.allRunning.ms)}</span>
                {f.jobs.length === 0 ? ' (no job was running)' : ` · ${f.jobs.length} job${f.jobs.length === 1 ? '' : 's'}`}
              </>
            ) : (
              <span className="text-amber-700">
                {f.jobs.filter((j) => j.runningAgainAt).length} of {f.jobs.length} running again ({waited} so far)
              </span>
            )}
          </dd>
        </div>
      </dl>
      {f.facts.length > 0 && (
        <ol className="mt-2 space-y-0.5 border-l border-slate-100 pl-2" aria-label="What happened">
          {f.facts.map((fact, i) => (
            <FactItem key={`${fact.type}/${fact.at}/${i}`} fact={fact} />
          ))}
        </ol>
      )}
    </li>
  );
}

/** The failover timeline: each failover (newest first) with its recovery times, then every observation. */
export function FailoverTimelineView({ timeline, now, live }: { timeline?: Timeline; now: number; live?: ReactNode }) {
  const others = timeline ? timeline.facts.filter((f) => !timeline.failovers.some((fo) => fo.facts.includes(f))).slice(0, 30) : [];
  return (
    <Card title="Failover timeline" id="failover-timeline-heading" aside={live}>
      {!timeline ? (
        <p className="text-sm text-slate-500">Reading the timeline…</p>
      ) : (
        <div className="space-y-4">
          {timeline.failovers.length === 0 ? (
            <p className="text-sm text-slate-500">No failover recorded.</p>
          ) : (
            <ol className="space-y-3" aria-label="Failovers">
              {timeline.failovers.map((f) => (
                <FailoverItem key={f.key} failover={f} now={now} />
              ))}
            </ol>
          )}
          {others.length > 0 && (
            <div>
              <h3 className="mb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">Other observations</h3>
              <ol className="space-y-0.5" aria-label="Other observations">
                {others.map((fact, i) => (
                  <FactItem key={`${fact.type}/${fact.at}/${i}`} fact={fact} />
                ))}
              </ol>
            </div>
          )}
          <p className="text-xs text-slate-500">
            Times in UTC. Kept as Events on the Deployment, recorded while this page or a Test failover follows the cluster. Events expire
            after the API server&apos;s --event-ttl (1 hour by default).
          </p>
        </div>
      )}
    </Card>
  );
}
