'use client';

import { Button } from '@/components/ui/button';
import { ModalDialog } from '@/components/ui/modal-dialog';
import type { HaLeftoverChoice } from '@/lib/queries/create-cluster-queries';

/** Asks what to do with an earlier cluster's HA ConfigMaps before creating one with the same id. */
export function HaLeftoversDialog({ clusterId, configMaps, onChoose, onCancel }: {
  clusterId: string;
  configMaps: string[];
  onChoose: (choice: HaLeftoverChoice) => void;
  onCancel: () => void;
}) {
  return (
    <ModalDialog
      title={`An earlier cluster ${clusterId} left high-availability data`}
      onCancel={onCancel}
      actions={
        <>
          <Button onClick={onCancel}>Cancel</Button>
          <Button onClick={() => onChoose('purge')}>Purge and create</Button>
          <Button variant="primary" onClick={() => onChoose('recover')}>
            Recover and create
          </Button>
        </>
      }
    >
      <p>
        These ConfigMaps hold its leader and job state: <span className="font-mono">{configMaps.join(', ')}</span>. Recover resumes its
        jobs from their last checkpoints; purge deletes them and starts fresh.
      </p>
    </ModalDialog>
  );
}
