'use client';

import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import { clusterSpecSchema, toFieldIssues } from '@/lib/flink/cluster-spec-schema';
import { ClientApiError } from '@/lib/queries/fetch-json';
import { createClusterQueries, useCreateCluster, useDeletePreset, useSavePreset, type HaLeftoverChoice } from '@/lib/queries/create-cluster-queries';
import { ClusterFormView } from './cluster-form-view';
import { changedFields, countFields, createDefaultDraft, fromPresetSpec, toSpecInput, visibleIssues, type FormDraft, type Issue } from './form-draft';
import { HaLeftoversDialog } from './ha-leftovers-dialog';
import type { PreviewState } from './preview-panel';
import type { NodesResult } from './scheduling-section';
import { useDebouncedValue } from './use-debounced-value';

const PREVIEW_DEBOUNCE_MS = 300;

function toIssues(err: unknown): Issue[] {
  return err instanceof ClientApiError && err.issues ? err.issues : [];
}

/** What stands between the form and a preview, when no field is marked yet (nothing typed). */
function invalidPreviewMessage(draft: FormDraft, marked: boolean): string {
  if (marked) return 'Fix the marked fields to see the preview.';
  const missing = [draft.clusterId.trim() === '' ? 'a cluster id' : '', draft.mode === 'application' && draft.application.jarUri.trim() === '' ? 'the jar URI' : ''].filter(Boolean);
  return missing.length > 0 ? `Enter ${missing.join(' and ')} to see what will be created.` : 'Complete the form to see the preview: press Create to mark what is missing.';
}

/** The create-cluster form: client validation with the shared schema, debounced preflight, create. */
export function ClusterForm({ context, namespace }: { context: string; namespace: string }) {
  const router = useRouter();
  const [draft, setDraft] = useState<FormDraft>(() => createDefaultDraft(namespace));
  const [submitted, setSubmitted] = useState(false);
  // Fields the user changed: their issues show at once, the others only after a submit was tried.
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  const [haDialog, setHaDialog] = useState<string[] | null>(null);
  const input = useMemo(() => toSpecInput(draft), [draft]);
  const parsed = useMemo(() => clusterSpecSchema.safeParse(input), [input]);
  const clientIssues: Issue[] = parsed.success ? [] : toFieldIssues(parsed.error.issues);
  const debounced = useDebouncedValue(input, PREVIEW_DEBOUNCE_MS);
  const debouncedValid = useMemo(() => clusterSpecSchema.safeParse(debounced).success, [debounced]);

  const preflight = useQuery({ ...createClusterQueries.preflight(context, debounced), enabled: debouncedValid });
  const nodesQuery = useQuery(createClusterQueries.nodes(context));
  const secretsQuery = useQuery(createClusterQueries.secrets(context, draft.namespace));
  const configMapsQuery = useQuery(createClusterQueries.configMaps(context, draft.namespace));
  const presetsQuery = useQuery(createClusterQueries.presets(context, draft.namespace));
  const create = useCreateCluster(context);
  const savePreset = useSavePreset(context);
  const deletePreset = useDeletePreset(context);

  // The preflight and a refused create often say the same thing (a taken id): each message once.
  const serverIssues = parsed.success ? [...toIssues(preflight.error), ...(create.isError ? toIssues(create.error) : [])] : [];
  const allIssues = [...clientIssues, ...serverIssues.filter((s) => !clientIssues.some((c) => c.path === s.path))];
  const issues = visibleIssues(allIssues, touched, submitted);

  const preview: PreviewState = !parsed.success
    ? { status: 'invalid', message: invalidPreviewMessage(draft, issues.length > 0) }
    : preflight.data && !preflight.isError
      ? { status: 'success', report: preflight.data, refreshing: preflight.isFetching || !debouncedValid || debounced !== input }
      : preflight.isError
        ? // A refusal on a field (a taken id) is said on that field; the preview only points there.
          { status: 'error', message: toIssues(preflight.error).length > 0 ? 'Fix the marked fields to see the preview.' : preflight.error.message }
        : { status: 'pending' };
  const nodes: NodesResult = nodesQuery.isSuccess
    ? { status: 'success', nodes: nodesQuery.data }
    : nodesQuery.isError
      ? { status: 'error', message: nodesQuery.error.message }
      : { status: 'pending' };

  const doCreate = (haLeftovers?: HaLeftoverChoice) => {
    setHaDialog(null);
    create.mutate(
      { ...input, ...(haLeftovers ? { haLeftovers } : {}) },
      { onSuccess: (c) => router.push(`/clusters/${c.namespace}/${c.clusterId}?${new URLSearchParams({ context })}`) },
    );
  };
  const onSubmit = () => {
    setSubmitted(true);
    if (!parsed.success || create.isPending) return;
    const leftovers = preflight.data && debounced === input ? preflight.data.haLeftovers : [];
    if (leftovers.length > 0) setHaDialog(leftovers);
    else doCreate();
  };
  const createError = create.isError && toIssues(create.error).length === 0 ? create.error.message : create.isError ? 'Some fields were refused; see the marked fields.' : undefined;

  return (
    <>
      <ClusterFormView
        draft={draft}
        onChange={(next) => {
          const changed = changedFields(draft, next);
          if (changed.some((f) => !touched.has(f))) setTouched(new Set([...touched, ...changed]));
          setDraft(next);
          if (create.isError) create.reset();
        }}
        issues={issues}
        fieldsNeedingAttention={countFields(issues)}
        nodes={nodes}
        secrets={secretsQuery.data ?? []}
        configMaps={configMapsQuery.data ?? []}
        presets={presetsQuery.data ?? []}
        onLoadPreset={(p) => {
          const next = fromPresetSpec(p.spec, { clusterId: draft.clusterId, namespace: draft.namespace });
          setTouched(new Set([...touched, ...changedFields(draft, next)]));
          setDraft(next);
        }}
        onSavePreset={(name) => {
          const { clusterId: _id, ...spec } = input;
          void _id;
          savePreset.mutate({ namespace: draft.namespace, name, spec });
        }}
        onDeletePreset={(name) => deletePreset.mutate({ namespace: draft.namespace, name })}
        savingPreset={savePreset.isPending || deletePreset.isPending}
        presetError={savePreset.isError ? savePreset.error.message : deletePreset.isError ? deletePreset.error.message : undefined}
        preview={preview}
        creating={create.isPending || create.isSuccess}
        createError={createError}
        onSubmit={onSubmit}
      />
      {haDialog && <HaLeftoversDialog clusterId={draft.clusterId} configMaps={haDialog} onChoose={doCreate} onCancel={() => setHaDialog(null)} />}
    </>
  );
}
