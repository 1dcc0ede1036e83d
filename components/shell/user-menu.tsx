'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { csrfHeaders } from '@/lib/security/csrf-token';

export type SessionInfo = {
  mode: 'none' | 'token' | 'oidc' | 'unknown';
  signedIn: boolean;
  user?: string;
  groups?: string[];
  providerName?: string;
  problem?: string;
};

export const sessionQuery = {
  queryKey: ['auth', 'session'] as const,
  queryFn: async (): Promise<SessionInfo> => {
    const res = await fetch('/api/auth/session', { cache: 'no-store' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return (await res.json()) as SessionInfo;
  },
  staleTime: 60_000,
};

/**
 * The sidebar's foot: who you are (name and groups) with "Sign out", or, without login (mode none),
 * a note that everyone acts with the dashboard's own Kubernetes credentials.
 */
export function UserMenu() {
  const { data } = useQuery(sessionQuery);
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  if (!data) return null;
  if (data.mode === 'none') {
    return (
      <div role="note" aria-label="No login" className="mx-3 mb-3 rounded-md bg-amber-400/10 px-3 py-2 text-xs text-amber-200 ring-1 ring-inset ring-amber-400/30">
        <p className="font-semibold text-amber-100">No login</p>
        <p className="mt-0.5">Everyone who reaches this page acts with the dashboard&apos;s own Kubernetes credentials.</p>
        {data.problem && <p className="mt-1 text-red-300">{data.problem}</p>}
      </div>
    );
  }
  if (!data.signedIn) return null;

  async function signOut() {
    setBusy(true);
    setError(undefined);
    try {
      const res = await fetch('/api/auth/logout', { method: 'POST', headers: csrfHeaders() });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      queryClient.clear();
      // A full load, not a client navigation: nothing of the signed-in pages stays in memory.
      window.location.replace(new URL('/login', window.location.href).href);
    } catch {
      setError('Signing out failed; try again.');
      setBusy(false);
    }
  }

  return (
    <section aria-label="Signed in user" className="mx-3 mb-3 rounded-md bg-white/5 px-3 py-2 text-sm ring-1 ring-inset ring-slate-700">
      <p className="text-xs text-slate-400">Signed in as</p>
      <p className="truncate font-medium text-white" data-testid="user-name" title={data.user}>
        {data.user}
      </p>
      {data.groups && data.groups.length > 0 && (
        <p className="truncate text-xs text-slate-400" title={data.groups.join(', ')}>
          Groups: {data.groups.join(', ')}
        </p>
      )}
      <button
        type="button"
        onClick={signOut}
        disabled={busy}
        className="mt-2 inline-flex items-center rounded-md px-2 py-1 text-xs font-medium text-slate-200 ring-1 ring-inset ring-slate-600 hover:bg-white/10 hover:text-white disabled:opacity-50"
      >
        {busy ? 'Signing out…' : 'Sign out'}
      </button>
      {error && (
        <p role="alert" className="mt-1 text-xs text-red-300">
          {error}
        </p>
      )}
    </section>
  );
}
