import { Age } from '@/components/ui/age';
import { Badge } from '@/components/ui/badge';
import { compareEventsNewestFirst, type EventDto } from '@/lib/flink/cluster-detail-objects';
import { Card } from './card';

/**
 * A MicroTime cut to its second: events are ordered by second and then by write order
 * (compareEventsNewestFirst), so their ages are shown by second too, and never go up down the list.
 */
function toWholeSecond(time: string): string {
  return time.replace(/\.\d+(?=(Z|[+-]\d\d:\d\d)$)/i, '');
}

/** Events of the Deployment, its ReplicaSets and pods, newest first (compareEventsNewestFirst); Warnings stand out. */
export function EventList({ events }: { events: EventDto[] }) {
  const sorted = [...events].sort(compareEventsNewestFirst);
  const warnings = events.filter((e) => e.type === 'Warning').length;
  return (
    <Card
      title={`Events (${events.length})`}
      id="events-heading"
      aside={warnings > 0 && <Badge tone="red">{warnings} warning{warnings === 1 ? '' : 's'}</Badge>}
    >
      {sorted.length === 0 ? (
        <p className="text-sm text-slate-500">No events.</p>
      ) : (
        // Scrolls on its own: focusable, so the keyboard can scroll it too.
        <ul aria-label="Events" tabIndex={0} className="-my-2 max-h-96 divide-y divide-slate-100 overflow-y-auto">
          {sorted.map((e) => (
            <li key={e.key} className="flex gap-3 py-2 text-sm">
              <Badge tone={e.type === 'Warning' ? 'red' : 'gray'} className="mt-0.5 self-start">
                {e.type}
              </Badge>
              <div className="min-w-0 flex-1">
                <p className="flex flex-wrap items-baseline gap-x-2">
                  <span className="font-semibold text-slate-900">{e.reason}</span>
                  <span className="font-mono text-xs text-slate-500">
                    {e.involvedKind}/{e.involvedName}
                  </span>
                  {e.count > 1 && <span className="text-xs text-slate-500">×{e.count}</span>}
                </p>
                <p className="break-words text-slate-700">{e.message}</p>
              </div>
              <span className="shrink-0 text-xs text-slate-500 tabular-nums">{e.lastSeen ? <Age since={toWholeSecond(e.lastSeen)} /> : ''}</span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
