'use client';

import { usePathname, useRouter } from 'next/navigation';
import { useState } from 'react';
import { ALL_NAMESPACES, namespaceSchema } from '@/lib/api/scope';

const OTHER = '__other__';

type Props = {
  context: string;
  current: string;
  /** null when the context may not list namespaces: the user types one instead. */
  namespaces: string[] | null;
};

export function NamespacePicker({ context, current, namespaces }: Props) {
  const router = useRouter();
  const pathname = usePathname();
  const [typing, setTyping] = useState(namespaces === null);
  const [draft, setDraft] = useState(current === ALL_NAMESPACES ? '' : current);
  const [error, setError] = useState<string | null>(null);

  const go = (namespace: string) => router.push(`${pathname}?${new URLSearchParams({ context, namespace })}`);
  const options = namespaces && !namespaces.includes(current) && current !== ALL_NAMESPACES ? [current, ...namespaces] : namespaces;

  if (typing) {
    return (
      <form
        className="flex items-center gap-2 text-sm"
        onSubmit={(e) => {
          e.preventDefault();
          const parsed = namespaceSchema.safeParse(draft);
          if (!parsed.success || parsed.data === '') return setError(parsed.error?.issues[0]?.message ?? 'Type a namespace.');
          setError(null);
          go(parsed.data);
        }}
      >
        <label htmlFor="namespace-input" className="text-slate-500">
          Namespace
        </label>
        <input
          id="namespace-input"
          aria-label="Namespace name"
          aria-invalid={error !== null}
          aria-describedby={error ? 'namespace-error' : undefined}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          placeholder="e.g. flink"
          className="w-36 rounded-md border-0 py-1.5 px-2.5 text-sm shadow-sm ring-1 ring-slate-300 ring-inset"
        />
        <button type="submit" className="rounded-md bg-slate-800 px-2.5 py-1.5 text-xs font-medium text-white hover:bg-slate-700">
          Go
        </button>
        {namespaces !== null && (
          <button type="button" className="text-xs text-slate-500 underline" onClick={() => setTyping(false)}>
            list
          </button>
        )}
        {error && (
          <span id="namespace-error" role="alert" className="text-xs text-red-700">
            {error}
          </span>
        )}
      </form>
    );
  }
  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="text-slate-500">Namespace</span>
      <select
        aria-label="Namespace"
        value={current}
        onChange={(e) => (e.target.value === OTHER ? setTyping(true) : go(e.target.value))}
        className="max-w-72 rounded-md border-0 bg-white py-1.5 pr-8 pl-2.5 text-sm font-medium text-slate-900 shadow-sm ring-1 ring-slate-300 ring-inset"
      >
        <option value={ALL_NAMESPACES}>All namespaces</option>
        {options?.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
        <option value={OTHER}>Other…</option>
      </select>
    </label>
  );
}
