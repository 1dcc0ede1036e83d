import { Badge } from '@/components/ui/badge';
import type { ConfigMapDto, DeploymentDto, ReplicaSetDto, ServiceDto } from '@/lib/flink/cluster-detail-objects';
import { Card } from './card';

type Props = { deployment?: DeploymentDto; replicaSets: ReplicaSetDto[]; configMaps: ConfigMapDto[]; services: ServiceDto[] };

function Row({ kind, name, children }: { kind: string; name: string; children?: React.ReactNode }) {
  return (
    <li className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2 text-sm">
      <span className="w-24 shrink-0 text-xs font-semibold tracking-wide text-slate-500 uppercase">{kind}</span>
      <span className="font-mono text-slate-800">{name}</span>
      <span className="flex flex-wrap items-center gap-2 text-xs text-slate-500">{children}</span>
    </li>
  );
}

/** The Kubernetes objects of the cluster, with the Deployment's conditions. */
export function ObjectList({ deployment, replicaSets, configMaps, services }: Props) {
  return (
    <Card title="Kubernetes objects" id="objects-heading">
      <ul aria-label="Kubernetes objects" className="-my-2 divide-y divide-slate-100">
        {deployment && (
          <Row kind="Deployment" name={deployment.name}>
            <span>
              {deployment.readyReplicas}/{deployment.replicas} ready
            </span>
            {deployment.conditions.map((c) => (
              <Badge
                key={c.type}
                tone={c.status === 'True' ? (c.type === 'ReplicaFailure' ? 'red' : 'green') : 'amber'}
                title={c.message}
                aria-label={`Deployment condition ${c.type}: ${c.status}${c.reason ? ` (${c.reason})` : ''}`}
              >
                {c.type}={c.status}
                {c.reason ? ` · ${c.reason}` : ''}
              </Badge>
            ))}
          </Row>
        )}
        {replicaSets.map((rs) => (
          <Row key={rs.key} kind="ReplicaSet" name={rs.name}>
            <span>
              {rs.readyReplicas}/{rs.replicas} ready
            </span>
          </Row>
        ))}
        {services.map((s) => (
          <Row key={s.key} kind="Service" name={s.name}>
            <Badge>{s.type}</Badge>
            <span>{s.ports.map((p) => `${p.name ?? ''}:${p.port}${p.nodePort ? `→${p.nodePort}` : ''}`).join(', ')}</span>
          </Row>
        ))}
        {configMaps.map((c) => (
          <Row key={c.key} kind="ConfigMap" name={c.name}>
            <span className="font-mono">{c.dataKeys.join(', ')}</span>
          </Row>
        ))}
      </ul>
    </Card>
  );
}
