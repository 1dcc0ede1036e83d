'use client';

import { usePathname, useRouter } from 'next/navigation';

export type ContextOption = { name: string; server?: string };

/** Picks the kubeconfig context; the choice lives in the URL so links can be shared. */
export function ContextPicker({ contexts, current }: { contexts: ContextOption[]; current: string }) {
  const router = useRouter();
  const pathname = usePathname();
  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="text-slate-500">Context</span>
      <select
        aria-label="Kubernetes context"
        value={current}
        onChange={(e) => router.push(`${pathname}?${new URLSearchParams({ context: e.target.value })}`)}
        className="max-w-56 rounded-md border-0 bg-white py-1.5 pr-8 pl-2.5 text-sm font-medium text-slate-900 shadow-sm ring-1 ring-slate-300 ring-inset"
      >
        {contexts.map((c) => (
          <option key={c.name} value={c.name} title={c.server}>
            {c.name}
          </option>
        ))}
      </select>
    </label>
  );
}
