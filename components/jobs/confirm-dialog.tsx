'use client';

import { useEffect, useId, useRef, type FormEvent, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';

/**
 * A modal confirmation (the native <dialog>: focus trap, Escape closes): says what will happen,
 * holds the action's fields, and confirms with a named button.
 */
export function ConfirmDialog({
  open,
  title,
  confirmLabel,
  danger = false,
  busy = false,
  error,
  onConfirm,
  onClose,
  children,
}: {
  open: boolean;
  title: string;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  error?: string;
  onConfirm: () => void;
  onClose: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onConfirm();
  };
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={onClose}
      className="m-auto w-[min(32rem,calc(100vw-2rem))] rounded-xl border border-slate-200 bg-white p-0 shadow-xl backdrop:bg-slate-900/40"
    >
      {open && (
        <form onSubmit={submit} className="space-y-4 p-5">
          <h2 id={titleId} className="text-base font-semibold text-slate-900">
            {title}
          </h2>
          <div className="space-y-3 text-sm text-slate-700">{children}</div>
          {error && (
            <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
              {error}
            </p>
          )}
          <div className="flex justify-end gap-2">
            <Button onClick={onClose}>Back</Button>
            <Button type="submit" variant="primary" disabled={busy} className={danger ? 'bg-red-700 hover:bg-red-800' : undefined}>
              {busy ? 'Sending…' : confirmLabel}
            </Button>
          </div>
        </form>
      )}
    </dialog>
  );
}
