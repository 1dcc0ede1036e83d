'use client';

import { useEffect, useState } from 'react';
import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import { readErrorBody } from '@/lib/queries/fetch-json';
import { applyWatchEvent } from './apply-watch-event';
import type { Keyed, StreamStatus, WatchEvent } from './watch-events';

export type LiveState = 'connecting' | 'live' | 'reconnecting';
export type LiveStatus = { state: LiveState; message?: string };

export const RETRY_START_MS = 1_000;
export const RETRY_CAP_MS = 15_000;

export const CONNECTION_LOST = 'The connection to the dashboard server was lost.';

/** Delay before the n-th reopen (0-based) of a refused stream: 1 s, 2 s, 4 s … at most 15 s. */
export function retryDelay(attempt: number): number {
  return Math.min(RETRY_CAP_MS, RETRY_START_MS * 2 ** attempt);
}

const CONNECTING: LiveStatus = { state: 'connecting' };

/**
 * EventSource cannot read why a stream was refused. Asks the same URL once as JSON: a refusal
 * answers in the one error shape (the watch routes throw before streaming), whose message is
 * the user's; a 2xx (the stream) is cancelled at once.
 */
async function readRefusal(url: string, signal: AbortSignal): Promise<string | undefined> {
  try {
    const res = await fetch(url, { headers: { accept: 'application/json' }, signal });
    if (res.ok) {
      await res.body?.cancel();
      return undefined;
    }
    const body: unknown = await res.json().catch(() => undefined);
    return readErrorBody(body)?.message ?? `The dashboard server refused the live updates (${res.status}).`;
  } catch {
    return undefined;
  }
}

/**
 * Opens an SSE watch stream and folds its events into the query cache under `queryKey`.
 * EventSource reconnects by itself after a drop; when the server refuses the stream (not 200)
 * it stops, so we reopen it with capped backoff and show the server's reason. After any
 * reconnect the list is invalidated (refetched), so nothing missed while down stays missing.
 */
export function useWatchStream<T extends Keyed>(url: string, queryKey: QueryKey, enabled = true): LiveStatus {
  const queryClient = useQueryClient();
  const keyHash = JSON.stringify(queryKey);
  const streamId = `${url}\n${keyHash}`;
  // Keyed by stream, so a new URL or key starts at 'connecting' rather than the old stream's state.
  const [status, setStatus] = useState<{ streamId: string; status: LiveStatus }>({ streamId, status: CONNECTING });

  useEffect(() => {
    if (!enabled) return;
    let source: EventSource | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    const probe = new AbortController();
    let attempts = 0;
    let hadError = false;
    let disposed = false;
    // Bumped by every refusal and every event: a refusal's reason is shown only if nothing came since.
    let seen = 0;
    const report = (s: LiveStatus) => {
      if (!disposed) setStatus({ streamId, status: s });
    };

    const apply = (event: WatchEvent<T>) =>
      queryClient.setQueryData<T[]>(queryKey, (prev) => applyWatchEvent(prev, event));

    const open = () => {
      source = new EventSource(url);
      source.addEventListener('snapshot', (e) => {
        seen++;
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
        seen++;
        const s = JSON.parse((e as MessageEvent<string>).data) as StreamStatus;
        if (s.state === 'reconnecting') hadError = true;
        report({ state: s.state, message: s.message });
      });
      source.onerror = () => {
        hadError = true;
        if (source?.readyState !== EventSource.CLOSED || disposed) {
          // Dropped: EventSource reopens it by itself after the server's `retry:`.
          report({ state: 'reconnecting', message: CONNECTION_LOST });
          return;
        }
        // Refused: EventSource gave up; reopen later, and say why meanwhile.
        source.close();
        report({ state: 'reconnecting', message: CONNECTION_LOST });
        const refusal = ++seen;
        void readRefusal(url, probe.signal).then((message) => {
          if (message && refusal === seen) report({ state: 'reconnecting', message });
        });
        retryTimer = setTimeout(open, retryDelay(attempts++));
      };
    };
    open();

    return () => {
      disposed = true;
      probe.abort();
      clearTimeout(retryTimer);
      source?.close();
      // Turned off and on again, the stream starts over from 'connecting'.
      setStatus({ streamId, status: CONNECTING });
    };
    // keyHash stands for queryKey, whose identity changes every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [url, keyHash, enabled, queryClient]);

  return enabled && status.streamId === streamId ? status.status : CONNECTING;
}
