'use client';

import clsx from 'clsx';
import Link from 'next/link';
import { useParams, usePathname, useSearchParams } from 'next/navigation';
import type { ReactNode } from 'react';
import type { DashboardAction } from '@/lib/k8s/permission-actions';
import { usePermission } from '@/lib/queries/permission-queries';

const isUnder = (pathname: string, href: string) => pathname === href || pathname.startsWith(`${href}/`);

/**
 * A sidebar link that keeps the chosen context and namespace, and marks the current page. `except`
 * names sub-paths that have a link of their own (so /clusters is not marked on /clusters/new).
 * With `requires`, it is shown only when the user may do that action in the chosen namespace
 * (GET /api/permissions): "New cluster" disappears for a user who may not create the cluster's
 * objects there. While unknown (loading, all namespaces) it stays: the form's requests get
 * Kubernetes' own answer. A cluster page names its namespace in its path (/clusters/ns/id), not in
 * ?namespace=: that one is asked about there.
 */
export function NavLink({ href, except = [], requires, children }: { href: string; except?: string[]; requires?: DashboardAction; children: ReactNode }) {
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const params = useParams<{ namespace?: string }>();
  const namespace = searchParams.get('namespace') ?? (typeof params?.namespace === 'string' ? params.namespace : '');
  const permission = usePermission(
    { context: searchParams.get('context') ?? undefined, namespace: requires ? namespace : '' },
    requires ?? 'createCluster',
  );
  const keep = new URLSearchParams();
  for (const key of ['context', 'namespace']) {
    const value = searchParams.get(key);
    if (value) keep.set(key, value);
  }
  const query = keep.toString();
  const active = isUnder(pathname, href) && !except.some((e) => isUnder(pathname, e));
  if (requires && permission.allowed === false) return null;
  return (
    <Link
      href={query ? `${href}?${query}` : href}
      aria-current={active ? 'page' : undefined}
      className={clsx(
        'flex items-center gap-2 rounded-md px-3 py-2 text-sm font-medium transition-colors',
        active ? 'bg-white/10 text-white' : 'text-slate-300 hover:bg-white/5 hover:text-white',
      )}
    >
      {children}
    </Link>
  );
}

