'use client';

import { useId, type ReactNode } from 'react';

/** A labelled control of the run form, with its help and its error. */
export function RunField({ label, help, issue, children }: { label: string; help?: string; issue?: string; children: (p: { id: string; 'aria-describedby'?: string; 'aria-invalid': boolean }) => ReactNode }) {
  const id = useId();
  const describedBy = [help ? `${id}-help` : '', issue ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': Boolean(issue) })}
      {help && (
        <p id={`${id}-help`} className="text-xs text-slate-500">
          {help}
        </p>
      )}
      {issue && (
        <p id={`${id}-error`} className="text-xs text-red-700">
          {issue}
        </p>
      )}
    </div>
  );
}
