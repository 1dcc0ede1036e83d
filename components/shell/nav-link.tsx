'use client';

import clsx from 'clsx';
import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import type { ReactNode } from 'react';

const isUnder = (pathname: string, href: string) => pathname === href || pathname.startsWith(`${href}/`);

/**
 * A sidebar link that keeps the chosen context and namespace, and marks the current page. `except`
 * names sub-paths that have a link of their own (so /clusters is not marked on /clusters/new).
 */
export function NavLink({ href, except = [], children }: { href: string; except?: string[]; children: ReactNode }) {
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const keep = new URLSearchParams();
  for (const key of ['context', 'namespace']) {
    const value = searchParams.get(key);
    if (value) keep.set(key, value);
  }
  const query = keep.toString();
  const active = isUnder(pathname, href) && !except.some((e) => isUnder(pathname, e));
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
