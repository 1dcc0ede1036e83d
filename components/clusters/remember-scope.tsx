'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import type { Scope } from '@/lib/api/scope';

export const SCOPE_STORAGE_KEY = 'flink-dashboard:last-scope';

function readStored(): Partial<Scope> | undefined {
  try {
    const value: unknown = JSON.parse(window.localStorage.getItem(SCOPE_STORAGE_KEY) ?? 'null');
    if (typeof value !== 'object' || value === null) return undefined;
    const { context, namespace } = value as Record<string, unknown>;
    return { context: typeof context === 'string' ? context : undefined, namespace: typeof namespace === 'string' ? namespace : undefined };
  } catch {
    return undefined;
  }
}

/**
 * The last context and namespace, remembered per browser (localStorage). The URL wins: only a
 * visit whose URL names neither is sent to the remembered scope, and only to a context that still
 * exists in the kubeconfig. Every scope shown is remembered.
 */
export function RememberScope({ scope, fromUrl, contexts }: { scope: Scope; fromUrl: boolean; contexts: string[] }) {
  const router = useRouter();
  useEffect(() => {
    if (!fromUrl) {
      const stored = readStored();
      if (stored?.context && contexts.includes(stored.context) && stored.namespace) {
        if (stored.context !== scope.context || stored.namespace !== scope.namespace) {
          const params = new URLSearchParams(window.location.search);
          params.set('context', stored.context);
          params.set('namespace', stored.namespace);
          router.replace(`${window.location.pathname}?${params}`);
          return;
        }
      }
    }
    try {
      window.localStorage.setItem(SCOPE_STORAGE_KEY, JSON.stringify(scope));
    } catch {
      // storage full or disabled: nothing to remember
    }
  }, [scope, fromUrl, contexts, router]);
  return null;
}
