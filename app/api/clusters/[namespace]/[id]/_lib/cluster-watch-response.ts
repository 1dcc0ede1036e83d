import 'server-only';
import type { ClusterObject } from '@/lib/flink/cluster-detail-objects';
import { withSyncedInformer } from '@/lib/k8s/informer-registry';
import { createMultiWatchResponse } from '@/lib/k8s/watch-response';
import type { ClusterSource } from './cluster-informers';

/** The current objects of every source, from the shared informers' caches. */
export async function listClusterObjects(sources: ClusterSource[]): Promise<ClusterObject[]> {
  const lists = await Promise.all(
    sources.map((s) => withSyncedInformer(s.spec, (informer) => informer.list().filter(s.accept).map(s.toDto))),
  );
  return lists.flat();
}

/** The cluster page's one stream over all of its informers (same wire format as the list's). */
export function createClusterWatchResponse(request: Request, sources: ClusterSource[]): Promise<Response> {
  return createMultiWatchResponse(request, sources);
}
