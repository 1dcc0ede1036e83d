'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import type { Preset } from '@/lib/queries/create-cluster-queries';
import { inputClass } from './field';

/** Load or delete a saved preset, or save the current form as one (a ConfigMap in the namespace). */
export function PresetBar({ presets, onLoad, onSave, onDelete, busy, error }: {
  presets: Preset[];
  onLoad: (preset: Preset) => void;
  onSave: (name: string) => void;
  onDelete: (name: string) => void;
  busy: boolean;
  error?: string;
}) {
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState('');
  const preset = presets.find((p) => p.name === chosen);
  return (
    <div className="flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white px-4 py-3 shadow-sm">
      <label className="flex flex-col gap-1 text-xs font-medium text-slate-600">
        Preset
        <select aria-label="Preset" value={preset ? chosen : ''} disabled={presets.length === 0} onChange={(e) => setChosen(e.target.value)} className={`${inputClass} w-56`}>
          <option value="">{presets.length ? 'Choose…' : 'No presets yet'}</option>
          {presets.map((p) => <option key={p.name} value={p.name}>{p.name}</option>)}
        </select>
      </label>
      <Button disabled={!preset} onClick={() => preset && onLoad(preset)}>
        Load preset
      </Button>
      <Button variant="ghost" disabled={!preset || busy} onClick={() => preset && onDelete(preset.name)}>
        Delete preset
      </Button>
      {/* Not a nested <form>: this sits inside the cluster form, so Enter saves here instead of creating. */}
      <div className="ml-auto flex items-end gap-2">
        <label className="flex flex-col gap-1 text-xs font-medium text-slate-600">
          Preset name
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => {
              if (e.key !== 'Enter') return;
              e.preventDefault();
              if (name.trim()) onSave(name.trim());
            }}
            placeholder="small-session"
            className={`${inputClass} w-48 font-mono`}
          />
        </label>
        <Button disabled={busy || !name.trim()} onClick={() => onSave(name.trim())}>
          {busy ? 'Saving…' : 'Save as preset'}
        </Button>
      </div>
      {error && <p role="alert" className="w-full text-xs font-medium text-red-700">{error}</p>}
    </div>
  );
}
