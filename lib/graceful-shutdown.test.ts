import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSim, stopProcess } from '@/e2e/support/processes';
import { SimClient } from '@/e2e/support/sim-client';
import { countInformers } from '@/lib/k8s/informer-registry';
import { openStreamCount } from '@/lib/live/server/shutdown';

vi.mock('server-only', () => ({}));

// The SIGTERM path in-process (the built server's is e2e/standalone.spec.ts): the live route and a
// per-stream watch route against a simulated cluster this file starts, then shutdown().
const liveRoute = await import('@/app/api/live/route');
const watchRoute = await import('@/app/api/watch/clusters/route');
const readyRoute = await import('@/app/readyz/route');
const { shutdown } = await import('./graceful-shutdown');

let dataDir: string;
let simProcess: ChildProcess;
let sim: SimClient;
const ns = `shutdown-${Date.now().toString(36)}`;

async function readUntil(reader: ReadableStreamDefaultReader<string>, text: { value: string }, needle: string) {
  while (!text.value.includes(needle)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the stream ended before "${needle}": ${text.value}`);
    text.value += value;
  }
}
async function readToEnd(reader: ReadableStreamDefaultReader<string>, text: { value: string }) {
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    text.value += value;
  }
}
const simWatches = async () => ((await sim.request('GET', '/_sim/info')) as { watches: number }).watches;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'flink-dash-shutdown-'));
  const started = await startSim(path.join(dataDir, 'sim'));
  simProcess = started.child;
  sim = new SimClient(started.info.url, started.info.kubeconfig);
  await sim.createNamespace(ns);
  process.env.FLINK_DASHBOARD_KUBECONFIG = started.info.kubeconfig;
}, 180_000);

afterAll(async () => {
  await stopProcess(simProcess);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('graceful shutdown', () => {
  it('ends every SSE stream with a reconnect status frame, stops the watches, fails /readyz and exits 0', async () => {
    expect((await readyRoute.GET()).status).toBe(200);
    const watchesBefore = await simWatches();
    const topic = `/api/watch/clusters?namespace=${ns}`;
    const live = await liveRoute.GET(new Request(`http://dashboard.test/api/live?topic=${encodeURIComponent(topic)}`), {});
    const single = await watchRoute.GET(new Request(`http://dashboard.test/api/watch/clusters?namespace=${ns}`), {});
    const liveReader = live.body!.pipeThrough(new TextDecoderStream()).getReader();
    const singleReader = single.body!.pipeThrough(new TextDecoderStream()).getReader();
    const liveText = { value: '' };
    const singleText = { value: '' };
    await readUntil(liveReader, liveText, 'event: snapshot');
    await readUntil(singleReader, singleText, 'event: snapshot');
    expect(openStreamCount()).toBe(2);
    expect(countInformers()).toBeGreaterThan(0);
    await expect.poll(simWatches).toBeGreaterThan(watchesBefore);
    const watchesOpen = await simWatches();

    const exit = vi.fn<(code: number) => void>();
    await shutdown('SIGTERM', exit);
    await readToEnd(liveReader, liveText);
    await readToEnd(singleReader, singleText);
    const message = 'This dashboard server is shutting down; reconnecting to another one…';
    expect(liveText.value).toContain(`event: status\ndata: ${JSON.stringify({ topic, state: 'reconnecting', message })}\n\n`);
    expect(singleText.value.endsWith(`event: status\ndata: ${JSON.stringify({ state: 'reconnecting', message })}\n\n`)).toBe(true);
    expect(exit).toHaveBeenCalledExactlyOnceWith(0);
    expect(openStreamCount()).toBe(0);
    expect(countInformers()).toBe(0);
    await expect.poll(simWatches).toBeLessThan(watchesOpen);

    const ready = await readyRoute.GET();
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'unavailable', checks: [{ name: 'shutdown', ok: false, message: 'The server is shutting down.' }] });
    // A stream opened while draining ends at once, telling the browser to go elsewhere.
    const late = await liveRoute.GET(new Request(`http://dashboard.test/api/live?topic=${encodeURIComponent(topic)}`), {});
    const lateText = { value: '' };
    await readToEnd(late.body!.pipeThrough(new TextDecoderStream()).getReader(), lateText);
    expect(lateText.value).toContain('"state":"reconnecting","message":"This dashboard server is shutting down');
  });
});
