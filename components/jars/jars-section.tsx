'use client';

import { useSyncExternalStore } from 'react';
import type { FlinkRestResult } from '@/components/cluster-detail/flink-rest-card';
import { JarsPanel } from './jars-panel';

const subscribe = () => () => {};

/**
 * The cluster page's "Jars" section: shown once the JobManager's REST API answers. It loads its own
 * data, so it renders on the client only (the page's view stays renderable from props alone).
 */
export function JarsSection({ namespace, clusterId, flink }: { namespace: string; clusterId: string; flink: FlinkRestResult }) {
  const onClient = useSyncExternalStore(subscribe, () => true, () => false);
  if (!onClient || flink.status !== 'success' || !flink.data.reachable) return null;
  return (
    <div className="min-w-0 lg:col-span-2">
      <JarsPanel namespace={namespace} clusterId={clusterId} />
    </div>
  );
}
