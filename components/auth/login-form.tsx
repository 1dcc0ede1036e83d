'use client';

import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { csrfHeaders } from '@/lib/security/csrf-token';

type Props = { mode?: 'token' | 'oidc'; providerName?: string; next: string; problem?: string; error?: string };

/** The token field (static-token mode) or "Sign in with <provider>" (OIDC). Errors are shown in plain words. */
export function LoginForm({ mode, providerName, next, problem, error: initialError }: Props) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>(initialError);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const res = await fetch('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...csrfHeaders() },
        body: JSON.stringify({ token }),
      });
      if (res.ok) {
        window.location.assign(next);
        return;
      }
      const body = (await res.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
      setError(body?.error?.message ?? `Sign-in failed (HTTP ${res.status}).`);
    } catch {
      setError('The dashboard did not answer. Check your connection and try again.');
    } finally {
      setBusy(false);
    }
  }

  if (problem) {
    return (
      <p role="alert" className="mt-4 rounded-md bg-red-50 p-3 text-sm text-red-800 ring-1 ring-inset ring-red-200">
        {problem}
      </p>
    );
  }
  if (mode === 'oidc') {
    return (
      <div className="mt-4 space-y-4">
        {error && (
          <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800 ring-1 ring-inset ring-red-200">
            {error}
          </p>
        )}
        <a
          href={`/api/auth/oidc/login?next=${encodeURIComponent(next)}`}
          className="inline-flex w-full items-center justify-center rounded-md bg-brand-700 px-3 py-2 text-sm font-medium text-white shadow-sm hover:bg-brand-800"
        >
          Sign in with {providerName}
        </a>
      </div>
    );
  }
  return (
    <form className="mt-4 space-y-4" onSubmit={onSubmit} noValidate>
      <div>
        <label htmlFor="token" className="block text-sm font-medium text-slate-800">
          Access token
        </label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="current-password"
          required
          value={token}
          onChange={(e) => setToken(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'token-error' : 'token-help'}
          className="mt-1 block w-full rounded-md border-0 px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-600"
        />
        {error ? (
          <p id="token-error" role="alert" className="mt-2 text-sm text-red-700">
            {error}
          </p>
        ) : (
          <p id="token-help" className="mt-2 text-xs text-slate-500">
            The token your administrator gave you (it starts with fdt_).
          </p>
        )}
      </div>
      <Button type="submit" variant="primary" className="w-full" disabled={busy || token.trim() === ''}>
        {busy ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}
