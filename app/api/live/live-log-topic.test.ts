import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SseReader, type SseFrame } from '@/e2e/support/sse-reader';
import { startLogCluster } from '@/app/api/_testing/log-cluster';
import type { Harness } from '@/lib/k8s/clusters/testing/route-harness';

vi.mock('server-only', () => ({}));

// A followed pod log as a topic of GET /api/live (app/api/live/_lib/topics.ts), against a
// simulated cluster this file starts: a session cluster made by the create route, whose
// JobManager's Flink process is made to write many lines at once (POST /_sim/flink/logs).
const liveRoute = await import('./route');
const statsRoute = await import('./stats/route');

let h: Harness;
let ns: string;
let cid: string;
let jm: string;

type LogFrame = { topic: string; container: string; lines: string[]; skipped: number };

function open(topics: string[], signal?: AbortSignal) {
  const query = topics.map((t) => `topic=${encodeURIComponent(t)}`).join('&');
  return liveRoute.GET(new Request(`http://dashboard.test/api/live?${query}`, { signal }), {});
}
type LogStats = { follows: number; linesRead: number; linesSent: number; linesSkipped: number };
async function stats(): Promise<{ streams: number; subscriptions: number; logs: LogStats }> {
  return (await statsRoute.GET(new Request('http://dashboard.test/api/live/stats'), {})).json();
}
const logTopic = (pod: string, query = 'tailLines=1') => `/api/clusters/${ns}/${cid}/pods/${pod}/log?context=sim-admin&${query}`;
const of = (topic: string, event: string) => (f: SseFrame) => f.event === event && (f.data as { topic: string }).topic === topic;

/** Reads the topic's log frames until a line ends with `last`. */
async function readUntil(stream: SseReader, topic: string, last: string): Promise<LogFrame[]> {
  const frames: LogFrame[] = [];
  for (;;) {
    const frame = (await stream.next(of(topic, 'log'), 60_000)).data as LogFrame;
    frames.push(frame);
    if (frame.lines.some((l) => l.endsWith(last))) return frames;
  }
}
/** The numbers i of the lines `<message> i of n` among the frames' lines. */
const numbersOf = (frames: LogFrame[], message: string) =>
  frames.flatMap((f) => f.lines).flatMap((l) => {
    const m = new RegExp(`${message} (\\d+) of \\d+$`).exec(l);
    return m ? [Number(m[1])] : [];
  });

async function writeLines(pod: string, lines: number, message: string, where: { h: Harness; ns: string } = { h, ns }) {
  return where.h.sim.request('POST', `/_sim/flink/logs/${where.ns}/${pod}`, { lines, message });
}

beforeAll(async () => {
  // Until the JobManager's Flink process runs and writes what it is told to.
  ({ h, ns, cid, jm } = await startLogCluster('livelog', { mode: 'session' }, { ready: (c) => writeLines(c.jm, 1, 'warm-up', c), interval: 200 }));
}, 90_000);

afterAll(async () => {
  await h?.stop();
});

describe('the pod log topic of /api/live', () => {
  it('follows the log: new lines arrive in batches of many lines, with their timestamps, in order', async () => {
    const abort = new AbortController();
    const topic = logTopic(jm);
    const stream = new SseReader((await open([topic], abort.signal)).body!);
    expect((await stream.next(of(topic, 'status'))).data).toEqual({ topic, state: 'live' });
    await writeLines(jm, 5_000, 'batched');
    const frames = await readUntil(stream, topic, 'batched 5000 of 5000');
    expect(numbersOf(frames, 'batched')).toEqual(Array.from({ length: 5_000 }, (_, i) => i + 1));
    expect(frames.every((f) => f.skipped === 0 && f.container === 'flink-main-container')).toBe(true);
    // Batches, not a message per line.
    expect(frames.length).toBeLessThan(5_000 / 50);
    // Each line as the API server sent it with timestamps=true: `<RFC3339Nano> <text>`.
    expect(frames[0].lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z /);
    abort.abort();
  });

  it('a browser that does not read gets a bounded window and the number of lines skipped, not a growing server buffer', async () => {
    const before = await stats();
    const abort = new AbortController();
    const topic = logTopic(jm);
    const res = await open([topic], abort.signal);
    // Nothing reads the stream yet: wait until the topic is subscribed (its log open).
    await vi.waitFor(async () => expect((await stats()).subscriptions).toBe(before.subscriptions + 1), { timeout: 30_000 });
    const total = 100_000;
    await writeLines(jm, total, 'slow');
    // The server reads the API server's stream on at its pace while nobody reads its own.
    await vi.waitFor(async () => expect((await stats()).logs.linesRead).toBeGreaterThanOrEqual(before.logs.linesRead + total), { timeout: 60_000 });
    const stream = new SseReader(res.body!);
    const frames = await readUntil(stream, topic, `slow ${total} of ${total}`);
    const received = numbersOf(frames, 'slow');
    const skipped = frames.reduce((n, f) => n + f.skipped, 0);
    expect(skipped).toBeGreaterThan(0);
    // What arrived is in order and ends with the last line; with the skipped ones it accounts for every line.
    expect(received).toEqual([...received].sort((a, b) => a - b));
    expect(received.at(-1)).toBe(total);
    expect(frames.reduce((n, f) => n + f.lines.length, 0) + skipped).toBeGreaterThanOrEqual(total);
    // Far fewer lines than were written reached the browser: the rest never piled up in the server.
    expect(received.length).toBeLessThan(total / 2);
    abort.abort();
    // The stream's end stops the follow (and with it the request to the API server).
    await vi.waitFor(async () =>
      expect(await stats()).toMatchObject({ streams: before.streams, subscriptions: before.subscriptions, logs: { follows: before.logs.follows } }),
    );
  }, 120_000);

  it('says in plain words that a pod is gone, and a container that does not exist is refused', async () => {
    const abort = new AbortController();
    const gone = logTopic(`${cid}-not-a-pod`);
    const wrong = logTopic(jm, 'container=nope');
    const stream = new SseReader((await open([gone, wrong], abort.signal)).body!);
    expect((await stream.next(of(gone, 'status'))).data).toEqual({
      topic: gone,
      state: 'reconnecting',
      message: `Pod ${cid}-not-a-pod does not exist in namespace ${ns} (any more): it was deleted or replaced.`,
    });
    const refused = (await stream.next(of(wrong, 'status'))).data as { state: string; message: string };
    expect(refused).toMatchObject({ state: 'reconnecting' });
    expect(refused.message).toContain(`Pod ${jm} has no container nope`);
    abort.abort();
  });
});
