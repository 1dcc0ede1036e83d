'use client';

import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'next/navigation';
import { Badge } from '@/components/ui/badge';
import { CodeBlock } from '@/components/ui/code-block';
import type { ConfigMapDto, DeploymentDto, ReplicaSetDto, ServiceDto } from '@/lib/flink/cluster-detail-objects';
import { fetchJson } from '@/lib/queries/fetch-json';
import { Card } from './card';

type Props = {
  namespace?: string;
  clusterId?: string;
  deployment?: DeploymentDto;
  replicaSets: ReplicaSetDto[];
  configMaps: ConfigMapDto[];
  services: ServiceDto[];
};

type Where = { namespace: string; clusterId: string; context?: string };

function configUrl(where: Where, suffix: string, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({ ...(where.context ? { context: where.context } : {}), ...extra });
  return `/api/clusters/${encodeURIComponent(where.namespace)}/${encodeURIComponent(where.clusterId)}/config${suffix}?${q}`;
}

/** Text read on demand (when a toggle opens), with its loading and error states. */
function Fetched({ queryKey, url, pick, label }: { queryKey: unknown[]; url: string; pick: (body: never) => string; label: string }) {
  const query = useQuery({ queryKey, queryFn: () => fetchJson<never>(url), retry: false, staleTime: 0 });
  if (query.status === 'pending') return <p className="text-xs text-slate-500">Reading…</p>;
  if (query.status === 'error') return <p role="alert" className="text-xs text-red-700">{query.error.message}</p>;
  return <CodeBlock label={label}>{pick(query.data)}</CodeBlock>;
}

function Toggle({ open, onClick, children, label }: { open: boolean; onClick: () => void; children: React.ReactNode; label: string }) {
  return (
    <button
      type="button"
      aria-expanded={open}
      aria-label={label}
      onClick={onClick}
      className="rounded px-1.5 py-0.5 text-xs font-medium text-sky-800 ring-1 ring-sky-200 hover:bg-sky-50"
    >
      {children}
    </button>
  );
}

function Row({
  kind,
  name,
  where,
  configFile,
  children,
}: {
  kind: 'Deployment' | 'ReplicaSet' | 'Service' | 'ConfigMap';
  name: string;
  where?: Where;
  /** The Flink configuration file this ConfigMap holds (flink-config-<id>). */
  configFile?: string;
  children?: React.ReactNode;
}) {
  const [open, setOpen] = useState<'yaml' | 'config' | undefined>(undefined);
  const flip = (what: 'yaml' | 'config') => setOpen((o) => (o === what ? undefined : what));
  return (
    <li className="py-2 text-sm">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <span className="w-24 shrink-0 text-xs font-semibold tracking-wide text-slate-500 uppercase">{kind}</span>
        <span className="font-mono text-slate-800">{name}</span>
        <span className="flex flex-wrap items-center gap-2 text-xs text-slate-500">{children}</span>
        {where && (
          <span className="ml-auto flex gap-2">
            {configFile && (
              <Toggle open={open === 'config'} onClick={() => flip('config')} label={`Show ${configFile} of ${name}`}>
                {configFile}
              </Toggle>
            )}
            <Toggle open={open === 'yaml'} onClick={() => flip('yaml')} label={`YAML of ${kind} ${name}`}>
              YAML
            </Toggle>
          </span>
        )}
      </div>
      {where && open === 'yaml' && (
        <div className="mt-2 max-h-96 overflow-auto">
          <Fetched
            queryKey={['cluster-object-yaml', where, kind, name]}
            url={configUrl(where, '/object', { kind, name })}
            pick={(b: { yaml: string }) => b.yaml}
            label={`YAML of ${kind} ${name}`}
          />
        </div>
      )}
      {where && open === 'config' && (
        <div className="mt-2 max-h-96 overflow-auto">
          <Fetched
            queryKey={['cluster-config-file', where]}
            url={configUrl(where, '')}
            pick={(b: { content: string; hidden: boolean }) =>
              b.hidden ? `# Values of sensitive keys are hidden (******), as Flink hides them.\n${b.content}` : b.content
            }
            label={`${configFile} of ${name}`}
          />
        </div>
      )}
    </li>
  );
}

/** The Kubernetes objects of the cluster, with the Deployment's conditions; each one can be shown as YAML. */
export function ObjectList({ namespace, clusterId, deployment, replicaSets, configMaps, services }: Props) {
  const context = useSearchParams()?.get('context') ?? undefined;
  const where = namespace && clusterId ? { namespace, clusterId, context } : undefined;
  return (
    <Card title="Kubernetes objects" id="objects-heading">
      <ul aria-label="Kubernetes objects" className="-my-2 divide-y divide-slate-100">
        {deployment && (
          <Row kind="Deployment" name={deployment.name} where={where}>
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
          <Row key={rs.key} kind="ReplicaSet" name={rs.name} where={where}>
            <span>
              {rs.readyReplicas}/{rs.replicas} ready
            </span>
          </Row>
        ))}
        {services.map((s) => (
          <Row key={s.key} kind="Service" name={s.name} where={where}>
            <Badge>{s.type}</Badge>
            <span>{s.ports.map((p) => `${p.name ?? ''}:${p.port}${p.nodePort ? `→${p.nodePort}` : ''}`).join(', ')}</span>
          </Row>
        ))}
        {configMaps.map((c) => (
          <Row
            key={c.key}
            kind="ConfigMap"
            name={c.name}
            where={where}
            configFile={
              clusterId && c.name === `flink-config-${clusterId}`
                ? (['flink-conf.yaml', 'config.yaml'].find((f) => c.dataKeys.includes(f)) ?? undefined)
                : undefined
            }
          >
            <span className="font-mono">{c.dataKeys.join(', ')}</span>
          </Row>
        ))}
      </ul>
    </Card>
  );
}
