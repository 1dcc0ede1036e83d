// Presets: a cluster spec without its id, saved under a name so the form can start from it.
import { z } from 'zod';
import { strictObject } from '@/lib/api/strict-object';
import { clusterSpecSchema, type ClusterSpec } from '@/lib/flink/cluster-spec-schema';

export const PRESET_LABEL = 'flink-native-dashboard/preset';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'flink-native-dashboard';
export const PRESET_NAME_ANNOTATION = 'flink-native-dashboard/preset-name';
export const PRESET_SPEC_KEY = 'spec.json';
export const PRESET_CONFIG_MAP_PREFIX = 'flink-dashboard-preset-';

// The id is not part of a preset; a placeholder lets the whole spec schema check the rest.
const PLACEHOLDER_ID = 'preset';

export const presetNameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(63, 'must be no more than 63 characters')
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be lower-case letters, digits and dashes, starting and ending with a letter or digit');

export type PresetSpec = Omit<ClusterSpec, 'clusterId'>;

/** A preset's spec: a cluster spec input whose clusterId is ignored; defaults filled. */
export const presetSpecSchema = z
  .record(z.string(), z.unknown())
  .transform((input) => ({ ...input, clusterId: PLACEHOLDER_ID }))
  .pipe(clusterSpecSchema)
  .transform((spec): PresetSpec => {
    const { clusterId: _omit, ...rest } = spec;
    void _omit;
    return rest;
  });

export const savePresetRequestSchema = strictObject({
  namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a namespace name').max(63),
  name: presetNameSchema,
  spec: presetSpecSchema,
});

export type Preset = { name: string; spec: PresetSpec; createdAt: string };

export function toPresetConfigMapName(name: string): string {
  return `${PRESET_CONFIG_MAP_PREFIX}${name}`;
}
