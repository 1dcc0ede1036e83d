import { Badge } from '@/components/ui/badge';

/** Shown whenever the API server is the embedded simulator (its gitVersion ends with -sim). */
export function SimulatedBadge({ gitVersion }: { gitVersion: string }) {
  return (
    <Badge tone="violet" dot title={`Kubernetes ${gitVersion}: the embedded simulator, not a real cluster`}>
      Simulated cluster
    </Badge>
  );
}
