import 'server-only';
import type { Connection } from './kubeconfig';
import { openPodLog, type PodLogQuery } from './pod-logs';

// A followed pod log as a live topic (app/api/live/_lib/topics.ts): the API server's stream
// (follow=true, timestamps=true) is cut into whole lines and handed on in batches, not one message
// per line. Nothing here holds more than a bounded window of lines: when the browser's connection
// does not take what was sent (congested), the oldest lines waiting are dropped and counted, and
// the next batch says how many were skipped. The upstream request is read on at its own pace, so a
// slow browser never makes the server buffer a log.

/** A batch waits this long for more lines before it is sent. */
export const LOG_BATCH_MS = 50;
/** At most this many lines per batch. */
export const LOG_BATCH_LINES = 1_000;
/** At most this many lines wait for a congested connection; older ones are skipped. */
export const LOG_WINDOW_LINES = 5_000;

export type LogBatch = {
  /** Whole lines, each `<RFC3339Nano timestamp> <text>` as the API server sends them with timestamps=true. */
  lines: string[];
  /** Lines dropped just before these ones since the last batch (the browser fell behind). */
  skipped: number;
};

export type LogSink = {
  batch(batch: LogBatch): void;
  /** The log ended: the container stopped (a followed log), or it was read to its end. */
  end(): void;
  /** True while the connection to the browser has not taken what was already sent. */
  congested(): boolean;
};

type Stats = { follows: number; linesRead: number; linesSent: number; linesSkipped: number };
// On globalThis so a dev hot reload keeps counting the follows it did not stop.
const g = globalThis as unknown as { __flinkDashPodLogs?: Stats };
const stats = (g.__flinkDashPodLogs ??= { follows: 0, linesRead: 0, linesSent: 0, linesSkipped: 0 });

/** For tests and diagnostics (GET /api/live/stats): logs being followed, and lines read from the API server, sent on and skipped. */
export function podLogStats(): Stats {
  return { ...stats };
}

export type PumpOptions = { batchMs?: number; batchLines?: number; windowLines?: number };

/**
 * Reads `body` into `sink` until it ends or the answer is called (which cancels the body, and with
 * it the upstream request).
 */
export function pumpLog(body: ReadableStream<Uint8Array>, sink: LogSink, options: PumpOptions = {}): () => void {
  const batchMs = options.batchMs ?? LOG_BATCH_MS;
  const batchLines = options.batchLines ?? LOG_BATCH_LINES;
  const windowLines = options.windowLines ?? LOG_WINDOW_LINES;
  const reader = body.getReader();
  const decoder = new TextDecoder();
  // The waiting lines are pending[head..]; the array is compacted when half of it is spent.
  let pending: string[] = [];
  let head = 0;
  let partial = '';
  let skipped = 0;
  let done = false;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  stats.follows++;
  const finished = () => {
    if (!stopped) stats.follows--;
    stopped = true;
  };

  const waiting = () => pending.length - head;
  const push = (line: string) => {
    stats.linesRead++;
    if (waiting() >= windowLines) {
      head++;
      skipped++;
      stats.linesSkipped++;
    }
    pending.push(line.endsWith('\r') ? line.slice(0, -1) : line);
    if (head > 4_096 && head * 2 > pending.length) {
      pending = pending.slice(head);
      head = 0;
    }
  };
  const flush = () => {
    timer = undefined;
    if (stopped) return;
    while (waiting() > 0 && !sink.congested()) {
      const lines = pending.slice(head, head + batchLines);
      head += lines.length;
      const batch = { lines, skipped };
      skipped = 0;
      stats.linesSent += lines.length;
      sink.batch(batch);
    }
    if (waiting() === 0) {
      pending = [];
      head = 0;
      if (done) {
        finished();
        sink.end();
      }
    } else schedule();
  };
  const schedule = () => {
    if (timer === undefined && !stopped) timer = setTimeout(flush, batchMs);
  };

  void (async () => {
    try {
      for (;;) {
        const { value, done: finished } = await reader.read();
        if (finished || stopped) break;
        const parts = (partial + decoder.decode(value, { stream: true })).split('\n');
        partial = parts.pop() ?? '';
        for (const line of parts) push(line);
        if (waiting() >= batchLines) flush();
        else if (waiting() > 0) schedule();
      }
      partial += decoder.decode();
    } catch {
      // The API server dropped the stream, or stop() cancelled it: end with what was read.
    }
    if (stopped) return;
    if (partial) push(partial);
    done = true;
    clearTimeout(timer);
    flush();
  })();

  return () => {
    if (stopped) return;
    finished();
    clearTimeout(timer);
    pending = [];
    void reader.cancel().catch(() => {});
  };
}

/**
 * Follows a container's log (or reads a previous one to its end) into the sink made for the
 * container read (`sinkFor`, called once the API server answered, before any batch). Refusals (pod
 * gone, container not started, no right) throw the same plain ApiErrors as the log route, before
 * any batch. Answers the container and the stop, which aborts the upstream request.
 */
export async function followPodLog(
  conn: Connection,
  target: { namespace: string; clusterId: string; pod: string },
  query: Pick<PodLogQuery, 'container' | 'tailLines' | 'previous'>,
  sinkFor: (container: string) => LogSink,
  options?: PumpOptions,
): Promise<{ container: string; stop: () => void }> {
  const abort = new AbortController();
  const log = await openPodLog(
    conn,
    target,
    { ...query, follow: !query.previous, download: false },
    abort.signal,
    { timestamps: true },
  );
  const stop = pumpLog(log.body, sinkFor(log.container), options);
  return {
    container: log.container,
    stop: () => {
      stop();
      abort.abort();
    },
  };
}
