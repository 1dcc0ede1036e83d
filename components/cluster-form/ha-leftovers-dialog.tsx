'use client';

import { useEffect, useRef } from 'react';
import { Button } from '@/components/ui/button';
import type { HaLeftoverChoice } from '@/lib/queries/create-cluster-queries';

/** Asks what to do with an earlier cluster's HA ConfigMaps before creating one with the same id. */
export function HaLeftoversDialog({ clusterId, configMaps, onChoose, onCancel }: {
  clusterId: string;
  configMaps: string[];
  onChoose: (choice: HaLeftoverChoice) => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog ref={ref} aria-labelledby="ha-dialog-title" onCancel={onCancel} className="m-auto max-w-lg rounded-xl p-0 shadow-xl backdrop:bg-slate-900/40">
      <div className="space-y-3 p-5">
        <h2 id="ha-dialog-title" className="text-base font-semibold text-slate-900">
          An earlier cluster {clusterId} left high-availability data
        </h2>
        <p className="text-sm text-slate-600">
          These ConfigMaps hold its leader and job state: <span className="font-mono">{configMaps.join(', ')}</span>. Recover resumes its
          jobs from their last checkpoints; purge deletes them and starts fresh.
        </p>
        <div className="flex justify-end gap-2 pt-2">
          <Button onClick={onCancel}>Cancel</Button>
          <Button onClick={() => onChoose('purge')}>Purge and create</Button>
          <Button variant="primary" onClick={() => onChoose('recover')}>
            Recover and create
          </Button>
        </div>
      </div>
    </dialog>
  );
}
