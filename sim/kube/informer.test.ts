import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeClient } from './client';
import { Informer } from './informer';

// A scripted API server: each list and each watch answers with the next scripted response.
let server: Server | undefined;
afterEach(() => server?.close());

async function scripted(lists: unknown[], watches: ((res: import('node:http').ServerResponse) => void)[]) {
  const calls: string[] = [];
  server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    const watch = url.searchParams.get('watch') === 'true';
    calls.push(`${watch ? 'WATCH' : 'LIST'} rv=${url.searchParams.get('resourceVersion') ?? ''}`);
    if (!watch) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(lists.shift() ?? lists[lists.length - 1]));
      return;
    }
    const next = watches.shift();
    if (!next) return; // hang
    res.writeHead(200, { 'Content-Type': 'application/json' });
    next(res);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const port = (server!.address() as AddressInfo).port;
  return { client: new KubeClient({ server: `http://127.0.0.1:${port}`, token: 't' }), calls };
}

const cm = (name: string, rv: string) => ({ metadata: { name, namespace: 'ns', resourceVersion: rv, uid: name } });
const waitUntil = async (f: () => boolean) => {
  for (let i = 0; i < 400 && !f(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(f()).toBe(true);
};

describe('Informer', () => {
  it('watches from the list resourceVersion, re-watches on stream end and relists on 410 Expired', async () => {
    const { client, calls } = await scripted(
      [
        { metadata: { resourceVersion: '10' }, items: [cm('a', '5')] },
        { metadata: { resourceVersion: '30' }, items: [cm('b', '25')] },
      ],
      [
        (res) => res.end(JSON.stringify({ type: 'ADDED', object: cm('c', '11') }) + '\n'),
        (res) => res.end(JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' } }) + '\n'),
      ],
    );
    const seen: string[] = [];
    const inf = new Informer(client, '/api/v1/configmaps').on({
      add: (o) => seen.push(`add ${o.metadata.name}`),
      delete: (o) => seen.push(`delete ${o.metadata.name}`),
    });
    inf.start();
    await waitUntil(() => seen.includes('add b') && calls.length >= 5);
    expect(seen).toEqual(['add a', 'add c', 'add b', 'delete a', 'delete c']);
    expect(calls.slice(0, 5)).toEqual(['LIST rv=', 'WATCH rv=10', 'WATCH rv=11', 'LIST rv=', 'WATCH rv=30']);
    expect(inf.list().map((o) => o.metadata.name)).toEqual(['b']);
    await inf.stop();
  });

  it('relists after a connection failure', async () => {
    const { client, calls } = await scripted(
      [
        { metadata: { resourceVersion: '1' }, items: [] },
        { metadata: { resourceVersion: '2' }, items: [cm('x', '2')] },
      ],
      [(res) => res.destroy()],
    );
    const inf = new Informer(client, '/api/v1/configmaps').start();
    await waitUntil(() => inf.list().length === 1);
    expect(calls.filter((c) => c.startsWith('LIST')).length).toBeGreaterThanOrEqual(2);
    await inf.stop();
  });
});
