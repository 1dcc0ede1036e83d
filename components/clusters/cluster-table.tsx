'use client';

import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { useLayoutEffect, useRef, useState } from 'react';
import { Age } from '@/components/ui/age';
import { Badge } from '@/components/ui/badge';
import type { ClusterSummary } from '@/lib/flink/cluster-summary';
import { ClusterLink } from '@/components/cluster-detail/cluster-link';
import { HaHealthBadge } from '@/components/ha/ha-health-badge';
import type { ClusterHaHealth } from '@/lib/flink/ha/ha-health';
import { DeleteClusterButton } from '@/components/cluster-delete/delete-cluster-button';
import { ClusterStatusBadge } from './cluster-status-badge';
import type { ListQuery, SortKey } from './cluster-list-query';

const modeText = { session: 'Session', application: 'Application', unknown: 'Unknown' } as const;

/** Rows rendered above and below the visible ones, so a quick scroll shows no blank. */
const OVERSCAN = 12;
const ROW_ESTIMATE_PX = 53;
/**
 * The viewport assumed before the browser has measured one: on the server (rows the page renders
 * with its HTML, so the first rows show before the scripts run) and in the first client render
 * (which must produce the same HTML). Measured at once after that.
 */
const INITIAL_RECT = { width: 0, height: 900 };

type Column = { key: SortKey; label: string; align?: 'right' };

