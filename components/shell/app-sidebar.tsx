'use client';

import clsx from 'clsx';
import Link from 'next/link';
import { Suspense, useEffect, useId, useRef, useState } from 'react';
import { NavLink } from './nav-link';
import { UserMenu } from './user-menu';

function Logo() {
  return (
    <svg viewBox="0 0 32 32" aria-hidden className="size-8">
      <rect width="32" height="32" rx="8" className="fill-brand-500" />
      <path d="M9 23V9h12v3.2h-8.2v2.6h7v3.1h-7V23z" className="fill-white" />
    </svg>
  );
}

function Brand({ tabIndex }: { tabIndex?: number }) {
  return (
    <Link href="/clusters" className="flex items-center gap-3 rounded-md" tabIndex={tabIndex}>
      <Logo />
      <span className="leading-tight">
        <span className="block text-sm font-semibold">Flink Native</span>
        <span className="block text-xs text-slate-400">Dashboard</span>
      </span>
    </Link>
  );
}

function MenuIcon({ open }: { open: boolean }) {
  return (
    <svg viewBox="0 0 20 20" aria-hidden className="size-5" fill="none" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round">
      {open ? <path d="M5 5l10 10M15 5L5 15" /> : <path d="M3 5.5h14M3 10h14M3 14.5h14" />}
    </svg>
  );
}

const links = [
  { href: '/clusters', label: 'Clusters', except: ['/clusters/new', '/clusters/leftovers'] },
  { href: '/clusters/new', label: 'New cluster', requires: 'createCluster' as const },
  { href: '/clusters/leftovers', label: 'Leftover HA data' },
];

const iconButton =
  'inline-flex items-center gap-2 rounded-md px-2.5 py-1.5 text-sm font-medium text-slate-200 ring-1 ring-inset ring-slate-700 hover:bg-white/10 hover:text-white';

/**
 * The app's navigation. From the lg breakpoint (1024 px) it is a sidebar column; below, a top bar
 * whose Menu button (aria-expanded) opens the same navigation as an overlay panel. The open panel
 * takes focus, and Escape, the close button, the backdrop, following a link or tabbing out of it
 * closes it (focus goes back to the Menu button when it was closed from the keyboard).
 */
export function AppSidebar() {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const menuButton = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    panel.current?.querySelector<HTMLElement>('nav a')?.focus();
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      menuButton.current?.focus();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [open]);

  return (
    <aside className="shrink-0 bg-slate-900 text-white lg:flex lg:min-h-screen lg:w-60 lg:flex-col">
      <div className="flex items-center justify-between gap-3 px-4 py-3 lg:px-5 lg:py-4">
        <Brand />
        <button
          ref={menuButton}
          type="button"
          className={clsx(iconButton, 'lg:hidden')}
          aria-expanded={open}
          aria-controls={panelId}
          onClick={() => setOpen((o) => !o)}
        >
          <MenuIcon open={false} />
          Menu
        </button>
      </div>
      {open && <div aria-hidden className="fixed inset-0 z-40 bg-slate-950/50 lg:hidden" onClick={() => setOpen(false)} />}
      <div
        ref={panel}
        id={panelId}
        className={clsx(
          'flex-col bg-slate-900 lg:static lg:flex lg:flex-1 lg:shadow-none',
          open ? 'fixed inset-y-0 left-0 z-50 flex w-64 max-w-[85vw] overflow-y-auto shadow-xl' : 'hidden',
        )}
        onClick={(e) => {
          if ((e.target as HTMLElement).closest('a')) setOpen(false);
        }}
        onBlur={(e) => {
          // Tabbing out of the open panel closes it, so it never covers the element that has focus.
          const next = e.relatedTarget as Node | null;
          if (open && next && !e.currentTarget.contains(next) && next !== menuButton.current) setOpen(false);
        }}
      >
        <div className="flex items-center justify-between gap-3 px-4 py-3 lg:hidden">
          <Brand tabIndex={-1} />
          <button
            type="button"
            className={iconButton}
            onClick={() => {
              setOpen(false);
              menuButton.current?.focus();
            }}
          >
            <MenuIcon open />
            <span className="sr-only">Close menu</span>
          </button>
        </div>
        <nav aria-label="Main" className="flex flex-col gap-1 px-3 pb-3">
          <Suspense>
            {links.map((l) => (
              <NavLink key={l.href} href={l.href} except={l.except} requires={l.requires}>
                {l.label}
              </NavLink>
            ))}
          </Suspense>
        </nav>
        <div className="mt-auto">
          <UserMenu />
          <p className="px-5 pb-4 text-xs text-slate-400">Apache Flink on native Kubernetes</p>
        </div>
      </div>
    </aside>
  );
}
