'use client';

import { useEffect, useState } from 'react';
import { subscribeLive, type LiveMessage } from '@/lib/live/live-client';
import { readErrorBody } from '@/lib/queries/fetch-json';
import { LogBuffer } from './log-buffer';

export type PodLogState =
  | { status: 'loading' }
  | { status: 'streaming'; container?: string }
  | { status: 'ended'; container?: string }
  | { status: 'error'; message: string };

export type PodLogOptions = {
  context: string;
  namespace: string;
  clusterId: string;
  pod: string;
  container?: string;
  /** undefined: the whole log. */
  tailLines?: number;
  previous: boolean;
  follow: boolean;
};

export function podLogUrl(o: PodLogOptions, extra: { download?: boolean } = {}): string {
  const q = new URLSearchParams({ context: o.context });
  if (o.container) q.set('container', o.container);
  if (extra.download) q.set('download', '1');
  else {
    if (o.tailLines !== undefined) q.set('tailLines', String(o.tailLines));
    if (o.follow && !o.previous) q.set('follow', 'true');
  }
  if (o.previous) q.set('previous', 'true');
  return `/api/clusters/${encodeURIComponent(o.namespace)}/${encodeURIComponent(o.clusterId)}/pods/${encodeURIComponent(o.pod)}/log?${q}`;
}

/** A followed log travels over the browser's one live connection (lib/live), not a stream of its own. */
export function isFollowed(o: PodLogOptions): boolean {
  return o.follow && !o.previous;
}

/**
 * The live topic of a followed log: its route's URL (app/api/live/_lib/topics.ts). `attempt` makes
 * "Follow again" a new topic, so the log is read again rather than answered from the worker's copy.
 */
export function podLogTopic(o: PodLogOptions, attempt = 0): string {
  const url = podLogUrl(o);
  return attempt > 0 ? `${url}&attempt=${attempt}` : url;
}

/**
 * Reads a pod's log into a bounded LogBuffer as it arrives, re-rendering at most once per animation
 * frame: a followed log (`live`, `url` being its topic) as batches of lines over the browser's one
 * live connection, any other from the dashboard's log route as a stream of its own that ends. A new
 * URL (or `generation`) starts over.
 */
export function usePodLog(
  url: string,
  generation: number,
  options: { live?: boolean; capacity?: number } = {},
): { buffer: LogBuffer; state: PodLogState; version: number } {
  const { live = false, capacity } = options;
  const [buffer] = useState(() => new LogBuffer(capacity));
  const key = `${generation}:${live}:${url}`;
  // The state belongs to one read: a new URL is 'loading' until its own read says otherwise.
  const [result, setResult] = useState<{ key: string; state: PodLogState }>({ key, state: { status: 'loading' } });
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    let frame: number | undefined;
    const render = () => {
      if (frame !== undefined) return;
      frame = requestAnimationFrame(() => {
        frame = undefined;
        setVersion(buffer.version);
      });
    };
    const setState = (state: PodLogState) => setResult({ key, state });
    buffer.clear();
    render();
    if (live) {
      let container: string | undefined;
      const unsubscribe = subscribeLive(url, (message: LiveMessage<never>) => {
        switch (message.event) {
          case 'lines':
            container = message.container ?? container;
            if (message.reset) buffer.clear();
            buffer.skip(message.skipped);
            if (message.lines.length > 0) buffer.append(message.lines.join('\n') + '\n');
            render();
            return setState({ status: 'streaming', container });
          case 'end':
            buffer.end();
            render();
            return setState({ status: 'ended', container: message.container ?? container });
          case 'status':
            // A refusal (pod gone, container not started, not allowed) or the connection lost, in plain words.
            if (message.state === 'reconnecting') return setState({ status: 'error', message: message.message ?? 'The live connection was lost.' });
            if (message.state === 'live') return setState({ status: 'streaming', container });
            return;
        }
      });
      return () => {
        unsubscribe();
        if (frame !== undefined) cancelAnimationFrame(frame);
      };
    }
    (async () => {
      let res: Response;
      try {
        res = await fetch(url, { signal: abort.signal, cache: 'no-store' });
      } catch {
        if (!abort.signal.aborted) setState({ status: 'error', message: 'The dashboard server could not be reached.' });
        return;
      }
      if (!res.ok) {
        const body: unknown = await res.json().catch(() => undefined);
        setState({ status: 'error', message: readErrorBody(body)?.message ?? `The dashboard server answered ${res.status}.` });
        return;
      }
      const container = res.headers.get('x-log-container') ?? undefined;
      setState({ status: 'streaming', container });
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer.append(decoder.decode(value, { stream: true }));
          render();
        }
        buffer.append(decoder.decode());
        buffer.end();
        render();
        setState({ status: 'ended', container });
      } catch {
        if (!abort.signal.aborted) setState({ status: 'ended', container });
      }
    })();
    return () => {
      abort.abort();
      if (frame !== undefined) cancelAnimationFrame(frame);
    };
  }, [url, key, live, buffer]);

  const state: PodLogState = result.key === key ? result.state : { status: 'loading' };
  return { buffer, state, version };
}
