import { Badge, type BadgeTone } from '@/components/ui/badge';
import type { ClusterHealth } from '@/lib/flink/cluster-summary';

const look: Record<ClusterHealth, { tone: BadgeTone; text: string }> = {
  ready: { tone: 'green', text: 'Ready' },
  progressing: { tone: 'amber', text: 'Progressing' },
  'not-ready': { tone: 'amber', text: 'Not ready' },
  stopped: { tone: 'gray', text: 'Stopped' },
};

export function ClusterHealthBadge({ health }: { health: ClusterHealth }) {
  const l = look[health];
  return (
    <Badge tone={l.tone} dot>
      {l.text}
    </Badge>
  );
}
