import type { FailoverRecord } from '@/lib/flink/ha/failover-history';

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The Test failovers recorded on the Deployment, newest first, with the recovery of the latest. */
export function FailoverList({ failovers, now }: { failovers: readonly FailoverRecord[]; now: number }) {
  if (failovers.length === 0) return null;
  return (
    <div className="text-sm">
      <h3 className="mb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">Failovers</h3>
      <ul className="space-y-1" aria-label="Failovers">
        {failovers.map((f, i) => (
          <li key={f.key} className="text-slate-700">
            <span className="tabular-nums text-slate-500">{f.at}</span> deleted <span className="font-mono">{f.deletedPod ?? 'the leader pod'}</span>
            {f.recovery ? (
              <span aria-label="Recovery">
                {' '}
                → new leader <span className="font-mono">{f.recovery.newLeaderPod ?? 'unknown pod'}</span> after{' '}
                <span className="font-semibold tabular-nums">{secs(f.recovery.ms)}</span>
              </span>
            ) : i === 0 ? (
              <span className="text-amber-700"> → no new leader yet ({secs(Math.max(0, now - Date.parse(f.at)))} so far)</span>
            ) : null}
          </li>
        ))}
      </ul>
      {failovers.length > 1 && <p className="mt-1 text-xs text-slate-500">Flink keeps only the current lease, so only the latest failover&apos;s recovery is known.</p>}
    </div>
  );
}
