// Test failovers as the dashboard records them in Kubernetes (a core/v1 Event on the cluster's
// Deployment, reason TestFailover, reported by flink-native-dashboard), joined with the current
// leader election record: when the leader pod was deleted, and when (if) a new leader took the
// lease. Kept in Kubernetes, so it survives a dashboard restart and every replica shows the same.
// PURE.
import type { EventDto } from '../cluster-detail-objects';

export const FAILOVER_EVENT_REASON = 'TestFailover';
export const DASHBOARD_COMPONENT = 'flink-native-dashboard';

export type FailoverRecord = {
  key: string;
  /** When the dashboard deleted the leader pod (the Event's time). */
  at: string;
  deletedPod?: string;
  /** Set when the current lease was acquired after `at` by another pod: the recovery of this failover. */
  recovery?: { newLeaderPod?: string; acquireTime: string; ms: number };
};

export function failoverEventMessage(pod: string, since: string | undefined, transitions: number | undefined): string {
  return `Test failover: deleted the leader JobManager pod ${pod}${since ? ` (leader since ${since}` : ''}${since && transitions !== undefined ? `, ${transitions} transitions so far)` : since ? ')' : ''}.`;
}

/** Newest first. Only the newest can be matched with the lease Flink keeps now (one record, no history). */
export function deriveFailovers(events: readonly EventDto[], current: { acquireTime?: string; leaderPod?: string; leading: boolean }): FailoverRecord[] {
  const records = events
    .filter((e) => e.reason === FAILOVER_EVENT_REASON && e.involvedKind === 'Deployment' && e.lastSeen)
    .map((e) => ({ key: e.key, at: e.lastSeen!, deletedPod: /leader JobManager pod (\S+?)[ .(]/.exec(e.message)?.[1] }))
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  const latest = records[0] as FailoverRecord | undefined;
  if (latest && current.leading && current.acquireTime) {
    const ms = Date.parse(current.acquireTime) - Date.parse(latest.at);
    if (ms >= 0 && current.leaderPod !== latest.deletedPod) latest.recovery = { newLeaderPod: current.leaderPod, acquireTime: current.acquireTime, ms };
  }
  return records;
}
