'use client';

import clsx from 'clsx';

const modes = [
  { value: 'session', label: 'Session cluster', help: 'kubernetes-session.sh: a JobManager that accepts jobs.' },
  { value: 'application', label: 'Application cluster', help: 'flink run-application (flink run -t kubernetes-application on 2.x): one job, its own cluster.' },
] as const;

export function ModeSwitch({ value, onChange }: { value: 'session' | 'application'; onChange: (v: 'session' | 'application') => void }) {
  return (
    <div role="radiogroup" aria-label="Cluster mode" className="grid gap-2 sm:grid-cols-2">
      {modes.map((m) => (
        <label
          key={m.value}
          className={clsx(
            'flex cursor-pointer items-start gap-3 rounded-xl border bg-white px-4 py-3 shadow-sm transition-colors',
            value === m.value ? 'border-brand-500 ring-1 ring-brand-500' : 'border-slate-200 hover:border-slate-300',
          )}
        >
          <input type="radio" name="mode" value={m.value} checked={value === m.value} onChange={() => onChange(m.value)} className="mt-1 accent-brand-600" />
          <span>
            <span className="block text-sm font-semibold text-slate-900">{m.label}</span>
            <span className="block text-xs text-slate-500">{m.help}</span>
          </span>
        </label>
      ))}
    </div>
  );
}
