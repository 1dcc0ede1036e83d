// One pod's status for the pods table, derived from its slim DTO. PURE.
//
// The order follows kubectl's STATUS column (printPod in kubernetes/pkg/printers/internalversion):
// a pod being deleted is Terminating; a failed pod's own reason (Evicted) wins; then a container's
// waiting reason (CrashLoopBackOff, ImagePullBackOff, ContainerCreating) or its terminated reason
// (OOMKilled, Error, Completed); else the phase. kubectl prints an unschedulable pod as Pending; here
// the PodScheduled condition names it, since "Pending" alone hides why nothing happens.
import type { ContainerDto, PodDto } from './cluster-detail-objects';
import { FAILING_WAITING_REASONS } from './cluster-status';

export type PodTone = 'green' | 'amber' | 'red' | 'gray';

export type PodTermination = { container: string; reason: string; exitCode?: number; finishedAt?: string };

export type PodStatusView = {
  /** The headline, as kubectl would print it: Running, CrashLoopBackOff, OOMKilled, Unschedulable, … */
  status: string;
  tone: PodTone;
  /** Why, in the API server's words (the waiting message, the scheduler's message). */
  detail?: string;
  ready: number;
  total: number;
  restarts: number;
  /** The last time a container ended (`lastState.terminated`), with reason and exit code. */
  lastTermination?: PodTermination;
};

function terminatedText(c: ContainerDto): string {
  if (c.reason) return c.reason;
  return c.exitCode === undefined ? 'Terminated' : `ExitCode:${c.exitCode}`;
}

/** The most recent `lastState.terminated` of the pod's containers (the main container on a tie). */
function lastTermination(containers: ContainerDto[]): PodTermination | undefined {
  let best: PodTermination | undefined;
  for (const c of containers) {
    const t = c.lastTerminated;
    if (!t) continue;
    const candidate: PodTermination = {
      container: c.name,
      reason: t.reason ?? (t.exitCode === undefined ? 'Terminated' : `ExitCode:${t.exitCode}`),
      exitCode: t.exitCode,
      finishedAt: t.finishedAt,
    };
    if (!best || (candidate.finishedAt ?? '') > (best.finishedAt ?? '')) best = candidate;
  }
  return best;
}

export function derivePodStatus(pod: PodDto): PodStatusView {
  const containers = pod.containers;
  const base = {
    ready: containers.filter((c) => c.ready).length,
    total: containers.length,
    restarts: containers.reduce((n, c) => n + c.restartCount, 0),
    lastTermination: lastTermination(containers),
  };
  if (pod.deleting) return { ...base, status: 'Terminating', tone: 'gray' };
  if (pod.phase === 'Failed' && pod.reason) return { ...base, status: pod.reason, tone: 'red' };

  // A container that will not start without a change beats any other container's state.
  const failing = containers.find((c) => c.state === 'waiting' && c.reason && FAILING_WAITING_REASONS.has(c.reason));
  if (failing?.reason) return { ...base, status: failing.reason, tone: 'red', detail: failing.message };
  const crashed = containers.find((c) => c.state === 'terminated' && (c.exitCode ?? 0) !== 0);
  if (crashed) return { ...base, status: terminatedText(crashed), tone: 'red', detail: crashed.message };

  const unschedulable = pod.conditions.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (pod.phase === 'Pending' && unschedulable) {
    return { ...base, status: unschedulable.reason ?? 'Unschedulable', tone: 'red', detail: unschedulable.message };
  }
  const waiting = containers.find((c) => c.state === 'waiting' && c.reason);
  if (waiting?.reason) return { ...base, status: waiting.reason, tone: 'amber', detail: waiting.message };

  if (pod.phase === 'Succeeded') return { ...base, status: 'Completed', tone: 'gray' };
  if (pod.phase === 'Failed') {
    const ended = containers.find((c) => c.state === 'terminated');
    return { ...base, status: ended ? terminatedText(ended) : 'Failed', tone: 'red' };
  }
  if (pod.phase === 'Running') {
    const allReady = base.total > 0 && base.ready === base.total;
    return { ...base, status: allReady ? 'Running' : 'Running (not ready)', tone: allReady ? 'green' : 'amber' };
  }
  return { ...base, status: pod.phase || 'Pending', tone: pod.phase === 'Unknown' ? 'gray' : 'amber' };
}
