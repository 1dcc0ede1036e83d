import clsx from 'clsx';
import type { LiveStatus } from '@/lib/live/use-watch-stream';

const look = {
  live: { text: 'Live', className: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20', dot: 'bg-emerald-500' },
  connecting: { text: 'Connecting…', className: 'bg-slate-100 text-slate-600 ring-slate-500/20', dot: 'bg-slate-400 animate-pulse' },
  reconnecting: { text: 'Reconnecting…', className: 'bg-amber-50 text-amber-800 ring-amber-600/25', dot: 'bg-amber-500 animate-pulse' },
} as const;

/** Whether the list on screen is being kept up to date, in words (not just colour). */
export function LiveIndicator({ status }: { status: LiveStatus }) {
  const l = look[status.state];
  return (
    <span
      role="status"
      aria-live="polite"
      title={status.message}
      className={clsx('inline-flex items-center gap-2 rounded-full px-2.5 py-1 text-xs font-medium ring-1 ring-inset', l.className)}
    >
      <span aria-hidden className={clsx('size-2 rounded-full', l.dot)} />
      {l.text}
    </span>
  );
}
