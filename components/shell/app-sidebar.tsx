import Link from 'next/link';
import { Suspense } from 'react';
import { NavLink } from './nav-link';

function Logo() {
  return (
    <svg viewBox="0 0 32 32" aria-hidden className="size-8">
      <rect width="32" height="32" rx="8" className="fill-brand-500" />
      <path d="M9 23V9h12v3.2h-8.2v2.6h7v3.1h-7V23z" className="fill-white" />
    </svg>
  );
}

const links = [
  { href: '/clusters', label: 'Clusters', except: ['/clusters/new'] },
  { href: '/clusters/new', label: 'New cluster' },
];

export function AppSidebar() {
  return (
    <aside className="flex w-full shrink-0 flex-col bg-slate-900 text-white md:min-h-screen md:w-60">
      <Link href="/clusters" className="flex items-center gap-3 px-5 py-4">
        <Logo />
        <span className="leading-tight">
          <span className="block text-sm font-semibold">Flink Native</span>
          <span className="block text-xs text-slate-400">Dashboard</span>
        </span>
      </Link>
      <nav aria-label="Main" className="flex flex-row gap-1 px-3 pb-3 md:flex-col">
        <Suspense>
          {links.map((l) => (
            <NavLink key={l.href} href={l.href} except={l.except}>
              {l.label}
            </NavLink>
          ))}
        </Suspense>
      </nav>
      <p className="mt-auto hidden px-5 py-4 text-xs text-slate-500 md:block">Apache Flink on native Kubernetes</p>
    </aside>
  );
}