function SortHeader({ column, query, onSort }: { column: Column; query: ListQuery; onSort: (key: SortKey) => void }) {
  const active = query.sort === column.key;
  return (
    <th
      scope="col"
      aria-sort={active ? (query.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
      className={`px-3 py-2 ${column.align === 'right' ? 'text-right' : ''}`}
    >
      <button
        type="button"
        onClick={() => onSort(column.key)}
        className={`inline-flex items-center gap-1 rounded py-1 tracking-wide uppercase hover:text-slate-800 ${active ? 'text-slate-900' : ''}`}
      >
        {column.label}
        <span aria-hidden className={active ? '' : 'invisible'}>
          {query.dir === 'desc' && active ? '▼' : '▲'}
        </span>
      </button>
    </th>
  );
}

/**
 * The cluster rows, virtualized against the window's scroll: only the rows in view (plus a few)
 * are in the DOM, so 2,500 clusters render as fast as 25. Rows are measured, so a row that grows
 * (a delete's reason under its button) pushes the next ones down.
 */
export function ClusterTable({
  clusters,
  showNamespace,
  query,
  onSort,
  haHealth,
}: {
  clusters: ClusterSummary[];
  showNamespace: boolean;
  query: ListQuery;
  onSort: (key: SortKey) => void;
  /** Leader and standbys per cluster key, from the HA ConfigMaps and pods (components/ha). */
  haHealth?: ReadonlyMap<string, ClusterHaHealth>;
}) {
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const [scrollMargin, setScrollMargin] = useState(0);
  // Where the rows start on the page. What is above the table can change height after the first
  // render (a notice that comes or goes, the filter bar wrapping): a stale margin makes the
  // virtualizer render the wrong rows, and the last ones are missing at the bottom of the page.
  useLayoutEffect(() => {
    const body = bodyRef.current;
    if (!body) return;
    const update = () => {
      const top = body.getBoundingClientRect().top + window.scrollY;
      setScrollMargin((m) => (Math.abs(m - top) > 0.5 ? top : m));
    };
    update();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(update);
    observer.observe(document.body);
    return () => observer.disconnect();
  }, [showNamespace]);
  const virtualizer = useWindowVirtualizer({
    count: clusters.length,
    estimateSize: () => ROW_ESTIMATE_PX,
    overscan: OVERSCAN,
    scrollMargin,
    getItemKey: (i) => clusters[i].key,
    initialRect: INITIAL_RECT,
  });
  const items = virtualizer.getVirtualItems();
  const before = items.length ? items[0].start - scrollMargin : 0;
  const after = items.length ? virtualizer.getTotalSize() - (items[items.length - 1].end - scrollMargin) : 0;
  const columns: Column[] = [
    { key: 'cluster', label: 'Cluster' },
    ...(showNamespace ? [{ key: 'namespace', label: 'Namespace' } as Column] : []),
    { key: 'flink', label: 'Flink' },
    { key: 'mode', label: 'Mode' },
    { key: 'status', label: 'Status' },
    { key: 'jobmanager', label: 'JobManager' },
    { key: 'taskmanagers', label: 'TMs', align: 'right' },
    { key: 'ha', label: 'HA' },
    { key: 'leader', label: 'Leader' },
    { key: 'age', label: 'Age', align: 'right' },
  ];
  const span = columns.length + 1;

  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full text-sm" aria-label="Flink clusters" aria-rowcount={clusters.length + 1}>
        <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs font-semibold text-slate-500">
          <tr aria-rowindex={1}>
            {columns.map((c) => (
              <SortHeader key={c.key} column={c} query={query} onSort={onSort} />
            ))}
            <th scope="col" className="relative px-3 py-3 text-right">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody ref={bodyRef}>
          {before > 0 && (
            <tr aria-hidden style={{ height: before }}>
              <td colSpan={span} />
            </tr>
          )}
          {items.map((item) => {
            const c = clusters[item.index];
            return (
              <tr
                key={item.key}
                data-index={item.index}
                ref={virtualizer.measureElement}
                aria-rowindex={item.index + 2}
                className="border-t border-slate-100 hover:bg-slate-50/70"
              >
                <th scope="row" className="px-3 py-3 text-left font-semibold text-slate-900">
                  <ClusterLink namespace={c.namespace} clusterId={c.clusterId} />
                </th>
                {showNamespace && <td className="px-3 py-3 text-slate-600">{c.namespace}</td>}
                <td className="px-3 py-3">
                  <Badge tone={c.flinkVersion === 'custom' ? 'gray' : 'orange'} title={c.image}>
                    {c.flinkVersion === 'custom' ? 'custom' : `Flink ${c.flinkVersion}`}
                  </Badge>
                </td>
                <td className="px-3 py-3">
                  <Badge tone={c.mode === 'application' ? 'violet' : 'blue'}>{modeText[c.mode]}</Badge>
                </td>
                <td className="px-3 py-3">{c.status && <ClusterStatusBadge status={c.status} reason={c.statusReason} />}</td>
                <td className="px-3 py-3">
                  {/* Readiness in words is the Status column's; here the count. */}
                  <span className="font-mono text-slate-700" aria-label={`${c.readyReplicas} of ${c.desiredReplicas} ready`}>
                    {c.readyReplicas}/{c.desiredReplicas}
                  </span>
                </td>
                <td className="px-3 py-3 text-right font-mono text-slate-700 tabular-nums" aria-label={`${c.taskManagers ?? 0} TaskManagers`}>
                  {c.taskManagers ?? 0}
                </td>
                <td className="px-3 py-3">
                  <div className="flex flex-wrap gap-1">
                    {c.ha === 'on' ? <Badge tone="green">HA on</Badge> : c.ha === 'off' ? <Badge tone="gray">HA off</Badge> : <span className="text-slate-400">–</span>}
                    {haHealth?.get(c.key) && haHealth.get(c.key)!.state !== 'off' && <HaHealthBadge health={haHealth.get(c.key)} loaded />}
                  </div>
                </td>
                <td className="max-w-48 truncate px-3 py-3 font-mono text-xs text-slate-600" title={c.haLeader}>
                  {c.haLeader ?? <span className="text-slate-400">–</span>}
                </td>
                <td className="px-3 py-3 text-right text-slate-600 tabular-nums">
                  <Age since={c.createdAt} />
                </td>
                <td className="px-3 py-2 text-right">
                  <DeleteClusterButton compact namespace={c.namespace} clusterId={c.clusterId} deletionTimestamp={c.deletionTimestamp} />
                </td>
              </tr>
            );
          })}
          {after > 0 && (
            <tr aria-hidden style={{ height: after }}>
              <td colSpan={span} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
