// Pure: the Secrets and ConfigMaps a cluster spec refers to, with the form field that names each,
// so the preflight can warn about the missing ones on the right field.
import type { JobManagerParameters } from '@/lib/flink/cluster-parameters';
import { parsePodTemplate } from '@/lib/flink/pod-template';

export type Reference = { kind: 'Secret' | 'ConfigMap'; name: string; field: string; use: string };

function fromPodTemplate(text: string | undefined, field: string): Reference[] {
  if (text === undefined) return [];
  let pod;
  try {
    pod = parsePodTemplate(text).pod;
  } catch {
    return [];
  }
  const refs: Reference[] = [];
  for (const volume of pod.spec?.volumes ?? []) {
    if (volume?.secret?.secretName) refs.push({ kind: 'Secret', name: volume.secret.secretName, field, use: `volume ${volume.name}` });
    if (volume?.configMap?.name) refs.push({ kind: 'ConfigMap', name: volume.configMap.name, field, use: `volume ${volume.name}` });
  }
  for (const secret of pod.spec?.imagePullSecrets ?? []) {
    if (secret?.name) refs.push({ kind: 'Secret', name: secret.name, field, use: 'image pull secret' });
  }
  return refs;
}

/** Every Secret and ConfigMap the JobManager and TaskManager pods will need, deduplicated by kind and name. */
export function collectReferences(p: JobManagerParameters): Reference[] {
  const { spec } = p;
  const refs: Reference[] = [];
  for (const name of p.imagePullSecrets) {
    const i = spec.imagePullSecrets.indexOf(name);
    refs.push({ kind: 'Secret', name, field: i >= 0 ? `imagePullSecrets.${i}` : 'flinkConfig', use: 'image pull secret' });
  }
  for (const [name, mountPath] of p.secrets) {
    const i = spec.secretsAsFiles.findIndex((s) => s.secretName === name);
    refs.push({ kind: 'Secret', name, field: i >= 0 ? `secretsAsFiles.${i}.secretName` : 'flinkConfig', use: `mounted at ${mountPath}` });
  }
  for (const env of p.secretEnvs) {
    const name = env.secret;
    if (!name) continue;
    const i = spec.secretsAsEnv.findIndex((s) => s.secretName === name && s.envName === env.env);
    refs.push({ kind: 'Secret', name, field: i >= 0 ? `secretsAsEnv.${i}.secretName` : 'flinkConfig', use: `env ${env.env ?? ''} (key ${env.key ?? ''})` });
  }
  const hadoop = spec.flinkConfig.findIndex((e) => e.key === 'kubernetes.hadoop.conf.config-map.name');
  if (hadoop >= 0) {
    refs.push({ kind: 'ConfigMap', name: spec.flinkConfig[hadoop]!.value, field: `flinkConfig.${hadoop}.value`, use: 'Hadoop configuration' });
  }
  refs.push(...fromPodTemplate(spec.jobManager.podTemplate, 'jobManager.podTemplate'));
  refs.push(...fromPodTemplate(spec.taskManager.podTemplate, 'taskManager.podTemplate'));
  const seen = new Set<string>();
  return refs.filter((r) => {
    const key = `${r.kind}/${r.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
