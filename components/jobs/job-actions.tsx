'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import type { JobDetail } from '@/lib/jobs/job-views';
import { ClientApiError } from '@/lib/queries/fetch-json';
import { jobQueries, type JobClusterRef, type OperationKind } from '@/lib/queries/job-queries';
import { usePermission } from '@/lib/queries/permission-queries';
import { ConfirmDialog } from './confirm-dialog';
import { TERMINAL_JOB_STATES } from './format';

type Action = 'savepoint' | 'checkpoint' | 'stop' | 'cancel';

/** One operation started from this page, followed until it ends. */
type Operation = { key: number; label: string } & ({ kind: OperationKind; triggerId: string } | { kind: 'cancel' });

const inputClass = 'mt-1 w-full rounded-md border border-slate-300 px-2.5 py-1.5 font-mono text-sm focus:border-brand-600 focus:outline-none focus:ring-1 focus:ring-brand-600';

const FIELD_LABELS: Record<string, string> = { targetDirectory: 'The target directory', formatType: 'The format', checkpointType: 'The checkpoint type', drain: 'Drain' };

function messageOf(err: unknown): string {
  if (err instanceof ClientApiError) {
    const issue = err.issues?.[0];
    if (!issue) return err.message;
    return issue.path ? `${FIELD_LABELS[issue.path] ?? issue.path} ${issue.message}` : issue.message;
  }
  return err instanceof Error ? err.message : String(err);
}

function OperationRow({ clusterRef, jobId, op, jobState }: { clusterRef: JobClusterRef; jobId: string; op: Operation; jobState: string }) {
  const query = useQuery({ ...jobQueries.operation(clusterRef, jobId, op.kind === 'cancel' ? 'savepoints' : op.kind, op.kind === 'cancel' ? '' : op.triggerId), enabled: op.kind !== 'cancel' });
  let state: { tone: 'amber' | 'green' | 'red'; text: string; detail?: string };
  if (op.kind === 'cancel') {
    state = TERMINAL_JOB_STATES.includes(jobState) ? { tone: jobState === 'CANCELED' ? 'green' : 'red', text: jobState === 'CANCELED' ? 'Completed' : 'Ended', detail: `The job is ${jobState}.` } : { tone: 'amber', text: 'In progress', detail: `The job is ${jobState}.` };
  } else if (query.isError) {
    state = { tone: 'red', text: 'Unknown', detail: messageOf(query.error) };
  } else if (!query.data || query.data.status === 'IN_PROGRESS') {
    state = { tone: 'amber', text: 'In progress' };
  } else if (query.data.status === 'FAILED') {
    state = { tone: 'red', text: 'Failed', detail: query.data.cause };
  } else {
    const d = query.data;
    state = { tone: 'green', text: 'Completed', detail: d.location ?? (d.checkpointId !== undefined ? `Checkpoint #${d.checkpointId}` : undefined) };
  }
  return (
    <li className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-sm" aria-label={`${op.label}: ${state.text}`}>
      <span className="font-medium text-slate-900">{op.label}</span>
      <Badge tone={state.tone} dot>
        {state.text}
      </Badge>
      {state.detail && <span className={state.tone === 'red' ? 'text-red-700' : 'font-mono text-xs break-all text-slate-600'}>{state.detail}</span>}
    </li>
  );
}

