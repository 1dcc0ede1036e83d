import clsx from 'clsx';
import type { ReactNode } from 'react';

const tones = {
  error: 'border-red-200 bg-red-50 text-red-800',
  warning: 'border-amber-200 bg-amber-50 text-amber-900',
  info: 'border-sky-200 bg-sky-50 text-sky-900',
} as const;

/** A boxed message. Errors use role=alert so screen readers announce them. */
export function Alert({
  tone = 'error',
  title,
  children,
  action,
}: {
  tone?: keyof typeof tones;
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div role={tone === 'error' ? 'alert' : 'status'} className={clsx('rounded-lg border p-4', tones[tone])}>
      <div className="flex items-start justify-between gap-4">
        <div className="min-w-0">
          <p className="font-semibold">{title}</p>
          {children && <div className="mt-1 text-sm break-words opacity-90">{children}</div>}
        </div>
        {action}
      </div>
    </div>
  );
}
