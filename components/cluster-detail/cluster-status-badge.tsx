import { Badge, type BadgeTone } from '@/components/ui/badge';
import type { ClusterPhase } from '@/lib/flink/cluster-status';

const tones: Record<ClusterPhase, BadgeTone> = {
  missing: 'gray',
  starting: 'amber',
  running: 'green',
  failing: 'red',
  terminating: 'gray',
};

/** The headline status in words and colour. */
export function ClusterStatusBadge({ phase, label }: { phase: ClusterPhase; label: string }) {
  return (
    <Badge tone={tones[phase]} dot className="px-2.5 py-1 text-sm" aria-label={`Cluster status: ${label}`}>
      {label}
    </Badge>
  );
}
