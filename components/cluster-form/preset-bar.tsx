'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import type { Preset } from '@/lib/queries/cluster-form-queries';
import { inputClass } from './field';

/** Load a saved preset, or save the current form as one (a ConfigMap in the namespace). */
export function PresetBar({ presets, onLoad, onSave, saving, saveError }: {
  presets: Preset[];
  onLoad: (preset: Preset) => void;
  onSave: (name: string) => void;
  saving: boolean;
  saveError?: string;
}) {
  const [name, setName] = useState('');
  return (
    <div className="flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white px-4 py-3 shadow-sm">
      <label className="flex flex-col gap-1 text-xs font-medium text-slate-600">
        Load preset
        <select
          aria-label="Load preset"
          value=""
          disabled={presets.length === 0}
          onChange={(e) => {
            const preset = presets.find((p) => p.name === e.target.value);
            if (preset) onLoad(preset);
          }}
          className={`${inputClass} w-56`}
        >
          <option value="">{presets.length ? 'Choose…' : 'No presets yet'}</option>
          {presets.map((p) => <option key={p.name} value={p.name}>{p.name}</option>)}
        </select>
      </label>
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
        <Button disabled={saving || !name.trim()} onClick={() => onSave(name.trim())}>
          {saving ? 'Saving…' : 'Save as preset'}
        </Button>
      </div>
      {saveError && <p role="alert" className="w-full text-xs font-medium text-red-700">{saveError}</p>}
    </div>
  );
}
