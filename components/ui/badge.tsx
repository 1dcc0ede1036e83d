import clsx from 'clsx';
import type { ReactNode } from 'react';

const tones = {
  gray: 'bg-slate-100 text-slate-700 ring-slate-500/20',
  green: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20',
  amber: 'bg-amber-50 text-amber-800 ring-amber-600/25',
  red: 'bg-red-50 text-red-700 ring-red-600/20',
  blue: 'bg-sky-50 text-sky-700 ring-sky-600/20',
  violet: 'bg-violet-50 text-violet-700 ring-violet-600/20',
  orange: 'bg-brand-50 text-brand-700 ring-brand-600/25',
} as const;

export type BadgeTone = keyof typeof tones;

/** A small status label. Always carries text, so colour is never the only signal. */
export function Badge({
  tone = 'gray',
  dot = false,
  children,
  className,
  ...rest
}: { tone?: BadgeTone; dot?: boolean; children: ReactNode; className?: string } & React.HTMLAttributes<HTMLSpanElement>) {
  return (
    <span
      className={clsx(
        'inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset',
        tones[tone],
        className,
      )}
      {...rest}
    >
      {dot && <span aria-hidden className="size-1.5 rounded-full bg-current" />}
      {children}
    </span>
  );
}
