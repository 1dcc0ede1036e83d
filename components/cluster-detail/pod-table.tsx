'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { Age } from '@/components/ui/age';
import { Badge } from '@/components/ui/badge';
import type { PodDto } from '@/lib/flink/cluster-detail-objects';
import { derivePodStatus } from '@/lib/flink/pod-status';
import { Card } from './card';

function order(a: PodDto, b: PodDto): number {
  const rank = (p: PodDto) => (p.component === 'jobmanager' ? 0 : 1);
  return rank(a) - rank(b) || a.name.localeCompare(b.name);
}

function role(pod: PodDto): string {
  if (pod.component === 'jobmanager') return 'JobManager';
  if (pod.component === 'taskmanager') return 'TaskManager';
  return pod.component || '—';
}

/** JobManager and TaskManager pods, live: status, readiness, restarts, last termination, node, IP, age and a link to the log. */
export function PodTable({ pods, namespace, clusterId }: { pods: PodDto[]; namespace: string; clusterId: string }) {
  const context = useSearchParams()?.get('context');
  const logsHref = (pod: string) =>
    `/clusters/${encodeURIComponent(namespace)}/${encodeURIComponent(clusterId)}/pods/${encodeURIComponent(pod)}/logs${context ? `?${new URLSearchParams({ context })}` : ''}`;
  const th = 'px-3 py-2 whitespace-nowrap';
  return (
    <Card title={`Pods (${pods.length})`} id="pods-heading">
      {pods.length === 0 ? (
        <p className="text-sm text-slate-500">No pods yet.</p>
      ) : (
        // Scrolls sideways on narrow screens: focusable, so the keyboard can scroll it.
        <div className="relative -m-4 overflow-x-auto" tabIndex={0}>
          <table className="min-w-full text-sm" aria-label="Pods">
            <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase">
              <tr>
                <th scope="col" className={th}>Pod</th>
                <th scope="col" className={th}>Role</th>
                <th scope="col" className={th}>Status</th>
                <th scope="col" className={`${th} text-right`}>Ready</th>
                <th scope="col" className={`${th} text-right`}>Restarts</th>
                <th scope="col" className={th}>Last ended</th>
                <th scope="col" className={th}>Node</th>
                <th scope="col" className={th}>Pod IP</th>
                <th scope="col" className={`${th} text-right`}>Age</th>
                <th scope="col" className={th}>
                  <span className="sr-only">Log</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {[...pods].sort(order).map((pod) => {
                const s = derivePodStatus(pod);
                const last = s.lastTermination;
                return (
                  <tr key={pod.key} aria-label={`Pod ${pod.name}`}>
                    <th scope="row" className="px-3 py-2 text-left font-mono text-xs font-medium whitespace-nowrap text-slate-800">{pod.name}</th>
                    <td className="px-3 py-2 whitespace-nowrap text-slate-600">{role(pod)}</td>
                    <td className="max-w-72 px-3 py-2">
                      <Badge tone={s.tone} dot aria-label={`Pod status: ${s.status}`} title={s.detail}>
                        {s.status}
                      </Badge>
                      {s.detail && s.tone === 'red' && <p className="mt-1 truncate text-xs text-slate-500" title={s.detail}>{s.detail}</p>}
                    </td>
                    <td className="px-3 py-2 text-right whitespace-nowrap tabular-nums">
                      {s.ready}/{s.total}
                    </td>
                    <td className="px-3 py-2 text-right tabular-nums" aria-label={`Restarts: ${s.restarts}`}>{s.restarts}</td>
                    <td className="px-3 py-2 whitespace-nowrap text-slate-600" title={last?.finishedAt ? `finished ${last.finishedAt}` : undefined}>
                      {last ? (
                        <span aria-label={`Last ended: ${last.reason}${last.exitCode !== undefined ? `, exit code ${last.exitCode}` : ''}`}>
                          <span className={last.reason === 'Completed' ? '' : 'font-medium text-red-700'}>{last.reason}</span>
                          {last.exitCode !== undefined && <span className="text-slate-500"> · exit {last.exitCode}</span>}
                        </span>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td className="px-3 py-2 font-mono text-xs whitespace-nowrap text-slate-600">{pod.nodeName ?? '—'}</td>
                    <td className="px-3 py-2 font-mono text-xs whitespace-nowrap text-slate-600">{pod.podIP ?? '—'}</td>
                    <td className="px-3 py-2 text-right whitespace-nowrap text-slate-600 tabular-nums">{pod.createdAt ? <Age since={pod.createdAt} /> : '—'}</td>
                    <td className="px-3 py-2 whitespace-nowrap">
                      <Link href={logsHref(pod.name)} className="text-brand-700 font-medium hover:underline" aria-label={`Log of ${pod.name}`}>
                        Log
                      </Link>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
