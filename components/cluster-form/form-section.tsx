'use client';

import { useState, type ReactNode } from 'react';

/**
 * A collapsible part of the form. Open state is the user's: issues open it, but their going away
 * never closes it again (a controlled `open` attribute would collapse it under the typing user).
 */
export function FormSection({ title, description, defaultOpen = false, hasIssues = false, children }: {
  title: string;
  description?: string;
  defaultOpen?: boolean;
  hasIssues?: boolean;
  children: ReactNode;
}) {
  const [open, setOpen] = useState(defaultOpen || hasIssues);
  const [hadIssues, setHadIssues] = useState(hasIssues);
  if (hasIssues !== hadIssues) {
    // Adjusting state while rendering (React's pattern for "state follows a prop change").
    setHadIssues(hasIssues);
    if (hasIssues) setOpen(true);
  }
  return (
    <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)} className="group rounded-xl border border-slate-200 bg-white shadow-sm">
      <summary className="flex cursor-pointer list-none items-center justify-between gap-3 px-4 py-3 select-none">
        <span>
          <span className="text-sm font-semibold text-slate-900">{title}</span>
          {description && <span className="ml-2 text-xs text-slate-500">{description}</span>}
        </span>
        <span className="flex items-center gap-2">
          {hasIssues && <span className="rounded-full bg-red-50 px-2 py-0.5 text-xs font-medium text-red-700 ring-1 ring-red-600/20 ring-inset">Needs attention</span>}
          <span aria-hidden className="text-slate-400 transition-transform group-open:rotate-90">›</span>
        </span>
      </summary>
      <div className="space-y-4 border-t border-slate-100 px-4 py-4">{children}</div>
    </details>
  );
}
