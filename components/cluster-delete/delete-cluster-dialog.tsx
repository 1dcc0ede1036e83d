'use client';

import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { useModalDialog } from '@/components/ui/modal-dialog';
import { Skeleton } from '@/components/ui/skeleton';
import type { DeletePlan, PlannedObject } from '@/lib/k8s/clusters/delete-plan-types';
import { usePermission } from '@/lib/queries/permission-queries';
import { DangerButton } from './danger-button';
import { deleteQueries, type DeleteTarget } from './delete-queries';
import { HaJobs } from './ha-jobs';

function ObjectItems({ objects, label }: { objects: PlannedObject[]; label: string }) {
  return (
    <ul aria-label={label} className="space-y-0.5 text-sm">
      {objects.map((o) => (
        <li key={`${o.kind}/${o.name}`} data-object={`${o.kind}/${o.name}`} className="flex items-baseline gap-x-2">
          <span className="w-32 shrink-0 text-slate-500">{o.kind}</span>
          <span className="min-w-0 font-mono text-xs break-all text-slate-900">{o.name}</span>
          {o.deleting && <span className="text-xs text-slate-500">(terminating)</span>}
        </li>
      ))}
    </ul>
  );
}

function PlanBody({ plan, purge, onPurge, purgeRefused }: { plan: DeletePlan; purge: boolean; onPurge: (v: boolean) => void; purgeRefused?: string }) {
  const checkboxId = useId();
  const ha = plan.stays.highAvailability;
  const haObjects: PlannedObject[] = ha.configMaps.map((name) => ({ kind: 'ConfigMap', name }));
  const goes = purge ? [...plan.goes, ...haObjects] : plan.goes;
  const keptObjects: PlannedObject[] = [
    ...(purge ? [] : haObjects),
    { kind: 'ServiceAccount', name: plan.stays.serviceAccount.name },
    ...plan.stays.rbac,
  ];
  return (
    <div className="space-y-4">
      <section aria-labelledby={`${checkboxId}-goes`} className="space-y-1.5">
        <h3 id={`${checkboxId}-goes`} className="text-sm font-semibold text-slate-900">
          What goes ({goes.length})
        </h3>
        {plan.exists ? (
          <p className="text-xs text-slate-500">The JobManager Deployment, and every object owner-referenced to it, read from the cluster now.</p>
        ) : (
          <p className="text-sm text-slate-600">There is no Deployment {plan.clusterId} any more: nothing else is deleted.</p>
        )}
        <ObjectItems objects={goes} label="Objects deleted" />
      </section>

      <section aria-labelledby={`${checkboxId}-stays`} className="space-y-1.5">
        <h3 id={`${checkboxId}-stays`} className="text-sm font-semibold text-slate-900">
          What stays ({keptObjects.length})
        </h3>
        <ObjectItems objects={keptObjects} label="Objects kept" />
        <p className="text-xs text-slate-500">
          ServiceAccount {plan.stays.serviceAccount.name}
          {plan.stays.rbac.length > 0 && ' and its Role and RoleBinding'} are shared by the clusters of namespace {plan.namespace}.
        </p>
      </section>

      {(ha.enabled || ha.configMaps.length > 0) && (
        <section aria-labelledby={`${checkboxId}-ha`} className="space-y-2 rounded-lg border border-slate-200 bg-slate-50 p-3">
          <h3 id={`${checkboxId}-ha`} className="text-sm font-semibold text-slate-900">
            High-availability data
          </h3>
          <p className="text-sm text-slate-700">{plan.note}</p>
          <HaJobs jobs={ha.jobs} label="Jobs in the HA data" />
          <p className="text-sm text-slate-700">
            Files under <span className="font-mono text-xs break-all" aria-label="HA storage path">{ha.dataPath ?? ha.storageDir ?? 'high-availability.storageDir (not found in the configuration)'}</span> are
            outside Kubernetes: they are <strong>not deleted</strong>, with or without the box below.
          </p>
          {ha.configMaps.length > 0 && (
            <label htmlFor={checkboxId} className="flex items-start gap-2 text-sm text-slate-800">
              <input
                id={checkboxId}
                type="checkbox"
                className="mt-0.5 size-4 accent-red-700"
                checked={purge}
                disabled={purgeRefused !== undefined}
                onChange={(e) => onPurge(e.target.checked)}
              />
              <span>
                Also delete the {ha.configMaps.length} HA ConfigMap{ha.configMaps.length === 1 ? '' : 's'}: a new cluster {plan.clusterId} then starts
                without its jobs.
                {purgeRefused !== undefined && <span className="block text-slate-600">{purgeRefused}</span>}
              </span>
            </label>
          )}
        </section>
      )}
    </div>
  );
}

/** One confirmation: what goes, what stays, and the choice to delete the HA ConfigMaps too. */
export function DeleteClusterDialog({ target, onConfirm, onClose }: { target: DeleteTarget; onConfirm: (purgeHaData: boolean) => void; onClose: () => void }) {
  const ref = useModalDialog();
  const titleId = useId();
  const [purge, setPurge] = useState(false);
  const plan = useQuery(deleteQueries.plan(target));
  const purgePermission = usePermission({ context: target.context, namespace: target.namespace }, 'purgeHaData');
  const canDelete = plan.status === 'success' && (plan.data.exists || (purge && plan.data.stays.highAvailability.configMaps.length > 0));
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={onClose}
      className="m-auto w-[min(40rem,calc(100vw-2rem))] max-h-[calc(100dvh-2rem)] overflow-hidden rounded-xl p-0 text-left shadow-xl backdrop:bg-slate-900/40"
    >
      <div className="flex max-h-[calc(100dvh-2rem)] flex-col">
        <div className="border-b border-slate-100 px-5 pt-5 pb-3">
          <h2 id={titleId} className="text-base font-semibold text-slate-900">
            Delete cluster <span className="font-mono break-all">{target.clusterId}</span>?
          </h2>
          <p className="text-sm text-slate-500">Namespace {target.namespace}</p>
        </div>
        {/* The plan scrolls; the buttons stay in view. Focusable so it scrolls by keyboard too. */}
        <div role="region" aria-label="What the delete does" tabIndex={0} className="min-h-0 flex-1 space-y-4 overflow-y-auto px-5 py-4">
          {plan.status === 'pending' && (
            <div className="space-y-2" aria-busy="true" aria-label="Reading what the delete removes">
              {[0, 1, 2].map((i) => (
                <Skeleton key={i} className="h-6 w-full" />
              ))}
            </div>
          )}
          {plan.status === 'error' && <Alert title="Cannot tell what the delete would remove">{plan.error.message}</Alert>}
          {plan.status === 'success' && <PlanBody plan={plan.data} purge={purge} onPurge={setPurge} purgeRefused={purgePermission.allowed === false ? purgePermission.reason : undefined} />}
        </div>
        <div className="flex flex-wrap justify-end gap-2 border-t border-slate-100 px-5 py-4">
          <Button onClick={onClose}>Cancel</Button>
          <DangerButton disabled={!canDelete} onClick={() => onConfirm(purge)}>
            {purge ? 'Delete cluster and HA data' : 'Delete cluster'}
          </DangerButton>
        </div>
      </div>
    </dialog>
  );
}
