import type { ReactNode } from 'react';

/** A collapsible part of the form; open by default when it matters or holds an error. */
export function FormSection({ title, description, defaultOpen = false, hasIssues = false, children }: {
  title: string;
  description?: string;
  defaultOpen?: boolean;
  hasIssues?: boolean;
  children: ReactNode;
}) {
  return (
    <details open={defaultOpen || hasIssues || undefined} className="group rounded-xl border border-slate-200 bg-white shadow-sm">
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
