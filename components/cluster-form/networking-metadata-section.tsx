'use client';

import { REST_EXPOSURE_TYPES } from '@/lib/flink/cluster-spec-schema';
import { SelectField } from './field';
import { FormSection } from './form-section';
import { issuesAt, type KeyValue } from './form-draft';
import { KeyValueEditor } from './key-value-editor';
import type { SectionProps } from './section-props';

export function NetworkingSection({ draft, onChange, issues }: SectionProps) {
  return (
    <FormSection title="Networking" description="REST exposure" hasIssues={issuesAt(issues, 'restExposure').length > 0}>
      <SelectField
        label="REST service type"
        option="kubernetes.rest-service.exposed.type"
        help="How the Service <id>-rest exposes the web UI and REST API."
        value={draft.restExposure}
        options={REST_EXPOSURE_TYPES}
        onChange={(v) => onChange({ ...draft, restExposure: v })}
        issues={issuesAt(issues, 'restExposure')}
        className="max-w-sm"
      />
    </FormSection>
  );
}

/** Labels and annotations of JobManager and TaskManager pods. */
export function MetadataSection({ draft, onChange, issues }: SectionProps) {
  const set = (role: 'jobManager' | 'taskManager', key: 'labels' | 'annotations', rows: KeyValue[]) =>
    onChange({ ...draft, [role]: { ...draft[role], [key]: rows } });
  const paths = ['jobManager.labels', 'jobManager.annotations', 'taskManager.labels', 'taskManager.annotations'];
  return (
    <FormSection title="Metadata" description="labels, annotations" hasIssues={paths.some((p) => issuesAt(issues, p).length > 0)}>
      <div className="grid gap-4">
        {(['jobManager', 'taskManager'] as const).flatMap((role) =>
          (['labels', 'annotations'] as const).map((key) => {
            const name = `${role === 'jobManager' ? 'JobManager' : 'TaskManager'} ${key === 'labels' ? 'labels' : 'annotations'}`;
            return (
              <KeyValueEditor
                key={`${role}.${key}`}
                label={name}
                option={`kubernetes.${role.toLowerCase()}.${key}`}
                rows={draft[role][key]}
                onChange={(rows) => set(role, key, rows)}
                issues={issuesAt(issues, `${role}.${key}`)}
              />
            );
          }),
        )}
      </div>
    </FormSection>
  );
}
