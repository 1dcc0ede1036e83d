'use client';

import type { KeyNames } from '@/lib/queries/create-cluster-queries';
import { SelectField } from './field';
import { FormSection } from './form-section';
import { issuesAt } from './form-draft';
import { KeyValueEditor } from './key-value-editor';
import { SecretRows } from './secret-rows';
import type { SectionProps } from './section-props';

export const HADOOP_CONF_KEY = 'kubernetes.hadoop.conf.config-map.name';

/** Env vars, Secrets (names and keys only) and a ConfigMap for the Hadoop configuration. */
export function EnvironmentSection({ draft, onChange, issues, secrets, configMaps }: SectionProps & { secrets: KeyNames[]; configMaps: KeyNames[] }) {
  const paths = ['jobManager.env', 'taskManager.env', 'secretsAsFiles', 'secretsAsEnv'];
  const hadoop = draft.flinkConfig.find((e) => e.key === HADOOP_CONF_KEY)?.value ?? '';
  const setHadoop = (name: string) => {
    const rest = draft.flinkConfig.filter((e) => e.key !== HADOOP_CONF_KEY);
    onChange({ ...draft, flinkConfig: name ? [...rest, { key: HADOOP_CONF_KEY, value: name }] : rest });
  };
  return (
    <FormSection title="Environment" description="env vars, Secrets, ConfigMaps" hasIssues={paths.some((p) => issuesAt(issues, p).length > 0)}>
      <div className="grid gap-4">
        <KeyValueEditor
          label="JobManager env vars"
          option="containerized.master.env.<NAME>"
          rows={draft.jobManager.env}
          onChange={(rows) => onChange({ ...draft, jobManager: { ...draft.jobManager, env: rows } })}
          issues={issuesAt(issues, 'jobManager.env')}
          keyPlaceholder="NAME"
        />
        <KeyValueEditor
          label="TaskManager env vars"
          option="containerized.taskmanager.env.<NAME>"
          rows={draft.taskManager.env}
          onChange={(rows) => onChange({ ...draft, taskManager: { ...draft.taskManager, env: rows } })}
          issues={issuesAt(issues, 'taskManager.env')}
          keyPlaceholder="NAME"
        />
      </div>
      <SecretRows draft={draft} onChange={onChange} issues={issues} secrets={secrets} />
      <SelectField
        label="Hadoop configuration ConfigMap"
        option={HADOOP_CONF_KEY}
        help="Mounted as HADOOP_CONF_DIR in JobManager and TaskManagers."
        value={hadoop}
        options={[{ value: '', label: 'None' }, ...configMaps.map((c) => ({ value: c.name, label: `${c.name} (${c.keys.join(', ') || 'empty'})` })), ...(hadoop && !configMaps.some((c) => c.name === hadoop) ? [{ value: hadoop, label: `${hadoop} (not found)` }] : [])]}
        onChange={setHadoop}
        className="max-w-md"
      />
    </FormSection>
  );
}
