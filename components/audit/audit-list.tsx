import { Age } from '@/components/ui/age';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/cluster-detail/card';
import { AUDIT_COMPONENT } from '@/lib/audit/audit-actions';
import { compareEventsNewestFirst, type EventDto } from '@/lib/flink/cluster-detail-objects';

/** The cluster's audit entries: Events the dashboard wrote (lib/audit), newest first, live with the page's stream. */
export function AuditList({ events }: { events: EventDto[] }) {
  const entries = events.filter((e) => e.reportingComponent === AUDIT_COMPONENT).sort(compareEventsNewestFirst);
  return (
    <Card title={`Audit (${entries.length})`} id="audit-heading">
      {entries.length === 0 ? (
        <p className="text-sm text-slate-500">Nobody has changed this cluster through the dashboard yet.</p>
      ) : (
        <ul aria-label="Audit entries" tabIndex={0} className="-my-2 max-h-96 divide-y divide-slate-100 overflow-y-auto">
          {entries.map((e) => (
            <li key={e.key} className="flex gap-3 py-2 text-sm">
              <Badge tone={e.type === 'Warning' ? 'red' : 'gray'} className="mt-0.5 self-start">
                {e.type === 'Warning' ? 'Failed' : 'Done'}
              </Badge>
              <div className="min-w-0 flex-1">
                <p className="flex flex-wrap items-baseline gap-x-2">
                  <span className="font-semibold text-slate-900">{e.reason}</span>
                  {e.auditUser && <span className="text-xs text-slate-600">by {e.auditUser}</span>}
                </p>
                <p className="break-words text-slate-700">{e.message}</p>
              </div>
              <span className="shrink-0 text-xs text-slate-500 tabular-nums">{e.lastSeen ? <Age since={e.lastSeen.replace(/\.\d+(?=(Z|[+-]\d\d:\d\d)$)/i, '')} /> : ''}</span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
