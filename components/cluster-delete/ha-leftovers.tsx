'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Age } from '@/components/ui/age';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { useModalDialog } from '@/components/ui/modal-dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { Skeleton } from '@/components/ui/skeleton';
import { isAllNamespaces, type Scope } from '@/lib/api/scope';
import type { HaLeftover } from '@/lib/k8s/clusters/delete-plan-types';
import { DangerButton } from './danger-button';
import { deleteQueries, purgeLeftover } from './delete-queries';
import { HaJobs } from './ha-jobs';

function PurgeDialog({ leftover, onConfirm, onClose }: { leftover: HaLeftover; onConfirm: () => void; onClose: () => void }) {
  const ref = useModalDialog();
  const titleId = useId();
  return (
    <dialog ref={ref} aria-labelledby={titleId} onCancel={onClose} className="m-auto w-[min(32rem,calc(100vw-2rem))] rounded-xl p-0 text-left shadow-xl backdrop:bg-slate-900/40">
      <div className="space-y-3 p-5">
        <h2 id={titleId} className="text-base font-semibold text-slate-900">
          Purge the HA data of <span className="font-mono">{leftover.clusterId}</span>?
        </h2>
        <p className="text-sm text-slate-700">
          Deletes {leftover.configMaps.length === 1 ? 'this ConfigMap' : `these ${leftover.configMaps.length} ConfigMaps`} in namespace {leftover.namespace}:
        </p>
        <ul className="space-y-0.5 font-mono text-xs text-slate-900" aria-label="ConfigMaps to purge">
          {leftover.configMaps.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
        <p className="text-sm text-slate-700">
          A new cluster {leftover.clusterId} then starts without {leftover.jobs.length === 1 ? 'this job' : 'these jobs'}.
          {leftover.dataPath && (
            <>
              {' '}
              The files under <span className="font-mono text-xs break-all">{leftover.dataPath}</span> are outside Kubernetes and are not deleted.
            </>
          )}
        </p>
        <div className="flex justify-end gap-2 border-t border-slate-100 pt-4">
          <Button onClick={onClose}>Cancel</Button>
          <DangerButton onClick={onConfirm}>Purge HA data</DangerButton>
        </div>
      </div>
    </dialog>
  );
}

function LeftoverCard({ leftover, context, showNamespace }: { leftover: HaLeftover; context: string; showNamespace: boolean }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const headingId = useId();
  const purge = useMutation({
    mutationFn: () => purgeLeftover({ context, namespace: leftover.namespace, clusterId: leftover.clusterId }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['ha-leftovers'] }),
  });
  return (
    <article aria-labelledby={headingId} className="space-y-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 id={headingId} className="font-mono text-base font-semibold break-all text-slate-900">
            {leftover.clusterId}
          </h2>
          <p className="text-sm text-slate-500">
            {showNamespace && <>Namespace {leftover.namespace} · </>}
            {leftover.createdAt && (
              <>
                written <Age since={leftover.createdAt} /> ago ·{' '}
              </>
            )}
            no Deployment {leftover.clusterId} any more
          </p>
        </div>
        <DangerButton disabled={purge.isPending} onClick={() => setConfirming(true)} aria-label={`Purge HA data of ${leftover.clusterId}`}>
          {purge.isPending ? 'Purging…' : 'Purge'}
        </DangerButton>
      </div>
      <div className="grid gap-4 md:grid-cols-2">
        <div className="min-w-0 space-y-1">
          <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">ConfigMaps</h3>
          <ul className="space-y-0.5 font-mono text-xs break-all text-slate-800" aria-label={`HA ConfigMaps of ${leftover.clusterId}`}>
            {leftover.configMaps.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
          {leftover.dataPath && (
            <p className="pt-1 text-xs text-slate-500">
              Files: <span className="font-mono break-all">{leftover.dataPath}</span> (outside Kubernetes, never deleted here)
            </p>
          )}
        </div>
        <div className="min-w-0 space-y-1">
          <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Would recover</h3>
          <HaJobs jobs={leftover.jobs} label={`Jobs of ${leftover.clusterId}`} />
        </div>
      </div>
      {purge.isError && <Alert title="Not purged">{purge.error.message}</Alert>}
      {confirming && (
        <PurgeDialog
          leftover={leftover}
          onClose={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            purge.mutate();
          }}
        />
      )}
    </article>
  );
}

/** HA ConfigMaps whose cluster no longer exists, grouped by cluster id, each with a confirmed purge. */
export function HaLeftovers({ scope }: { scope: Scope }) {
  const query = useQuery(deleteQueries.leftovers(scope));
  const where = isAllNamespaces(scope.namespace) ? 'all namespaces' : `namespace ${scope.namespace}`;
  return (
    <section aria-labelledby="leftovers-heading" className="space-y-4">
      <div>
        <h1 id="leftovers-heading" className="text-xl font-semibold text-slate-900">
          Leftover HA data
        </h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-500">
          High-availability ConfigMaps in {where} whose cluster no longer exists. A new cluster with the same id recovers their jobs from the
          checkpoints shown; purge them to start that id afresh.
        </p>
      </div>
      {query.status === 'pending' && (
        <div className="space-y-2 rounded-xl border border-slate-200 bg-white p-4" aria-busy="true" aria-label="Loading leftover HA data">
          {[0, 1].map((i) => (
            <Skeleton key={i} className="h-8 w-full" />
          ))}
        </div>
      )}
      {query.status === 'error' && (
        <Alert title="The HA ConfigMaps could not be listed" action={<Button onClick={() => void query.refetch()}>Try again</Button>}>
          {query.error.message}
        </Alert>
      )}
      {query.status === 'success' && query.data.length === 0 && (
        <EmptyState title="No leftover HA data">Every HA ConfigMap in {where} belongs to a cluster that exists.</EmptyState>
      )}
      {query.status === 'success' &&
        query.data.map((l) => <LeftoverCard key={`${l.namespace}/${l.clusterId}`} leftover={l} context={scope.context} showNamespace={isAllNamespaces(scope.namespace)} />)}
    </section>
  );
}
