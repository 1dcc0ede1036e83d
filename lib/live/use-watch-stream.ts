'use client';

import { useEffect, useState } from 'react';
import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import { applyWatchEvent } from './apply-watch-event';
import { subscribeLive } from './live-client';
import type { Keyed, WatchEvent } from './watch-events';

export type LiveState = 'connecting' | 'live' | 'reconnecting';
export type LiveStatus = { state: LiveState; message?: string };

export const CONNECTION_LOST = 'The connection to the dashboard server was lost.';

const CONNECTING: LiveStatus = { state: 'connecting' };

/**
 * Keeps the cached list under `queryKey` current from the live topic `url` (the URL of its stream)
 * and answers its status. Every tab of the browser shares one connection to the server
 * (lib/live/README.md): the topic's snapshot, after a connect and after every reconnect, replaces
 * the list, so nothing missed while down stays missing.
 */
export function useWatchStream<T extends Keyed>(url: string, queryKey: QueryKey, enabled = true): LiveStatus {
  const queryClient = useQueryClient();
  const keyHash = JSON.stringify(queryKey);
  const streamId = `${url}\n${keyHash}`;
  // Keyed by stream, so a new URL or key starts at 'connecting' rather than the old stream's state.
  const [status, setStatus] = useState<{ streamId: string; status: LiveStatus }>({ streamId, status: CONNECTING });

  useEffect(() => {
    if (!enabled) return;
    const apply = (event: WatchEvent<T>) => queryClient.setQueryData<T[]>(queryKey, (prev) => applyWatchEvent(prev, event));
    const unsubscribe = subscribeLive<T>(url, (message) => {
      switch (message.event) {
        case 'snapshot':
          return apply({ type: 'snapshot', items: message.items });
        case 'upsert':
          return apply({ type: 'upsert', item: message.item });
        case 'delete':
          return apply({ type: 'delete', item: message.item });
        case 'status':
          return setStatus({ streamId, status: { state: message.state, message: message.message } });
      }
    });
    return () => {
      unsubscribe();
      // Turned off and on again, the stream starts over from 'connecting'.
      setStatus({ streamId, status: CONNECTING });
    };
    // keyHash stands for queryKey, whose identity changes every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [url, keyHash, enabled, queryClient]);

  return enabled && status.streamId === streamId ? status.status : CONNECTING;
}
