'use client';

import { useEffect, useState } from 'react';
import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import { applyWatchEvents } from './apply-watch-event';
import { subscribeLive } from './live-client';
import type { Keyed, WatchEvent } from './watch-events';

export type LiveState = 'connecting' | 'live' | 'reconnecting';
export type LiveStatus = { state: LiveState; message?: string };

export const CONNECTION_LOST = 'The connection to the dashboard server was lost.';

const CONNECTING: LiveStatus = { state: 'connecting' };

/**
 * Runs `fn` in a task of its own, after the messages already queued (a MessageChannel message: not
 * throttled in a background tab as timers are). Answers a function that cancels it.
 */
function nextTask(fn: () => void): () => void {
  if (typeof MessageChannel === 'undefined') {
    const timer = setTimeout(fn, 0);
    return () => clearTimeout(timer);
  }
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    channel.port1.close();
    fn();
  };
  channel.port2.postMessage(null);
  return () => channel.port1.close();
}

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
    // Events that arrive together (a burst of row changes, each its own message from the worker) are
    // folded into the cache in one update, in order, as soon as the browser is done delivering them:
    // one re-render per burst instead of one per event.
    let pending: WatchEvent<T>[] = [];
    let cancelFlush: (() => void) | undefined;
    const flush = () => {
      cancelFlush = undefined;
      const events = pending;
      pending = [];
      if (events.length) queryClient.setQueryData<T[]>(queryKey, (prev) => applyWatchEvents(prev, events));
    };
    const apply = (event: WatchEvent<T>) => {
      pending.push(event);
      cancelFlush ??= nextTask(flush);
    };
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
      cancelFlush?.();
      pending = [];
      // Turned off and on again, the stream starts over from 'connecting'.
      setStatus({ streamId, status: CONNECTING });
    };
    // keyHash stands for queryKey, whose identity changes every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [url, keyHash, enabled, queryClient]);

  return enabled && status.streamId === streamId ? status.status : CONNECTING;
}
