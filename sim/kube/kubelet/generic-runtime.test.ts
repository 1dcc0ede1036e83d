import { describe, expect, it, vi } from 'vitest';
import type { ContainerContext, HttpHandler } from '../runtime';
import { createGenericRuntime, isGenericImage } from './generic-runtime';

function fakeCtx(image: string, command: string[], args: string[] = []) {
  const ac = new AbortController();
  const logs: string[] = [];
  const codes: number[] = [];
  const ports = new Map<number, HttpHandler>();
  let resolveExit!: (v: number) => void;
  const exited = new Promise<number>((r) => (resolveExit = r));
  const ctx = {
    image,
    command,
    args,
    podIP: '10.244.1.2',
    log: (l: string) => logs.push(l),
    listen: (p: number, h: HttpHandler) => ports.set(p, h),
    unlisten: (p: number) => ports.delete(p),
    signal: ac.signal,
    exit: (code: number) => {
      codes.push(code);
      resolveExit(code);
    },
  } as unknown as ContainerContext;
  return { ctx, logs, codes, ports, exited, abort: () => ac.abort() };
}

describe('generic runtime', () => {
  const rt = createGenericRuntime();

  it('knows busybox, nginx and pause images with any tag and docker.io prefixes', () => {
    for (const i of ['busybox', 'busybox:1.36', 'docker.io/library/busybox:latest', 'docker.io/nginx:1.25', 'nginx@sha256:abc', 'registry.k8s.io/pause:3.9']) expect(isGenericImage(i)).toBe(true);
    for (const i of ['flink:1.20', 'nginxx', 'quay.io/nginx']) expect(isGenericImage(i)).toBe(false);
  });

  it.each([
    [['sleep', '0.01'], 0],
    [['true'], 0],
    [['false'], 1],
    [['sh', '-c', 'exit 7'], 7],
    [['/bin/sh', '-c', 'echo hi; sleep 0.01; exit 3'], 3],
  ])('%j exits with %i', async (command, code) => {
    const f = fakeCtx('busybox', command as string[]);
    await rt.start(f.ctx);
    expect(await f.exited).toBe(code);
  });

  it('nginx listens on 80 with the welcome page; other commands log their command line and run until stopped', async () => {
    const n = fakeCtx('nginx:1.25', []);
    const proc = await rt.start(n.ctx);
    expect(n.ports.has(80)).toBe(true);
    await proc.stop(30);
    expect(n.ports.has(80)).toBe(false);
    const o = fakeCtx('busybox', ['myserver', '--port', '1']);
    await rt.start(o.ctx);
    expect(o.logs).toEqual(['myserver --port 1']);
  });

  // "Runs until stopped" means nothing is scheduled that would end it: with fake timers, a day of
  // simulated time runs every timer the runtime set, and the process still has not exited. The
  // timed command beside it shows that an exit scheduled on a timer is seen this way.
  it('other commands and sleep infinity never exit on their own; a timed sleep does', async () => {
    vi.useFakeTimers();
    try {
      const forever = [fakeCtx('busybox', ['myserver', '--port', '1']), fakeCtx('busybox', ['sleep', 'infinity']), fakeCtx('busybox', ['sh', '-c', 'echo up; sleep infinity'])];
      const timed = fakeCtx('busybox', ['sleep', '3600']);
      for (const f of [...forever, timed]) await rt.start(f.ctx);
      await vi.advanceTimersByTimeAsync(24 * 3600 * 1000);
      for (const f of forever) expect(f.codes).toEqual([]);
      expect(timed.codes).toEqual([0]);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
