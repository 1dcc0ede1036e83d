'use client';

import { FLINK_VERSIONS, defaultImageFor } from '@/lib/flink/flink-versions';
import { MAX_CLUSTER_ID_LENGTH } from '@/lib/flink/cluster-spec-schema';
import type { KeyNames } from '@/lib/queries/create-cluster-queries';
import { SelectField, TextField } from './field';
import { FormSection } from './form-section';
import { issuesAt } from './form-draft';
import type { SectionProps } from './section-props';

const PATHS = ['clusterId', 'namespace', 'flinkVersion', 'image', 'imagePullPolicy', 'imagePullSecrets', 'serviceAccount'];

export function BasicsSection({ draft, onChange, issues, secrets = [] }: SectionProps & { secrets?: KeyNames[] }) {
  const set = <K extends keyof typeof draft>(key: K, value: (typeof draft)[K]) => onChange({ ...draft, [key]: value });
  const pullSecrets = secrets.filter((s) => s.type === 'kubernetes.io/dockerconfigjson' || s.type === 'kubernetes.io/dockercfg');
  return (
    <FormSection title="Basics" description="id, namespace, version, image" defaultOpen hasIssues={PATHS.some((p) => issuesAt(issues, p).length > 0)}>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label="Cluster id"
          option="kubernetes.cluster-id"
          help={`Lowercase letters, digits and '-', starting with a letter and ending with a letter or digit; at most ${MAX_CLUSTER_ID_LENGTH} characters.`}
          value={draft.clusterId}
          onChange={(v) => set('clusterId', v)}
          issues={issuesAt(issues, 'clusterId')}
          placeholder="my-session"
          mono
        />
        <TextField label="Namespace" option="kubernetes.namespace" value={draft.namespace} onChange={(v) => set('namespace', v)} issues={issuesAt(issues, 'namespace')} mono />
        <SelectField
          label="Flink version"
          help="Picks the default image and the configuration file format."
          value={draft.flinkVersion}
          options={FLINK_VERSIONS}
          onChange={(v) => set('flinkVersion', v)}
          issues={issuesAt(issues, 'flinkVersion')}
        />
        <TextField
          label="Image"
          option="kubernetes.container.image.ref"
          help={`Empty uses ${defaultImageFor(draft.flinkVersion)}.`}
          value={draft.image}
          placeholder={defaultImageFor(draft.flinkVersion)}
          onChange={(v) => set('image', v)}
          issues={issuesAt(issues, 'image')}
          mono
        />
        <SelectField
          label="Image pull policy"
          option="kubernetes.container.image.pull-policy"
          value={draft.imagePullPolicy}
          options={['IfNotPresent', 'Always', 'Never'] as const}
          onChange={(v) => set('imagePullPolicy', v)}
          issues={issuesAt(issues, 'imagePullPolicy')}
        />
        <TextField
          label="Image pull secrets"
          option="kubernetes.container.image.pull-secrets"
          help={pullSecrets.length ? `Comma-separated. In this namespace: ${pullSecrets.map((s) => s.name).join(', ')}.` : 'Comma-separated Secret names.'}
          value={draft.imagePullSecrets.join(',')}
          onChange={(v) => set('imagePullSecrets', v.split(',').map((s) => s.trim()).filter(Boolean))}
          issues={issuesAt(issues, 'imagePullSecrets')}
          mono
        />
        <TextField
          label="Service account"
          option="kubernetes.service-account"
          help="The JobManager uses it to create TaskManager pods."
          value={draft.serviceAccount}
          onChange={(v) => set('serviceAccount', v)}
          issues={issuesAt(issues, 'serviceAccount')}
          mono
        />
      </div>
    </FormSection>
  );
}
