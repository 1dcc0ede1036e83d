'use client';

import { Button } from '@/components/ui/button';
import { TOLERATION_EFFECTS } from '@/lib/flink/cluster-spec-schema';
import type { NodeSummary } from '@/lib/queries/create-cluster-queries';
import { inputClass, IssueList } from './field';
import type { Issue, TolerationDraft } from './form-draft';

type Props = {
  label: string;
  option: string;
  rows: TolerationDraft[];
  onChange: (rows: TolerationDraft[]) => void;
  issues?: Issue[];
  /** The cluster's real taints, offered as one-click tolerations. */
  nodes?: NodeSummary[];
};

const empty: TolerationDraft = { key: '', operator: 'Equal', value: '', effect: 'NoSchedule', tolerationSeconds: '' };

/** Tolerations: key, operator, value, effect; plus the taints the nodes really carry. */
export function TolerationEditor({ label, option, rows, onChange, issues = [], nodes = [] }: Props) {
  const set = (i: number, patch: Partial<TolerationDraft>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const taints = nodes.flatMap((n) => n.taints.map((t) => ({ ...t, node: n.name })));
  const unique = taints.filter((t, i) => taints.findIndex((o) => o.key === t.key && o.value === t.value && o.effect === t.effect) === i);
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-slate-800">
        {label} <code className="ml-1 rounded bg-slate-100 px-1 py-0.5 font-mono text-[11px] font-normal text-slate-600">{option}</code>
      </legend>
      {rows.map((row, i) => (
        <div key={i} className="grid grid-cols-[minmax(6rem,1fr)_6.5rem_minmax(5rem,1fr)_9rem_auto] items-center gap-2">
          <input aria-label={`${label} key ${i + 1}`} value={row.key} placeholder="key" onChange={(e) => set(i, { key: e.target.value })} className={`${inputClass} font-mono`} />
          <select aria-label={`${label} operator ${i + 1}`} value={row.operator} onChange={(e) => set(i, { operator: e.target.value })} className={inputClass}>
            <option value="Equal">Equal</option>
            <option value="Exists">Exists</option>
          </select>
          <input aria-label={`${label} value ${i + 1}`} value={row.value} placeholder="value" disabled={row.operator === 'Exists'} onChange={(e) => set(i, { value: e.target.value })} className={`${inputClass} font-mono`} />
          <select aria-label={`${label} effect ${i + 1}`} value={row.effect} onChange={(e) => set(i, { effect: e.target.value })} className={inputClass}>
            <option value="">any effect</option>
            {TOLERATION_EFFECTS.map((e) => <option key={e} value={e}>{e}</option>)}
          </select>
          <Button variant="ghost" aria-label={`Remove ${label} row ${i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
            ✕
          </Button>
        </div>
      ))}
      <div className="flex flex-wrap items-center gap-2">
        <Button variant="ghost" className="text-brand-700" onClick={() => onChange([...rows, empty])}>
          + Add toleration
        </Button>
        {unique.map((t) => (
          <Button
            key={`${t.key}=${t.value}:${t.effect}`}
            variant="secondary"
            className="font-mono text-xs"
            title={`taint on node ${t.node}`}
            aria-label={`${label}: tolerate taint ${t.key}=${t.value ?? ''}:${t.effect}`}
            onClick={() => onChange([...rows, { key: t.key, operator: t.value ? 'Equal' : 'Exists', value: t.value ?? '', effect: t.effect, tolerationSeconds: '' }])}
          >
            + {t.key}={t.value ?? ''}:{t.effect}
          </Button>
        ))}
      </div>
      <IssueList issues={issues} prefix={(i) => `Toleration ${Number(i.path.split('.').at(-2)) + 1}: `} />
    </fieldset>
  );
}
