import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

const { pumpLog } = await import('./pod-logs-follow');
type LogBatch = import('./pod-logs-follow').LogBatch;

/** A log body the test writes to, chunk by chunk, and whose cancel it sees. */
function upstream() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    cancel() {
      cancelled = true;
    },
  });
  const encoder = new TextEncoder();
  return {
    body,
    write: (text: string) => controller.enqueue(encoder.encode(text)),
    close: () => controller.close(),
    cancelled: () => cancelled,
  };
}

function collector(congested: () => boolean = () => false) {
  const batches: LogBatch[] = [];
  let ended = false;
  return {
    sink: { batch: (b: LogBatch) => batches.push(b), end: () => (ended = true), congested },
    batches,
    lines: () => batches.flatMap((b) => b.lines),
    skipped: () => batches.reduce((n, b) => n + b.skipped, 0),
    ended: () => ended,
  };
}

const numbered = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `line ${from + i}`);

describe('pumpLog', () => {
  it('hands on whole lines in batches, joining lines cut across chunks, and ends with the log', async () => {
    const up = upstream();
    const out = collector();
    pumpLog(up.body, out.sink, { batchMs: 5, batchLines: 100 });
    up.write('2026-12-05T03:00:00.1Z first\n2026-12-05T03:00:00.2Z sec');
    up.write('ond\r\n');
    for (let i = 0; i < 250; i++) up.write(`line ${i}\n`);
    up.write('no newline at the end');
    up.close();
    await vi.waitFor(() => expect(out.ended()).toBe(true));
    expect(out.lines()).toEqual(['2026-12-05T03:00:00.1Z first', '2026-12-05T03:00:00.2Z second', ...numbered(0, 250), 'no newline at the end']);
    // 253 lines in batches of at most 100: a handful of messages, not one per line.
    expect(out.batches.length).toBeLessThanOrEqual(6);
    expect(Math.max(...out.batches.map((b) => b.lines.length))).toBeLessThanOrEqual(100);
    expect(out.skipped()).toBe(0);
  });

  it('keeps only a bounded window while the connection is congested, and says how many lines it skipped', async () => {
    const up = upstream();
    let congested = true;
    const out = collector(() => congested);
    pumpLog(up.body, out.sink, { batchMs: 5, batchLines: 1_000, windowLines: 500 });
    up.write(numbered(0, 20_000).join('\n') + '\n');
    // Nothing goes out while the browser does not take it.
    expect(out.batches).toEqual([]);
    congested = false;
    await vi.waitFor(() => expect(out.lines().length).toBe(500));
    // The newest 500 lines, after a note that 19,500 were skipped.
    expect(out.batches[0].skipped).toBe(19_500);
    expect(out.lines()).toEqual(numbered(19_500, 20_000));
    // Later lines flow again, with nothing skipped.
    up.write('line 20000\n');
    await vi.waitFor(() => expect(out.lines().at(-1)).toBe('line 20000'));
    expect(out.batches.at(-1)!.skipped).toBe(0);
    expect(out.ended()).toBe(false);
  });

  it('stopping cancels the upstream body and sends nothing more', async () => {
    const up = upstream();
    const out = collector();
    const stop = pumpLog(up.body, out.sink, { batchMs: 5 });
    up.write('a\n');
    await vi.waitFor(() => expect(out.lines()).toEqual(['a']));
    stop();
    await vi.waitFor(() => expect(up.cancelled()).toBe(true));
    expect(out.ended()).toBe(false);
  });
});
