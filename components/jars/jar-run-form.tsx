'use client';

import { useId, useState, type FormEvent } from 'react';
import { inputClass } from '@/components/cluster-form/field';
import { Button } from '@/components/ui/button';
import { jarRunSchema, RESTORE_MODES } from '@/lib/jars/jar-schemas';
import { newJobId, useRunJar, type JarClusterRef, type JarDto, type JarRunInput } from '@/lib/queries/jar-queries';
import { ClientApiError } from '@/lib/queries/fetch-json';
import { FlinkError } from './flink-error';
import { ListEditor } from './list-editor';
import { RunField } from './run-field';

type Issues = Record<string, string | undefined>;

/**
 * Run a jar. The job id is made here, once per run, so a double click or a retry submits one job:
 * Flink answers the second with its duplicate-job error, shown as "already submitted".
 */
export function JarRunForm({ clusterRef, jar, restoreModeField, onClose }: { clusterRef: JarClusterRef; jar: JarDto; restoreModeField: 'restoreMode' | 'claimMode'; onClose: () => void }) {
  const id = useId();
  const run = useRunJar(clusterRef);
  const [jobId, setJobId] = useState(newJobId);
  const [entryClass, setEntryClass] = useState(jar.entryClasses[0] ?? '');
  const [args, setArgs] = useState<string[]>([]);
  const [parallelism, setParallelism] = useState('');
  const [savepointPath, setSavepointPath] = useState('');
  const [allowNonRestoredState, setAllowNonRestoredState] = useState(false);
  const [restoreMode, setRestoreMode] = useState('');
  const [config, setConfig] = useState<string[][]>([]);
  const [issues, setIssues] = useState<Issues>({});

  function submit(e: FormEvent) {
    e.preventDefault();
    const input: JarRunInput = {
      jobId,
      entryClass: entryClass.trim() || undefined,
      programArgs: args,
      parallelism: parallelism.trim() === '' ? undefined : Number(parallelism),
      savepointPath: savepointPath.trim() || undefined,
      allowNonRestoredState: savepointPath.trim() ? allowNonRestoredState : undefined,
      restoreMode: savepointPath.trim() && restoreMode ? (restoreMode as JarRunInput['restoreMode']) : undefined,
      flinkConfiguration: config.length ? Object.fromEntries(config.map(([k, v]) => [k.trim(), v])) : undefined,
    };
    const parsed = jarRunSchema.safeParse(input);
    if (!parsed.success) {
      setIssues(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
      return;
    }
    setIssues({});
    run.mutate({ jarId: jar.id, input }, { onSuccess: () => setJobId(newJobId()) });
  }

  const already = run.error instanceof ClientApiError && run.error.details?.alreadySubmitted === true;
  const modeLabel = restoreModeField === 'claimMode' ? 'Claim mode' : 'Restore mode';
  return (
    <form onSubmit={submit} aria-label={`Run ${jar.name}`} className="space-y-4" noValidate>
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <RunField label="Entry class" help="Suggested from what Flink found in the jar; empty uses the manifest's." issue={issues.entryClass}>
          {(p) => (
            <>
              <input {...p} list={`${id}-entries`} className={`${inputClass} font-mono`} value={entryClass} onChange={(e) => setEntryClass(e.target.value)} placeholder="com.example.StreamingJob" />
              <datalist id={`${id}-entries`}>
                {jar.entryClasses.map((c) => <option key={c} value={c} />)}
              </datalist>
            </>
          )}
        </RunField>
        <RunField label="Parallelism" help="Empty uses the cluster’s parallelism.default." issue={issues.parallelism}>
          {(p) => <input {...p} inputMode="numeric" className={inputClass} value={parallelism} onChange={(e) => setParallelism(e.target.value)} placeholder="default" />}
        </RunField>
        <div className="md:col-span-2">
          <ListEditor label="Program arguments" addLabel="Add argument" rows={args.map((a) => [a])} columns={['Argument']} onChange={(rows) => setArgs(rows.map((r) => r[0]))} issue={issues.programArgs} />
        </div>
        <RunField label="Savepoint path" help="Restore the job from this savepoint (a URI such as s3://bucket/savepoints/savepoint-1a2b)." issue={issues.savepointPath}>
          {(p) => <input {...p} className={`${inputClass} font-mono`} value={savepointPath} onChange={(e) => setSavepointPath(e.target.value)} placeholder="none" />}
        </RunField>
        <RunField label={modeLabel} help={`${restoreModeField} in Flink's run request; applies with a savepoint path.`} issue={issues.restoreMode}>
          {(p) => (
            <select {...p} className={inputClass} value={restoreMode} disabled={!savepointPath.trim()} onChange={(e) => setRestoreMode(e.target.value)}>
              <option value="">Flink’s default (NO_CLAIM)</option>
              {RESTORE_MODES.map((m) => <option key={m} value={m}>{m}</option>)}
            </select>
          )}
        </RunField>
        <label className="flex items-center gap-2 text-sm text-slate-800 md:col-span-2">
          <input type="checkbox" checked={allowNonRestoredState} disabled={!savepointPath.trim()} onChange={(e) => setAllowNonRestoredState(e.target.checked)} />
          Allow non-restored state (skip savepoint state that maps to no operator)
        </label>
        <div className="md:col-span-2">
          <ListEditor label="Extra Flink configuration" addLabel="Add option" rows={config} columns={['Key', 'Value']} onChange={setConfig} issue={issues.flinkConfiguration} />
        </div>
      </div>
      <p className="text-xs text-slate-500">
        Job id <span className="font-mono">{jobId}</span> (made here, so sending this run twice starts one job).
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" variant="primary">
          {run.isPending ? 'Submitting…' : 'Run'}
        </Button>
        <Button variant="ghost" onClick={onClose}>
          Close
        </Button>
      </div>
      {run.isSuccess && !run.isPending && (
        <p role="status" className="text-sm text-emerald-800">
          Job <span className="font-mono">{run.data.jobId}</span> submitted. It shows in the jobs list of this page.
        </p>
      )}
      {already && (
        <p role="status" className="text-sm text-sky-900">
          Already submitted: {run.error?.message}
        </p>
      )}
      {run.isError && !already && <FlinkError title="Flink did not run the jar" error={run.error} />}
    </form>
  );
}
