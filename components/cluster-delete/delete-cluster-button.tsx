'use client';

import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { usePermission } from '@/lib/queries/permission-queries';
import { DeleteClusterDialog } from './delete-cluster-dialog';
import { deleteCluster } from './delete-queries';

function Spinner() {
  return <span aria-hidden className="size-3 animate-spin rounded-full border-2 border-red-300 border-t-red-700" />;
}

/**
 * The Delete button of a list row or the cluster page: opens the one confirmation, sends the delete,
 * then shows live progress: "Deleting…" from the Deployment's deletionTimestamp (the watch streams
 * it) and, on the page, how many of its objects are still there, until the Deployment is gone.
 * A failure stays next to the button, with the reason. A user whose Kubernetes rights do not allow
 * deleting (GET /api/permissions) sees no button: on the cluster page, the reason instead.
 */
export function DeleteClusterButton({
  namespace,
  clusterId,
  context,
  deletionTimestamp,
  remaining,
  exists = true,
  compact = false,
}: {
  namespace: string;
  clusterId: string;
  /** Defaults to the page's ?context=. */
  context?: string;
  deletionTimestamp?: string;
  /** Objects of the cluster still present (the cluster page counts them from its watch). */
  remaining?: number;
  /** false once the Deployment is gone (the page knows from its watch). */
  exists?: boolean;
  compact?: boolean;
}) {
  const fromUrl = useSearchParams().get('context') ?? undefined;
  const target = { context: context ?? fromUrl, namespace, clusterId };
  const [open, setOpen] = useState(false);
  const mutation = useMutation({ mutationFn: (purgeHaData: boolean) => deleteCluster(target, purgeHaData) });
  const permission = usePermission({ context: target.context, namespace }, 'deleteCluster');
  const finished = mutation.isSuccess && (mutation.data.state === 'gone' || !exists);
  const deleting = !finished && (Boolean(deletionTimestamp) || mutation.isPending || mutation.isSuccess);
  const leftoversHref = `/clusters/leftovers?${new URLSearchParams({ ...(target.context ? { context: target.context } : {}), namespace })}`;

  return (
    <span className={compact ? 'inline-flex flex-col items-end gap-1' : 'inline-flex flex-wrap items-center justify-end gap-2'}>
      {deleting ? (
        <span role="status" aria-label={`Deleting ${clusterId}`} className="inline-flex items-center gap-1.5 text-sm font-medium text-red-800">
          <Spinner />
          Deleting…
          {remaining !== undefined && remaining > 0 && (
            <span className="font-normal text-slate-600">
              {remaining} object{remaining === 1 ? '' : 's'} left
            </span>
          )}
        </span>
      ) : finished ? (
        <span role="status" className="text-sm text-slate-600">
          {mutation.data.alreadyGone || mutation.data.state === 'gone' ? mutation.data.message : `Deleted cluster ${clusterId}.`}
        </span>
      ) : !exists ? null : permission.allowed === false ? (
        compact ? null : (
          <span className="max-w-xs text-sm text-slate-600" data-testid="delete-not-allowed">
            {permission.reason}
          </span>
        )
      ) : (
        <button
          type="button"
          onClick={() => setOpen(true)}
          aria-label={`Delete cluster ${clusterId}`}
          className={
            compact
              ? 'rounded-md px-2 py-1 text-sm font-medium text-red-700 hover:bg-red-50'
              : 'inline-flex items-center rounded-md px-3 py-1.5 text-sm font-medium text-red-700 ring-1 ring-red-200 ring-inset hover:bg-red-50'
          }
        >
          Delete
        </button>
      )}
      {mutation.isError && !deleting && (
        <span role="alert" className={compact ? 'max-w-xs text-right text-xs text-red-800' : 'max-w-xs text-left text-sm text-red-800'}>
          Not deleted: {mutation.error.message}
        </span>
      )}
      {mutation.isSuccess && mutation.data.keptConfigMaps.length > 0 && !compact && (
        <Link href={leftoversHref} className="text-sm text-brand-700 hover:underline">
          Kept HA data
        </Link>
      )}
      {open && (
        <DeleteClusterDialog
          target={target}
          onClose={() => setOpen(false)}
          onConfirm={(purge) => {
            setOpen(false);
            mutation.mutate(purge);
          }}
        />
      )}
    </span>
  );
}
