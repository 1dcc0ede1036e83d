import { restUnreachableLead } from '@/components/jobs/format';
import { Badge } from '@/components/ui/badge';
import type { FlinkRestSnapshot } from '@/lib/flink-rest/snapshot-types';
import { Card } from './card';

export type FlinkRestResult = { status: 'idle' } | { status: 'pending' } | { status: 'error'; message: string } | { status: 'success'; data: FlinkRestSnapshot };

function Stat({ label, value }: { label: string; value: string | number }) {
  return (
    <div className="rounded-lg bg-slate-50 px-3 py-2">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="text-lg font-semibold text-slate-900 tabular-nums">{value}</dd>
    </div>
  );
}

/** What the JobManager's REST API says: Flink version, TaskManagers, slots and job counts (the jobs themselves: components/jobs). */
export function FlinkRestCard({ result }: { result: FlinkRestResult }) {
  const data = result.status === 'success' && result.data.reachable ? result.data : undefined;
  return (
    <Card
      title="Flink"
      id="flink-heading"
      aside={data && <Badge tone="orange" aria-label={`Flink version ${data.flinkVersion}`}>Flink {data.flinkVersion}</Badge>}
    >
      {result.status === 'idle' && <p className="text-sm text-slate-500">The REST API is read once the JobManager runs.</p>}
      {result.status === 'pending' && <p className="text-sm text-slate-500">Asking the REST API…</p>}
      {result.status === 'error' && <p className="text-sm text-red-700">{result.message}</p>}
      {result.status === 'success' && !result.data.reachable && (
        <p className="text-sm text-slate-600">
          {restUnreachableLead(result.data.message)} <span className="text-slate-500">{result.data.message}</span>
        </p>
      )}
      {data && (
        <div className="space-y-4">
          <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4">
            <Stat label="TaskManagers" value={data.overview.taskmanagers} />
            <Stat label="Slots free" value={`${data.overview['slots-available']}/${data.overview['slots-total']}`} />
            <Stat label="Jobs running" value={data.overview['jobs-running']} />
            <Stat label="Jobs failed" value={data.overview['jobs-failed']} />
          </dl>
        </div>
      )}
    </Card>
  );
}
