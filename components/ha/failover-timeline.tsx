'use client';

import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'next/navigation';
import { useMemo } from 'react';
import type { ClusterObject } from '@/lib/flink/cluster-detail-objects';
import { deriveTimeline, type TimelineEntry } from '@/lib/flink/ha/failover-timeline';
import { useWatchStream } from '@/lib/live/use-watch-stream';
import { FailoverTimelineView } from './failover-timeline-view';
import { leadershipFromObjects } from './leadership-from-objects';
import { useTickingNow } from './use-ticking-now';

export function timelineTopic(context: string | undefined, namespace: string, clusterId: string): string {
  const q = context ? `?${new URLSearchParams({ context })}` : '';
  return `/api/clusters/${encodeURIComponent(namespace)}/${encodeURIComponent(clusterId)}/ha-timeline/watch${q}`;
}

/**
 * The cluster page's failover timeline (HA clusters only), live from its topic: the timeline Events
 * on the Deployment. Following the topic is also what keeps the server's recorder running.
 */
export function FailoverTimeline({ namespace, clusterId, objects }: { namespace: string; clusterId: string; objects: readonly ClusterObject[] }) {
  const context = useSearchParams()?.get('context') ?? undefined;
  const now = useTickingNow();
  const ha = leadershipFromObjects(objects, clusterId, now)?.ha === 'on';
  const url = timelineTopic(context, namespace, clusterId);
  const queryKey = ['ha-timeline', url];
  const live = useWatchStream<TimelineEntry>(url, queryKey, ha);
  const { data } = useQuery<TimelineEntry[]>({ queryKey, queryFn: () => [], enabled: false, staleTime: Infinity });
  const timeline = useMemo(() => (live.state === 'connecting' && !data ? undefined : deriveTimeline((data ?? []).map((e) => e.fact))), [data, live.state]);
  if (!ha) return null;
  return (
    <div className="lg:col-span-2">
      <FailoverTimelineView
        timeline={timeline}
        now={now}
        live={live.state === 'reconnecting' ? <span className="text-xs text-amber-700">Reconnecting…</span> : undefined}
      />
    </div>
  );
}
