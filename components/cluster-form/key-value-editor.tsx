'use client';

import { useId } from 'react';
import { Button } from '@/components/ui/button';
import { inputClass, IssueList } from './field';
import type { Issue, KeyValue } from './form-draft';

type Props = {
  /** Accessible name of the list, e.g. "JobManager node selector". */
  label: string;
  option?: string;
  rows: KeyValue[];
  onChange: (rows: KeyValue[]) => void;
  issues?: Issue[];
  keyPlaceholder?: string;
  valuePlaceholder?: string;
  /** Offered while typing (real node labels, known option keys); free entry stays possible. */
  keySuggestions?: string[];
  valueSuggestions?: (key: string) => string[];
};

/** Editable key/value rows. */
export function KeyValueEditor({ label, option, rows, onChange, issues = [], keyPlaceholder = 'key', valuePlaceholder = 'value', keySuggestions, valueSuggestions }: Props) {
  const id = useId();
  const set = (i: number, patch: Partial<KeyValue>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-slate-800">
        {label} {option && <code className="ml-1 rounded bg-slate-100 px-1 py-0.5 font-mono text-[11px] font-normal text-slate-600">{option}</code>}
      </legend>
      {keySuggestions && (
        <datalist id={`${id}-keys`}>
          {keySuggestions.map((k) => <option key={k} value={k} />)}
        </datalist>
      )}
      {rows.map((row, i) => (
        <div key={i} className="flex items-center gap-2">
          <input
            aria-label={`${label} key ${i + 1}`}
            value={row.key}
            list={keySuggestions ? `${id}-keys` : undefined}
            placeholder={keyPlaceholder}
            spellCheck={false}
            onChange={(e) => set(i, { key: e.target.value })}
            className={`${inputClass} font-mono`}
          />
          <span aria-hidden className="text-slate-400">=</span>
          {valueSuggestions && (
            <datalist id={`${id}-values-${i}`}>
              {valueSuggestions(row.key).map((v) => <option key={v} value={v} />)}
            </datalist>
          )}
          <input
            aria-label={`${label} value ${i + 1}`}
            value={row.value}
            list={valueSuggestions ? `${id}-values-${i}` : undefined}
            placeholder={valuePlaceholder}
            spellCheck={false}
            onChange={(e) => set(i, { value: e.target.value })}
            className={`${inputClass} font-mono`}
          />
          <Button variant="ghost" aria-label={`Remove ${label} row ${i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
            ✕
          </Button>
        </div>
      ))}
      <Button variant="ghost" className="text-brand-700" onClick={() => onChange([...rows, { key: '', value: '' }])}>
        + Add {label.toLowerCase()}
      </Button>
      <IssueList issues={issues} />
    </fieldset>
  );
}
