import { Age } from '@/components/ui/age';
import { Badge } from '@/components/ui/badge';
import type { ClusterSummary } from '@/lib/flink/cluster-summary';
import { ClusterLink } from '@/components/cluster-detail/cluster-link';
import { DeleteClusterButton } from '@/components/cluster-delete/delete-cluster-button';
import { HaHealthBadge } from '@/components/ha/ha-health-badge';
import type { ClusterHaHealth } from '@/lib/flink/ha/ha-health';
import { ClusterHealthBadge } from './cluster-health-badge';

const modeText = { session: 'Session', application: 'Application', unknown: 'Unknown' } as const;

function compare(a: ClusterSummary, b: ClusterSummary): number {
  return a.namespace.localeCompare(b.namespace) || a.clusterId.localeCompare(b.clusterId);
}

export function ClusterTable({ clusters, showNamespace, haHealth }: { clusters: ClusterSummary[]; showNamespace: boolean; haHealth?: ReadonlyMap<string, ClusterHaHealth> }) {
  const rows = [...clusters].sort(compare);
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 text-sm" aria-label="Flink clusters">
        <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase">
          <tr>
            <th scope="col" className="px-4 py-3">Cluster</th>
            {showNamespace && <th scope="col" className="px-4 py-3">Namespace</th>}
            <th scope="col" className="px-4 py-3">Flink</th>
            <th scope="col" className="px-4 py-3">Mode</th>
            <th scope="col" className="px-4 py-3">JobManager</th>
            <th scope="col" className="px-4 py-3">HA</th>
            <th scope="col" className="px-4 py-3 text-right">Age</th>
            <th scope="col" className="relative px-4 py-3 text-right"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((c) => (
            <tr key={c.key} className="hover:bg-slate-50/70">
              <th scope="row" className="px-4 py-3 text-left font-semibold text-slate-900">
                <ClusterLink namespace={c.namespace} clusterId={c.clusterId} />
              </th>
              {showNamespace && <td className="px-4 py-3 text-slate-600">{c.namespace}</td>}
              <td className="px-4 py-3">
                <Badge tone={c.flinkVersion === 'custom' ? 'gray' : 'orange'} title={c.image}>
                  {c.flinkVersion === 'custom' ? 'custom' : `Flink ${c.flinkVersion}`}
                </Badge>
              </td>
              <td className="px-4 py-3">
                <Badge tone={c.mode === 'application' ? 'violet' : 'blue'}>{modeText[c.mode]}</Badge>
              </td>
              <td className="px-4 py-3">
                <span className="flex items-center gap-2">
                  <span className="font-mono text-slate-700" aria-label={`${c.readyReplicas} of ${c.desiredReplicas} ready`}>
                    {c.readyReplicas}/{c.desiredReplicas}
                  </span>
                  <ClusterHealthBadge health={c.health} />
                </span>
              </td>
              <td className="px-4 py-3"><HaHealthBadge health={haHealth?.get(c.key)} loaded={haHealth !== undefined} /></td>
              <td className="px-4 py-3 text-right text-slate-600 tabular-nums">
                <Age since={c.createdAt} />
              </td>
              <td className="px-4 py-2 text-right">
                <DeleteClusterButton compact namespace={c.namespace} clusterId={c.clusterId} deletionTimestamp={c.deletionTimestamp} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
