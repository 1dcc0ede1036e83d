import { z } from 'zod';
import { jarIdSchema } from '@/lib/jars/jar-schemas';
import { parseClusterParams, type ClusterParams } from '../../_lib/cluster-params';

export type JarRouteContext = { params: Promise<{ namespace: string; id: string; jarId: string }> };

const jarParamsSchema = z.object({ jarId: jarIdSchema });

/** The cluster's params and the jar id, through zod. */
export async function parseJarParams(context: JarRouteContext): Promise<ClusterParams & { jarId: string }> {
  const params = await context.params;
  const cluster = await parseClusterParams({ params: Promise.resolve(params) });
  return { ...cluster, ...jarParamsSchema.parse({ jarId: params.jarId }) };
}
