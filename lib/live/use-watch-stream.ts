'use client';

import { useEffect, useState } from 'react';
import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import { applyWatchEvent } from './apply-watch-event';
import type { Keyed, StreamStatus, WatchEvent } from './watch-events';

export type LiveState = 'connecting' | 'live' | 'reconnecting';
export type LiveStatus = { state: LiveState; message?: string };

const RETRY_START_MS = 1_000;
const RETRY_CAP_MS = 15_000;

/**
 * Opens an SSE watch stream and folds its events into the query cache under `queryKey`.
 * EventSource reconnects by itself after a drop; when the server refuses the stream (not 200)
 * it stops, so we reopen it with capped backoff. After any reconnect the list is invalidated.
 */
export function useWatchStream<T extends Keyed>(url: string, queryKey: QueryKey, enabled = true): LiveStatus {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>({ state: 'connecting' });
  const keyHash = JSON.stringify(queryKey);

  useEffect(() => {
    if (!enabled) return;
    let source: EventSource | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let attempts = 0;
    let hadError = false;
    let disposed = false;

    const apply = (event: WatchEvent<T>) =>
      queryClient.setQueryData<T[]>(queryKey, (prev) => applyWatchEvent(prev, event));

    const open = () => {
      source = new EventSource(url);
      source.addEventListener('snapshot', (e) => {
        apply({ type: 'snapshot', items: JSON.parse((e as MessageEvent<string>).data).items });
        attempts = 0;
        if (hadError) {
          hadError = false;
          void queryClient.invalidateQueries({ queryKey });
        }
      });
      source.addEventListener('upsert', (e) => apply({ type: 'upsert', item: JSON.parse((e as MessageEvent<string>).data).item }));
      source.addEventListener('delete', (e) => apply({ type: 'delete', item: JSON.parse((e as MessageEvent<string>).data).item }));
      source.addEventListener('status', (e) => {
        const s = JSON.parse((e as MessageEvent<string>).data) as StreamStatus;
        if (s.state === 'reconnecting') hadError = true;
        setStatus({ state: s.state, message: s.message });
      });
      source.onerror = () => {
        hadError = true;
        setStatus({ state: 'reconnecting', message: 'The connection to the dashboard server was lost.' });
        if (source?.readyState === EventSource.CLOSED && !disposed) {
          source.close();
          const delay = Math.min(RETRY_CAP_MS, RETRY_START_MS * 2 ** attempts++);
          retryTimer = setTimeout(open, delay);
        }
      };
    };
    open();

    return () => {
      disposed = true;
      clearTimeout(retryTimer);
      source?.close();
    };
    // keyHash stands for queryKey, whose identity changes every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [url, keyHash, enabled, queryClient]);

  return enabled ? status : { state: 'connecting' };
}
