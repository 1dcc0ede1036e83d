import { z } from 'zod';
import { strictObject } from '../strict-object';

/** The create body besides the spec: what to do with HA ConfigMaps of an earlier cluster of the same id. */
export const haLeftoverChoiceSchema = strictObject({
  haLeftovers: z.enum(['recover', 'purge']).optional(),
});

/** `?context=&namespace=&name=` of the ServiceAccount check; `ha=true` adds the HA ConfigMap rights. */
export const serviceAccountCheckQuerySchema = z.object({
  namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a namespace name').max(63),
  name: z
    .string()
    .max(253)
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'must be a ServiceAccount name'),
  ha: z.enum(['true', 'false']).default('false'),
});

export const namespaceQuerySchema = z.object({
  namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be one namespace').max(63),
});