/** Cancel, stop with a savepoint, trigger a savepoint or a checkpoint: each confirmed, each followed until it ends. */
export function JobActions({ clusterRef, job, unreadable = false }: { clusterRef: JobClusterRef; job: JobDetail; unreadable?: boolean }) {
  const [open, setOpen] = useState<Action | undefined>();
  const [ops, setOps] = useState<Operation[]>([]);
  const [targetDirectory, setTargetDirectory] = useState('');
  const [formatType, setFormatType] = useState<'CANONICAL' | 'NATIVE'>('CANONICAL');
  const [drain, setDrain] = useState(false);
  const [checkpointType, setCheckpointType] = useState<'CONFIGURED' | 'FULL' | 'INCREMENTAL'>('CONFIGURED');
  const ended = TERMINAL_JOB_STATES.includes(job.state);
  const UNREADABLE = 'The job cannot be read right now; its actions come back when it can.';
  // Savepoint, checkpoint and stop are POSTs through the REST Service's proxy; cancel a PATCH.
  const mayPost = usePermission(clusterRef, 'stopJob');
  const mayCancel = usePermission(clusterRef, 'cancelJob');
  const dir = targetDirectory.trim() === '' ? undefined : targetDirectory.trim();

  const mutation = useMutation({
    mutationFn: async (action: Action): Promise<Operation> => {
      const key = Date.now();
      switch (action) {
        case 'savepoint': {
          const r = await jobQueries.savepoint(clusterRef, job.id, { targetDirectory: dir, formatType });
          return { key, label: `Savepoint (${formatType.toLowerCase()})`, kind: 'savepoints', triggerId: r.triggerId! };
        }
        case 'stop': {
          const r = await jobQueries.stop(clusterRef, job.id, { targetDirectory: dir, drain });
          return { key, label: drain ? 'Stop with a savepoint (drain)' : 'Stop with a savepoint', kind: 'savepoints', triggerId: r.triggerId! };
        }
        case 'checkpoint': {
          const r = await jobQueries.checkpoint(clusterRef, job.id, { checkpointType });
          return { key, label: `Checkpoint (${checkpointType.toLowerCase()})`, kind: 'checkpoints', triggerId: r.triggerId! };
        }
        case 'cancel':
          await jobQueries.cancel(clusterRef, job.id);
          return { key, label: 'Cancel', kind: 'cancel' };
      }
    },
    onSuccess: (op) => {
      setOps((prev) => [op, ...prev]);
      setOpen(undefined);
    },
  });

  const show = (a: Action) => {
    mutation.reset();
    setOpen(a);
  };
  const close = () => setOpen(undefined);
  const confirm = () => open && mutation.mutate(open);
  const dirField = (required: boolean) => (
    <label className="block">
      <span className="font-medium text-slate-800">Target directory</span>
      <input
        className={inputClass}
        value={targetDirectory}
        onChange={(e) => setTargetDirectory(e.target.value)}
        placeholder="s3://bucket/savepoints or file:///flink/savepoints"
        spellCheck={false}
        aria-describedby="target-directory-help"
        required={required}
      />
      <span id="target-directory-help" className="mt-1 block text-xs text-slate-500">
        A URI with a scheme. Empty uses the cluster&apos;s default savepoint directory (<span className="font-mono">execution.checkpointing.savepoint-dir</span>; <span className="font-mono">state.savepoints.dir</span> before Flink 2.0), if it has one.
      </span>
    </label>
  );
  const common = { busy: mutation.isPending, error: mutation.isError ? messageOf(mutation.error) : undefined, onConfirm: confirm, onClose: close };

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-2" role="group" aria-label="Job actions">
        <Button onClick={() => show('savepoint')} disabled={ended || unreadable || mayPost.allowed === false} title={mayPost.reason ?? (unreadable ? UNREADABLE : undefined)}>Trigger savepoint</Button>
        <Button onClick={() => show('checkpoint')} disabled={ended || unreadable || mayPost.allowed === false} title={mayPost.reason ?? (unreadable ? UNREADABLE : undefined)}>Trigger checkpoint</Button>
        <Button onClick={() => show('stop')} disabled={ended || unreadable || mayPost.allowed === false} title={mayPost.reason ?? (unreadable ? UNREADABLE : undefined)}>Stop with savepoint</Button>
        <Button onClick={() => show('cancel')} disabled={ended || unreadable || mayCancel.allowed === false} title={mayCancel.reason ?? (unreadable ? UNREADABLE : undefined)} className="text-red-700">Cancel job</Button>
      </div>
      {!ended && (mayPost.allowed === false || mayCancel.allowed === false) && (
        <p className="text-sm text-slate-600">{[mayPost.reason, mayCancel.reason].filter(Boolean).join(' ')}</p>
      )}
      {ops.length > 0 && (
        <ul aria-label="Operations" className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
          {ops.map((op) => (
            <OperationRow key={op.key} clusterRef={clusterRef} jobId={job.id} op={op} jobState={job.state} />
          ))}
        </ul>
      )}

      <ConfirmDialog open={open === 'savepoint'} title="Trigger a savepoint" confirmLabel="Trigger savepoint" {...common}>
        <p>Flink writes a savepoint of job {job.name}; the job keeps running. You can restore a job from it later.</p>
        {dirField(false)}
        <fieldset>
          <legend className="font-medium text-slate-800">Format</legend>
          <label className="mr-4 inline-flex items-center gap-1.5">
            <input type="radio" name="formatType" checked={formatType === 'CANONICAL'} onChange={() => setFormatType('CANONICAL')} /> Canonical (portable between state backends)
          </label>
          <label className="inline-flex items-center gap-1.5">
            <input type="radio" name="formatType" checked={formatType === 'NATIVE'} onChange={() => setFormatType('NATIVE')} /> Native (faster)
          </label>
        </fieldset>
      </ConfirmDialog>

      <ConfirmDialog open={open === 'checkpoint'} title="Trigger a checkpoint" confirmLabel="Trigger checkpoint" {...common}>
        <p>Flink takes a checkpoint of job {job.name} now, besides its regular ones; the job keeps running.</p>
        <label className="block">
          <span className="font-medium text-slate-800">Checkpoint type</span>
          <select className={inputClass} value={checkpointType} onChange={(e) => setCheckpointType(e.target.value as typeof checkpointType)}>
            <option value="CONFIGURED">As configured</option>
            <option value="FULL">Full</option>
            <option value="INCREMENTAL">Incremental</option>
          </select>
        </label>
      </ConfirmDialog>

      <ConfirmDialog open={open === 'stop'} title="Stop the job with a savepoint" confirmLabel="Stop job" danger {...common}>
        <p>Flink takes a savepoint of job {job.name} and then stops it (FINISHED). Resume it later from the savepoint.</p>
        {dirField(false)}
        <label className="flex items-start gap-2">
          <input type="checkbox" checked={drain} onChange={(e) => setDrain(e.target.checked)} className="mt-1" />
          <span>
            <span className="font-medium text-slate-800">Drain</span>: emit MAX_WATERMARK first, firing every event-time timer and window (for a job you will not resume).
          </span>
        </label>
      </ConfirmDialog>

      <ConfirmDialog open={open === 'cancel'} title="Cancel the job" confirmLabel="Cancel job" danger {...common}>
        <p>
          Job {job.name} stops at once, without a savepoint (CANCELED). Its state is kept only in its latest retained checkpoint, if any.
        </p>
      </ConfirmDialog>
    </div>
  );
}
