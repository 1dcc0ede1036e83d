import { Badge } from '@/components/ui/badge';
import type { ClusterHaHealth } from '@/lib/flink/ha/ha-health';

/** The cluster list's HA cell: HA or not, a leader, and standbys; text as well as colour. */
export function HaHealthBadge({ health, loaded }: { health?: ClusterHaHealth; loaded: boolean }) {
  if (!loaded) return <span className="text-slate-400">…</span>;
  if (!health || health.state === 'off') {
    return (
      <Badge tone="gray" aria-label="HA: off" title="No HA leader ConfigMap: Kubernetes HA is off, or no JobManager has started its election yet.">
        off
      </Badge>
    );
  }
  if (health.state === 'no-leader') {
    return (
      <Badge tone="red" dot aria-label="HA: no leader" title={`No leader: ${health.reason}.`}>
        no leader
      </Badge>
    );
  }
  if (health.standbys === 0) {
    return (
      <Badge tone="amber" dot aria-label="HA: leader, no standby" title={health.leaderPod ? `Leader ${health.leaderPod}; no standby JobManager runs.` : 'A leader; no standby JobManager runs.'}>
        leader, no standby
      </Badge>
    );
  }
  return (
    <Badge tone="green" dot aria-label={`HA: leader and ${health.standbys} standby`} title={health.leaderPod ? `Leader ${health.leaderPod}` : undefined}>
      leader + {health.standbys} standby
    </Badge>
  );
}
