'use client';

import { inputClass } from '@/components/cluster-form/field';
import { Button } from '@/components/ui/button';

/** Rows of one or more text columns (program arguments, key/value options), each removable. */
export function ListEditor({ label, addLabel, columns, rows, onChange, issue }: { label: string; addLabel: string; columns: string[]; rows: string[][]; onChange: (rows: string[][]) => void; issue?: string }) {
  const set = (i: number, c: number, value: string) => onChange(rows.map((r, j) => (j === i ? r.map((v, k) => (k === c ? value : v)) : r)));
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-slate-800">{label}</legend>
      {rows.length === 0 && <p className="text-xs text-slate-500">None.</p>}
      {rows.map((row, i) => (
        <div key={i} className="flex items-center gap-2">
          {columns.map((col, c) => (
            <input key={col} aria-label={`${col} ${i + 1}`} className={`${inputClass} min-w-0 font-mono`} value={row[c]} onChange={(e) => set(i, c, e.target.value)} />
          ))}
          <Button variant="ghost" aria-label={`Remove ${columns[0].toLowerCase()} ${i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
            ✕
          </Button>
        </div>
      ))}
      <Button onClick={() => onChange([...rows, columns.map(() => '')])}>{addLabel}</Button>
      {issue && <p className="text-xs text-red-700">{issue}</p>}
    </fieldset>
  );
}
