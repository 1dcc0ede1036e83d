import { describe, expect, it } from 'vitest';
import { MAX_REQUESTS_IN_FLIGHT, withRequestSlot } from './client';

/** Resolves once `log` has n entries (requests that got a slot), without waiting for any one of them. */
const logWatchers: { log: string[]; n: number; resolve: () => void }[] = [];
function logged(log: string[], n: number): Promise<void> {
  return log.length >= n ? Promise.resolve() : new Promise((resolve) => logWatchers.push({ log, n, resolve }));
}

/** A request that runs until release() is called; started tells when it got its slot. */
function held(flow: string, log: string[], name: string) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let started!: () => void;
  const startedP = new Promise<void>((r) => (started = r));
  const done = withRequestSlot(flow, async () => {
    log.push(name);
    for (const w of logWatchers) if (w.log === log && log.length >= w.n) w.resolve();
    started();
    await gate;
  });
  return { release, started: startedP, done };
}

describe('request slots of the in-process clients', () => {
  it('serve waiting flows round robin: one flow with a long queue does not hold back another', async () => {
    const log: string[] = [];
    const running = Array.from({ length: MAX_REQUESTS_IN_FLIGHT }, (_, i) => held('kubelet', log, `kubelet-running-${i}`));
    await Promise.all(running.map((r) => r.started));
    // Every slot is taken: these wait, the kubelet's first and in numbers.
    const kubeletQueue = Array.from({ length: 100 }, (_, i) => held('kubelet', log, `kubelet-${i}`));
    const controller = held('controller-manager', log, 'controller');
    const scheduler = held('scheduler', log, 'scheduler');
    expect(log).toHaveLength(MAX_REQUESTS_IN_FLIGHT);
    // Free three slots, one after the other.
    for (let i = 0; i < 3; i++) {
      running[i].release();
      await running[i].done;
    }
    await logged(log, MAX_REQUESTS_IN_FLIGHT + 3);
    expect(log.slice(MAX_REQUESTS_IN_FLIGHT)).toEqual(['kubelet-0', 'controller', 'scheduler']);
    // The rest drain; each flow in its own order.
    for (const r of [...running.slice(3), ...kubeletQueue, controller, scheduler]) r.release();
    await Promise.all([...running, ...kubeletQueue, controller, scheduler].map((r) => r.done));
    expect(log.filter((n) => /^kubelet-\d+$/.test(n))).toEqual(kubeletQueue.map((_, i) => `kubelet-${i}`));
    expect(log).toHaveLength(MAX_REQUESTS_IN_FLIGHT + 102);
  });

  it('frees the slot when a request fails, and the next waiter runs', async () => {
    const log: string[] = [];
    const running = Array.from({ length: MAX_REQUESTS_IN_FLIGHT }, (_, i) => held('a', log, `a-${i}`));
    await Promise.all(running.map((r) => r.started));
    const failing = withRequestSlot('b', async () => {
      throw new Error('refused');
    });
    const after = held('c', log, 'c');
    running[0].release();
    await expect(failing).rejects.toThrow('refused');
    await after.started;
    for (const r of [...running, after]) r.release();
    await Promise.all([...running, after].map((r) => r.done));
  });
});
