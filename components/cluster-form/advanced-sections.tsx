'use client';

import { useId } from 'react';
import { exampleJarsFor } from '@/lib/flink/example-jars';
import { CheckboxField, TextAreaField, TextField } from './field';
import { FormSection } from './form-section';
import { issuesAt } from './form-draft';
import { KeyValueEditor } from './key-value-editor';
import type { SectionProps } from './section-props';

const TEMPLATE_PLACEHOLDER = `apiVersion: v1
kind: Pod
spec:
  containers:
    - name: flink-main-container
      volumeMounts: []`;

export function PodTemplatesSection({ draft, onChange, issues }: SectionProps) {
  const paths = ['jobManager.podTemplate', 'taskManager.podTemplate'];
  return (
    <FormSection title="Pod templates" description="YAML merged under Flink's pods" hasIssues={paths.some((p) => issuesAt(issues, p).length > 0)}>
      <div className="grid gap-4">
        <TextAreaField
          label="JobManager pod template"
          option="kubernetes.pod-template-file.jobmanager"
          value={draft.jobManager.podTemplate}
          placeholder={TEMPLATE_PLACEHOLDER}
          onChange={(v) => onChange({ ...draft, jobManager: { ...draft.jobManager, podTemplate: v } })}
          issues={issuesAt(issues, 'jobManager.podTemplate')}
        />
        <TextAreaField
          label="TaskManager pod template"
          option="kubernetes.pod-template-file.taskmanager"
          value={draft.taskManager.podTemplate}
          placeholder={TEMPLATE_PLACEHOLDER}
          onChange={(v) => onChange({ ...draft, taskManager: { ...draft.taskManager, podTemplate: v } })}
          issues={issuesAt(issues, 'taskManager.podTemplate')}
        />
      </div>
    </FormSection>
  );
}

export function HighAvailabilitySection({ draft, onChange, issues }: SectionProps) {
  const set = (key: keyof typeof draft.ha, value: string | boolean) => onChange({ ...draft, ha: { ...draft.ha, [key]: value } });
  return (
    <FormSection title="High availability" description="Kubernetes leader election" hasIssues={issuesAt(issues, 'ha').length > 0}>
      <CheckboxField label="Enable Kubernetes high availability" option="high-availability.type: kubernetes" checked={draft.ha.enabled} onChange={(v) => set('enabled', v)} />
      {draft.ha.enabled && (
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField label="HA storage directory" option="high-availability.storageDir" help="Durable storage for JobGraphs and checkpoints metadata." placeholder="s3://bucket/flink/ha" value={draft.ha.storageDir} onChange={(v) => set('storageDir', v)} issues={issuesAt(issues, 'ha.storageDir')} mono />
          <TextField label="Lease duration" option="high-availability.kubernetes.leader-election.lease-duration" placeholder="15 s" value={draft.ha.leaseDuration} onChange={(v) => set('leaseDuration', v)} issues={issuesAt(issues, 'ha.leaseDuration')} mono />
          <TextField label="Renew deadline" option="high-availability.kubernetes.leader-election.renew-deadline" placeholder="15 s" value={draft.ha.renewDeadline} onChange={(v) => set('renewDeadline', v)} issues={issuesAt(issues, 'ha.renewDeadline')} mono />
          <TextField label="Retry period" option="high-availability.kubernetes.leader-election.retry-period" placeholder="5 s" value={draft.ha.retryPeriod} onChange={(v) => set('retryPeriod', v)} issues={issuesAt(issues, 'ha.retryPeriod')} mono />
        </div>
      )}
    </FormSection>
  );
}

