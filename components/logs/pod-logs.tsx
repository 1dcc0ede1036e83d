'use client';

import Link from 'next/link';
import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { LiveIndicator } from '@/components/live/live-indicator';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import type { ClusterObject, PodDto } from '@/lib/flink/cluster-detail-objects';
import { derivePodStatus } from '@/lib/flink/pod-status';
import { useWatchStream } from '@/lib/live/use-watch-stream';
import { clusterDetailQueries, type ClusterRef } from '@/lib/queries/cluster-detail-queries';
import { DEFAULT_LOG_CAPACITY, matchingLines } from './log-buffer';
import { LogLines } from './log-lines';
import { isFollowed, podLogTopic, podLogUrl, usePodLog } from './use-pod-log';

const TAIL_CHOICES = [100, 1000, 10_000] as const;
const MAIN_CONTAINER = 'flink-main-container';

/** The log of one of the cluster's pods: follow, tail, previous container, download, search. */
export function PodLogs({ clusterRef, pod, backHref }: { clusterRef: ClusterRef; pod: string; backHref: string }) {
  const options = clusterDetailQueries.objects(clusterRef);
  const query = useQuery(options);
  const live = useWatchStream<ClusterObject>(clusterDetailQueries.watchUrl(clusterRef), options.queryKey, query.isSuccess);
  const podDto = query.data?.find((o): o is PodDto => o.kind === 'Pod' && o.name === pod);
  const containers = podDto?.containers.map((c) => c.name) ?? [];

  const [container, setContainer] = useState<string | undefined>(undefined);
  const [tail, setTail] = useState<string>('1000');
  const [previous, setPrevious] = useState(false);
  const [follow, setFollow] = useState(true);
  const [search, setSearch] = useState('');
  const [generation, setGeneration] = useState(0);

  const chosen = container ?? (containers.includes(MAIN_CONTAINER) ? MAIN_CONTAINER : containers[0]);
  const logOptions = {
    context: clusterRef.context,
    namespace: clusterRef.namespace,
    clusterId: clusterRef.clusterId,
    pod,
    container: chosen,
    tailLines: tail === 'all' ? undefined : Number(tail),
    previous,
    follow,
  };
  // A followed log rides the browser's one live connection; a tail or a previous container is read once.
  const followed = isFollowed(logOptions);
  const url = followed ? podLogTopic(logOptions, generation) : podLogUrl(logOptions);
  const { buffer, state, version } = usePodLog(url, generation, { live: followed });
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the buffer changes in place; version says when
  const indices = useMemo(() => matchingLines(buffer, search), [buffer, version, search]);
  const status = podDto ? derivePodStatus(podDto) : undefined;
  const restarts = podDto?.containers.find((c) => c.name === chosen)?.restartCount ?? 0;

  return (
    <section aria-labelledby="log-heading" className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0">
          <Link href={backHref} className="text-sm text-slate-500 hover:text-slate-800">
            ← {clusterRef.clusterId}
          </Link>
          <h1 id="log-heading" className="mt-1 flex flex-wrap items-center gap-3 text-xl font-semibold text-slate-900">
            <span>
              Log of <span className="font-mono">{pod}</span>
            </span>
            {status && (
              <Badge tone={status.tone} dot aria-label={`Pod status: ${status.status}`}>
                {status.status}
              </Badge>
            )}
          </h1>
          <p className="mt-1 text-sm text-slate-500">
            Namespace {clusterRef.namespace}
            {podDto?.nodeName && <> · node <span className="font-mono">{podDto.nodeName}</span></>}
            {podDto && (
              <>
                {' '}
                · <span aria-label="Restarts">{restarts} restart{restarts === 1 ? '' : 's'}</span>
              </>
            )}
            {status?.lastTermination && (
              <>
                {' '}
                · last ended {status.lastTermination.reason}
                {status.lastTermination.exitCode !== undefined && ` (exit code ${status.lastTermination.exitCode})`}
              </>
            )}
          </p>
        </div>
        {query.isSuccess && <LiveIndicator status={live} />}
      </div>

      {query.isSuccess && !podDto && (
        <Alert tone="warning" title={`Pod ${pod} is not in cluster ${clusterRef.clusterId} (any more)`}>
          It was deleted or replaced. What is shown below is what could still be read.
        </Alert>
      )}

      <form
        className="flex flex-wrap items-end gap-x-4 gap-y-3 rounded-xl border border-slate-200 bg-white p-3 text-sm"
        aria-label="Log options"
        onSubmit={(e) => e.preventDefault()}
      >
        {containers.length > 1 && (
          <label className="flex flex-col gap-1">
            <span className="text-xs font-medium text-slate-600">Container</span>
            <select className="rounded-md border border-slate-300 px-2 py-1" value={chosen} onChange={(e) => setContainer(e.target.value)}>
              {containers.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </label>
        )}
        <label className="flex flex-col gap-1">
          <span className="text-xs font-medium text-slate-600">Lines</span>
          <select className="rounded-md border border-slate-300 px-2 py-1" value={tail} onChange={(e) => setTail(e.target.value)}>
            {TAIL_CHOICES.map((n) => (
              <option key={n} value={String(n)}>
                Last {n.toLocaleString('en')}
              </option>
            ))}
            <option value="all">All</option>
          </select>
        </label>
        <label className="flex items-center gap-2 py-1">
          <input type="checkbox" checked={follow && !previous} disabled={previous} onChange={(e) => setFollow(e.target.checked)} />
          Follow
        </label>
        <label className="flex items-center gap-2 py-1" title={restarts === 0 ? 'The container has not restarted' : undefined}>
          <input type="checkbox" checked={previous} onChange={(e) => setPrevious(e.target.checked)} />
          Previous container
        </label>
        <label className="flex min-w-48 flex-1 flex-col gap-1">
          <span className="text-xs font-medium text-slate-600">Search in the shown lines</span>
          <input
            type="search"
            className="rounded-md border border-slate-300 px-2 py-1"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder="e.g. checkpoint, ERROR"
          />
        </label>
        <a
          href={podLogUrl(logOptions, { download: true })}
          download
          className="inline-flex items-center rounded-md px-3 py-1.5 font-medium text-slate-800 shadow-sm ring-1 ring-slate-300 ring-inset hover:bg-slate-50"
        >
          Download whole log
        </a>
      </form>

      {state.status === 'error' ? (
        <Alert title="The log cannot be shown" action={<Button onClick={() => setGeneration((g) => g + 1)}>Try again</Button>}>
          {state.message}
        </Alert>
      ) : (
        <>
          <div className="flex flex-wrap items-center justify-between gap-2 text-xs text-slate-600" role="status" aria-label="Log status">
            <span>
              {state.status === 'loading' && 'Opening the log…'}
              {state.status === 'streaming' && (follow && !previous ? 'Following: new lines appear as they are written.' : 'Reading…')}
              {state.status === 'ended' &&
                (follow && !previous ? 'The stream ended: the container stopped or restarted.' : 'All the requested lines are shown.')}
              {search && ` ${indices.length.toLocaleString('en')} of ${buffer.size.toLocaleString('en')} lines match.`}
            </span>
            {buffer.skipped > 0 && (
              <span className="text-amber-800">
                {buffer.skipped.toLocaleString('en')} lines were skipped: they came faster than this browser took them; Download has them all.
              </span>
            )}
            {buffer.dropped > 0 && (
              <span className="text-amber-800">
                {buffer.dropped.toLocaleString('en')} older lines were dropped here (the last {DEFAULT_LOG_CAPACITY.toLocaleString('en')} are kept, to keep
                the browser fast); Download has them all.
              </span>
            )}
            {state.status === 'ended' && follow && !previous && (
              <Button variant="ghost" onClick={() => setGeneration((g) => g + 1)}>
                Follow again
              </Button>
            )}
          </div>
          <LogLines buffer={buffer} indices={indices} version={version} query={search} label={`Log of ${pod}`} />
        </>
      )}
    </section>
  );
}
