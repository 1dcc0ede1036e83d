import { z } from 'zod';

const clusterParamsSchema = z.object({
  namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a namespace name').max(63),
  id: z.string().regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, 'must be a Flink cluster id').max(63),
});

export type ClusterParams = z.infer<typeof clusterParamsSchema>;
export type ClusterRouteContext = { params: Promise<{ namespace: string; id: string }> };

/** Route params through zod, like every input. */
export async function parseClusterParams(context: ClusterRouteContext): Promise<ClusterParams> {
  return clusterParamsSchema.parse(await context.params);
}
