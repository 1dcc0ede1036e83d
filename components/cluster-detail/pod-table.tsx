import { Age } from '@/components/ui/age';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import type { PodDto } from '@/lib/flink/cluster-detail-objects';
import { FAILING_WAITING_REASONS } from '@/lib/flink/cluster-status';
import { Card } from './card';

function podState(pod: PodDto): { text: string; tone: BadgeTone } {
  if (pod.deleting) return { text: 'Terminating', tone: 'gray' };
  const main = pod.containers[0];
  if (main?.state === 'waiting' && main.reason) return { text: main.reason, tone: FAILING_WAITING_REASONS.has(main.reason) ? 'red' : 'amber' };
  if (main?.state === 'terminated') return { text: main.reason ?? 'Terminated', tone: (main.exitCode ?? 0) === 0 ? 'gray' : 'red' };
  if (pod.phase === 'Running') return { text: main?.ready ? 'Running' : 'Running (not ready)', tone: main?.ready ? 'green' : 'amber' };
  return { text: pod.phase, tone: pod.phase === 'Failed' ? 'red' : 'amber' };
}

function order(a: PodDto, b: PodDto): number {
  const rank = (p: PodDto) => (p.component === 'jobmanager' ? 0 : 1);
  return rank(a) - rank(b) || a.name.localeCompare(b.name);
}

/** JobManager and TaskManager pods, live. */
export function PodTable({ pods }: { pods: PodDto[] }) {
  return (
    <Card title={`Pods (${pods.length})`} id="pods-heading">
      {pods.length === 0 ? (
        <p className="text-sm text-slate-500">No pods yet.</p>
      ) : (
        // Scrolls sideways on narrow screens: focusable, so the keyboard can scroll it.
        <div className="-m-4 overflow-x-auto" tabIndex={0}>
          <table className="min-w-full text-sm" aria-label="Pods">
            <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase">
              <tr>
                <th scope="col" className="px-4 py-2">Pod</th>
                <th scope="col" className="px-4 py-2">Role</th>
                <th scope="col" className="px-4 py-2">Status</th>
                <th scope="col" className="px-4 py-2">Node</th>
                <th scope="col" className="px-4 py-2 text-right">Restarts</th>
                <th scope="col" className="px-4 py-2 text-right">Age</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {[...pods].sort(order).map((pod) => {
                const state = podState(pod);
                return (
                  <tr key={pod.key}>
                    <th scope="row" className="px-4 py-2 text-left font-mono text-xs font-medium whitespace-nowrap text-slate-800">{pod.name}</th>
                    <td className="px-4 py-2 text-slate-600">{pod.component === 'jobmanager' ? 'JobManager' : pod.component === 'taskmanager' ? 'TaskManager' : pod.component || '—'}</td>
                    <td className="px-4 py-2">
                      <Badge tone={state.tone} dot>{state.text}</Badge>
                    </td>
                    <td className="px-4 py-2 font-mono text-xs whitespace-nowrap text-slate-600">{pod.nodeName ?? '—'}</td>
                    <td className="px-4 py-2 text-right tabular-nums">{pod.containers.reduce((n, c) => n + c.restartCount, 0)}</td>
                    <td className="px-4 py-2 text-right text-slate-600 tabular-nums">{pod.createdAt ? <Age since={pod.createdAt} /> : '—'}</td>
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
