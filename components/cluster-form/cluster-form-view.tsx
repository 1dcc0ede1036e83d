'use client';

import type { KeyNames, Preset, PreflightReport } from '@/lib/queries/create-cluster-queries';
import { ApplicationSection, FlinkConfigSection, HighAvailabilitySection, PodTemplatesSection } from './advanced-sections';
import { BasicsSection } from './basics-section';
import { CreateFooter } from './create-footer';
import { EnvironmentSection } from './environment-section';
import type { FormDraft, Issue } from './form-draft';
import { ModeSwitch } from './mode-switch';
import { MetadataSection, NetworkingSection } from './networking-metadata-section';
import { PresetBar } from './preset-bar';
import { PreviewPanel, type PreviewState } from './preview-panel';
import { ResourcesSection } from './resources-section';
import { SchedulingSection, type NodesResult } from './scheduling-section';

export type ClusterFormViewProps = {
  draft: FormDraft;
  onChange: (next: FormDraft) => void;
  issues: Issue[];
  /** Distinct fields with a shown issue (the footer's counter). */
  fieldsNeedingAttention: number;
  nodes: NodesResult;
  secrets: KeyNames[];
  configMaps: KeyNames[];
  presets: Preset[];
  onLoadPreset: (preset: Preset) => void;
  onSavePreset: (name: string) => void;
  onDeletePreset: (name: string) => void;
  savingPreset: boolean;
  presetError?: string;
  preview: PreviewState;
  creating: boolean;
  createError?: string;
  onSubmit: () => void;
};

/** The create-cluster form from props only: sections on the left, live preview on the right. */
export function ClusterFormView(props: ClusterFormViewProps) {
  const { draft, onChange, issues } = props;
  const section = { draft, onChange, issues };
  const report: PreflightReport | undefined = props.preview.status === 'success' ? props.preview.report : undefined;
  return (
    <form
      noValidate
      aria-label="New Flink cluster"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit();
      }}
      className="space-y-5"
    >
      <div>
        <h1 className="text-xl font-semibold text-slate-900">New Flink cluster</h1>
        <p className="mt-1 text-sm text-slate-500">
          {draft.mode === 'application'
            ? 'An application cluster runs one job: enter a cluster id and the jar URI; every other field has a default.'
            : 'Every field has a default: a cluster id is enough.'}{' '}
          The preview shows exactly what will be created.
        </p>
      </div>
      <ModeSwitch value={draft.mode} onChange={(mode) => onChange({ ...draft, mode })} />
      <PresetBar
        presets={props.presets}
        onLoad={props.onLoadPreset}
        onSave={props.onSavePreset}
        onDelete={props.onDeletePreset}
        busy={props.savingPreset}
        error={props.presetError}
      />
      <div className="grid grid-cols-1 items-start gap-5 lg:grid-cols-12">
        <div className="space-y-3 lg:col-span-7">
          <BasicsSection {...section} secrets={props.secrets} />
          {draft.mode === 'application' && <ApplicationSection {...section} />}
          <ResourcesSection {...section} role="jobManager" />
          <ResourcesSection {...section} role="taskManager" />
          <SchedulingSection {...section} nodes={props.nodes} />
          <NetworkingSection {...section} />
          <MetadataSection {...section} />
          <EnvironmentSection {...section} secrets={props.secrets} configMaps={props.configMaps} />
          <PodTemplatesSection {...section} />
          <HighAvailabilitySection {...section} />
          <FlinkConfigSection {...section} />
          <CreateFooter report={report} issueCount={props.fieldsNeedingAttention} creating={props.creating} createError={props.createError} mode={draft.mode} />
        </div>
        <div className="lg:sticky lg:top-4 lg:col-span-5">
          <PreviewPanel state={props.preview} fileName={`${draft.clusterId || 'flink-cluster'}.yaml`} />
        </div>
      </div>
    </form>
  );
}
