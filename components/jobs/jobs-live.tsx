import clsx from 'clsx';
import type { LiveStatus } from '@/lib/live/use-watch-stream';

/** Whether the job views follow the JobManager, in words; not a live region (it changes rarely, and the page has one). */
export function JobsLive({ status }: { status: LiveStatus }) {
  const text = status.state === 'live' ? 'Live' : status.state === 'connecting' ? 'Connecting…' : 'Reconnecting…';
  return (
    <span title={status.message} className="inline-flex items-center gap-1.5 text-xs text-slate-500">
      <span aria-hidden className={clsx('size-2 rounded-full', status.state === 'live' ? 'bg-emerald-500' : status.state === 'connecting' ? 'bg-slate-400' : 'bg-amber-500')} />
      {text}
    </span>
  );
}
