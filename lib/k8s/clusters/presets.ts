import 'server-only';
import { z } from 'zod';
import { ApiError } from '@/lib/api/api-error';
import type { Connection } from '../kubeconfig';
import { toK8sApiError } from '../errors';
import { callK8s, hasStatus } from './k8s-call';
import {
  MANAGED_BY,
  MANAGED_BY_LABEL,
  PRESET_LABEL,
  PRESET_NAME_ANNOTATION,
  PRESET_SPEC_KEY,
  presetSpecSchema,
  toPresetConfigMapName,
  type Preset,
  type PresetSpec,
} from './preset-schema';

const presetConfigMapSchema = z.object({
  metadata: z.object({
    name: z.string(),
    creationTimestamp: z.string().optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
  data: z.record(z.string(), z.string()).nullish(),
});

function toPreset(item: unknown): Preset | undefined {
  const cm = presetConfigMapSchema.safeParse(item);
  if (!cm.success) return undefined;
  const name = cm.data.metadata.annotations?.[PRESET_NAME_ANNOTATION];
  const text = cm.data.data?.[PRESET_SPEC_KEY];
  if (!name || text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  // A preset edited by hand into something the form cannot use is left out, not served.
  const spec = presetSpecSchema.safeParse(json);
  return spec.success ? { name, spec: spec.data, createdAt: cm.data.metadata.creationTimestamp ?? '' } : undefined;
}

const path = (namespace: string) => `/api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps`;

export async function listPresets(conn: Connection, namespace: string): Promise<Preset[]> {
  let raw: unknown;
  try {
    raw = await callK8s(conn, { method: 'GET', path: path(namespace), query: { labelSelector: `${PRESET_LABEL}=true,${MANAGED_BY_LABEL}=${MANAGED_BY}` } });
  } catch (err) {
    throw toK8sApiError(err, { verb: 'list', resource: 'configmaps', namespace, server: conn.server });
  }
  const items = z.object({ items: z.array(z.unknown()) }).parse(raw).items;
  return items
    .map(toPreset)
    .filter((p): p is Preset => p !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Stores a preset as a ConfigMap labelled as the dashboard's (never with Flink's type label). */
export async function savePreset(conn: Connection, namespace: string, name: string, spec: PresetSpec): Promise<Preset> {
  const body = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: toPresetConfigMapName(name),
      namespace,
      labels: { [MANAGED_BY_LABEL]: MANAGED_BY, [PRESET_LABEL]: 'true' },
      annotations: { [PRESET_NAME_ANNOTATION]: name },
    },
    data: { [PRESET_SPEC_KEY]: JSON.stringify(spec) },
  };
  try {
    const created = await callK8s(conn, { method: 'POST', path: path(namespace), body });
    const preset = toPreset(created);
    if (!preset) throw new ApiError('upstream_error', 'The API server answered a preset the dashboard cannot read back.');
    return preset;
  } catch (err) {
    if (hasStatus(err, 409)) {
      const message = `A preset named ${name} already exists in namespace ${namespace}.`;
      throw new ApiError('conflict', message, { issues: [{ path: 'name', message }] });
    }
    throw toK8sApiError(err, { verb: 'create', resource: 'configmaps', namespace, server: conn.server });
  }
}

export async function deletePreset(conn: Connection, namespace: string, name: string): Promise<void> {
  try {
    await callK8s(conn, { method: 'DELETE', path: `${path(namespace)}/${encodeURIComponent(toPresetConfigMapName(name))}` });
  } catch (err) {
    if (hasStatus(err, 404)) throw new ApiError('not_found', `There is no preset named ${name} in namespace ${namespace}.`);
    throw toK8sApiError(err, { verb: 'delete', resource: 'configmaps', namespace, server: conn.server });
  }
}
