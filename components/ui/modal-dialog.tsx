'use client';

import { useEffect, useId, useRef, type ReactNode } from 'react';

/**
 * A native <dialog> shown as a modal while the component is mounted (focus trap; Escape calls the
 * dialog's onCancel), closed when it unmounts. Answers the ref to put on the <dialog>.
 */
export function useModalDialog() {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return ref;
}

/**
 * A modal question with a few answers: the title (which names the dialog), what it is about, and the
 * buttons. Escape or the caller's own Cancel button calls `onCancel`.
 */
export function ModalDialog({ title, onCancel, actions, children }: { title: ReactNode; onCancel: () => void; actions: ReactNode; children: ReactNode }) {
  const ref = useModalDialog();
  const titleId = useId();
  return (
    <dialog ref={ref} aria-labelledby={titleId} onCancel={onCancel} className="m-auto max-w-lg rounded-xl p-0 shadow-xl backdrop:bg-slate-900/40">
      <div className="space-y-3 p-5">
        <h2 id={titleId} className="text-base font-semibold text-slate-900">
          {title}
        </h2>
        <div className="text-sm text-slate-600">{children}</div>
        <div className="flex justify-end gap-2 pt-2">{actions}</div>
      </div>
    </dialog>
  );
}
