'use client';

import type { NodeSummary } from '@/lib/queries/create-cluster-queries';
import { FormSection } from './form-section';
import { issuesAt, type KeyValue, type TolerationDraft } from './form-draft';
import { KeyValueEditor } from './key-value-editor';
import type { SectionProps } from './section-props';
import { TolerationEditor } from './toleration-editor';

export type NodesResult = { status: 'pending' } | { status: 'error'; message: string } | { status: 'success'; nodes: NodeSummary[] };

/** Node selectors and tolerations for JobManager and TaskManagers, from the cluster's real nodes. */
export function SchedulingSection({ draft, onChange, issues, nodes }: SectionProps & { nodes: NodesResult }) {
  const list = nodes.status === 'success' ? nodes.nodes : [];
  const labelKeys = [...new Set(list.flatMap((n) => Object.keys(n.labels)))].sort();
  const valuesOf = (key: string) => [...new Set(list.map((n) => n.labels[key]).filter((v): v is string => v !== undefined))].sort();
  const setPod = (role: 'jobManager' | 'taskManager', patch: { nodeSelector?: KeyValue[]; tolerations?: TolerationDraft[] }) =>
    onChange({ ...draft, [role]: { ...draft[role], ...patch } });
  const paths = ['jobManager.nodeSelector', 'jobManager.tolerations', 'taskManager.nodeSelector', 'taskManager.tolerations'];
  return (
    <FormSection title="Scheduling" description="node selectors, tolerations" hasIssues={paths.some((p) => issuesAt(issues, p).length > 0)}>
      {nodes.status === 'error' && (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900">
          The nodes cannot be listed ({nodes.message}); type labels and taints freely.
        </p>
      )}
      {list.length > 0 && (
        <details className="rounded-md bg-slate-50 px-3 py-2 text-xs text-slate-600">
          <summary className="cursor-pointer">{list.length} nodes in this cluster</summary>
          <ul className="mt-2 space-y-1 font-mono">
            {list.map((n) => (
              <li key={n.name}>
                <span className="font-semibold text-slate-800">{n.name}</span>{' '}
                {Object.entries(n.labels).filter(([k]) => !k.startsWith('kubernetes.io/') && !k.startsWith('node.kubernetes.io/')).map(([k, v]) => `${k}=${v}`).join(' ')}
                {n.taints.length > 0 && <span className="text-amber-700"> taints: {n.taints.map((t) => `${t.key}=${t.value ?? ''}:${t.effect}`).join(' ')}</span>}
              </li>
            ))}
          </ul>
        </details>
      )}
      {(['jobManager', 'taskManager'] as const).map((role) => {
        const name = role === 'jobManager' ? 'JobManager' : 'TaskManager';
        const flinkRole = role === 'jobManager' ? 'jobmanager' : 'taskmanager';
        return (
          <div key={role} className="grid gap-4">
            <KeyValueEditor
              label={`${name} node selector`}
              option={`kubernetes.${flinkRole}.node-selector`}
              rows={draft[role].nodeSelector}
              onChange={(rows) => setPod(role, { nodeSelector: rows })}
              issues={issuesAt(issues, `${role}.nodeSelector`)}
              keyPlaceholder="label key"
              valuePlaceholder="label value"
              keySuggestions={labelKeys}
              valueSuggestions={valuesOf}
            />
            <TolerationEditor
              label={`${name} tolerations`}
              option={`kubernetes.${flinkRole}.tolerations`}
              rows={draft[role].tolerations}
              onChange={(rows) => setPod(role, { tolerations: rows })}
              issues={issuesAt(issues, `${role}.tolerations`)}
              nodes={list}
            />
          </div>
        );
      })}
    </FormSection>
  );
}