export function FlinkConfigSection({ draft, onChange, issues }: SectionProps) {
  return (
    <FormSection title="Flink configuration" description="any other option" hasIssues={issuesAt(issues, 'flinkConfig').length > 0 || issuesAt(issues, 'configFileFormat').length > 0}>
      <KeyValueEditor
        label="Flink options"
        option="config.yaml"
        rows={draft.flinkConfig}
        onChange={(rows) => onChange({ ...draft, flinkConfig: rows })}
        issues={[...issuesAt(issues, 'flinkConfig'), ...issuesAt(issues, 'configFileFormat')]}
        keyPlaceholder="execution.checkpointing.interval"
        valuePlaceholder="30 s"
        keySuggestions={['execution.checkpointing.interval', 'state.backend.type', 'parallelism.default', 'rest.flamegraph.enabled', 'metrics.reporters']}
      />
    </FormSection>
  );
}

export function ApplicationSection({ draft, onChange, issues }: SectionProps) {
  const app = draft.application;
  const set = (key: keyof typeof app, value: string | boolean) => onChange({ ...draft, application: { ...app, [key]: value } });
  const at = (k: string) => issuesAt(issues, `application.${k}`);
  const examplesId = useId();
  const examples = exampleJarsFor(draft.flinkVersion);
  return (
    <FormSection title="Application" description="the job this cluster runs" defaultOpen hasIssues={issuesAt(issues, 'application').length > 0}>
      {issues.some((i) => i.path === 'application') && <p className="text-xs font-medium text-red-700" role="alert">{issues.find((i) => i.path === 'application')?.message}</p>}
      <div className="grid gap-4 sm:grid-cols-2">
        <div className="space-y-2 sm:col-span-2">
          <TextField
            label="Jar URI"
            option="pipeline.jars"
            help="local:///… inside the image, or https:// / s3://."
            placeholder="local:///opt/flink/usrlib/my-job.jar"
            value={app.jarUri}
            onChange={(v) => set('jarUri', v)}
            issues={at('jarUri')}
            list={examplesId}
            mono
          />
          <datalist id={examplesId}>
            {examples.map((j) => (
              <option key={j.uri} value={j.uri}>
                {j.name}: {j.description}
              </option>
            ))}
          </datalist>
          <div className="flex flex-wrap items-center gap-1.5" role="group" aria-label={`Example jars in the Flink ${draft.flinkVersion} image`}>
            <span className="text-xs text-slate-600">Examples in the flink:{draft.flinkVersion} image:</span>
            {examples.map((j) => (
              <button
                key={j.uri}
                type="button"
                title={`${j.uri}: ${j.description}`}
                aria-pressed={app.jarUri === j.uri}
                onClick={() => set('jarUri', j.uri)}
                className="rounded-full bg-slate-100 px-2 py-0.5 font-mono text-[11px] text-slate-700 ring-1 ring-slate-200 ring-inset hover:bg-slate-200 aria-pressed:bg-brand-50 aria-pressed:text-brand-700 aria-pressed:ring-brand-500"
              >
                {j.name}
              </button>
            ))}
          </div>
        </div>
        <TextField label="Entry class" option="$internal.application.main" help="Empty reads the jar's manifest." placeholder="com.example.Job" value={app.entryClass} onChange={(v) => set('entryClass', v)} issues={at('entryClass')} mono />
        <TextField label="Parallelism" option="parallelism.default" placeholder="1" value={app.parallelism} onChange={(v) => set('parallelism', v)} issues={at('parallelism')} mono />
        <TextAreaField label="Program arguments" option="$internal.application.program-args" help="One per line." rows={3} value={app.args} onChange={(v) => set('args', v)} issues={at('args')} />
        <div className="space-y-3">
          <TextField label="Savepoint path" option="execution.state-recovery.path" placeholder="s3://bucket/savepoints/savepoint-…" value={app.savepointPath} onChange={(v) => set('savepointPath', v)} issues={at('savepointPath')} mono />
          <CheckboxField label="Allow non-restored state" option="execution.state-recovery.ignore-unclaimed-state" checked={app.allowNonRestoredState} onChange={(v) => set('allowNonRestoredState', v)} />
        </div>
      </div>
    </FormSection>
  );
}
