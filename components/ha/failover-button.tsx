'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { ModalDialog } from '@/components/ui/modal-dialog';
import { failoverQueries, type FailoverRef } from './failover-queries';

/** "Test failover": deletes the leader JobManager pod after confirmation, if the user may delete pods. */
export function FailoverButton({ failoverRef, leaderPod }: { failoverRef: FailoverRef; leaderPod?: string }) {
  const permission = useQuery(failoverQueries.permission(failoverRef));
  const [confirming, setConfirming] = useState(false);
  const mutation = useMutation({ mutationFn: (pod: string) => failoverQueries.run(failoverRef, pod) });
  const allowed = permission.data?.allowed === true;
  const title = permission.data && !allowed ? permission.data.reason : permission.error ? permission.error.message : !leaderPod ? 'There is no leader pod to delete.' : undefined;
  return (
    <div className="flex items-center gap-2">
      {mutation.isSuccess && (
        <span role="status" className="text-xs text-slate-600">
          Deleted {mutation.data.deletedPod}
        </span>
      )}
      {mutation.isError && (
        <span role="alert" className="max-w-xs text-xs text-red-700">
          {mutation.error.message}
        </span>
      )}
      <Button onClick={() => setConfirming(true)} disabled={!allowed || !leaderPod || mutation.isPending} title={title}>
        {mutation.isPending ? 'Deleting…' : 'Test failover'}
      </Button>
      {confirming && leaderPod && (
        <ConfirmFailover
          pod={leaderPod}
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            mutation.mutate(leaderPod);
          }}
        />
      )}
    </div>
  );
}

function ConfirmFailover({ pod, onCancel, onConfirm }: { pod: string; onCancel: () => void; onConfirm: () => void }) {
  return (
    <ModalDialog
      title="Delete the leader JobManager?"
      onCancel={onCancel}
      actions={
        <>
          <Button onClick={onCancel}>Cancel</Button>
          <Button variant="primary" onClick={onConfirm}>
            Delete leader pod
          </Button>
        </>
      }
    >
      <p>
        This deletes pod <span className="font-mono">{pod}</span>, as a crash would. A standby JobManager should take over within the lease
        duration and recover the jobs from their last checkpoints; the Deployment starts a replacement pod. Jobs pause until then.
      </p>
    </ModalDialog>
  );
}
