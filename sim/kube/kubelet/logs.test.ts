import { describe, expect, it } from 'vitest';
import { ContainerLogs, readLog } from './logs';

describe('a followed container log', () => {
  it('keeps its place when older lines rotate away, as kubectl logs -f goes on with the new file', async () => {
    const logs = new ContainerLogs();
    logs.startInstance('c1');
    const inst = logs.current!;
    const abort = new AbortController();
    const follower = readLog(inst, { follow: true, tailLines: 0 }, abort.signal, true);
    const long = 'x'.repeat(1_000);
    // 15 MiB written while the follower reads: more than the ~10 MiB the kubelet keeps.
    const total = 15 * 1_024;
    const read: string[] = [];
    const reading = (async () => {
      for await (const line of follower) {
        read.push(line);
        if (line.startsWith(`${total - 1} `)) break;
      }
    })();
    for (let i = 0; i < total; i++) {
      logs.append(`${i} ${long}`);
      if (i % 1_000 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await reading;
    abort.abort();
    expect(inst.rotated).toBeGreaterThan(0);
    // Every line, in order: the follower was never behind by more than what the kubelet keeps.
    expect(read.map((l) => Number(l.split(' ')[0]))).toEqual(Array.from({ length: total }, (_, i) => i));
  });
});
