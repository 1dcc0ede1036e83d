import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHarness, type Harness } from './clusters/testing/route-harness';

vi.mock('server-only', () => ({}));

// The dashboard's own informer against a sim behind the recording proxy: relist after a watch
// ends with 410 Expired, and the capped backoff after errors (timed by an injected clock).
const { Informer, BACKOFF_CAP_MS, BACKOFF_START_MS } = await import('./informer');
const { getConnection } = await import('./kubeconfig');
const { configMapsKind, deploymentsKind, toCollectionPath } = await import('./resource-kinds');
const { toInformerKey } = await import('./informer-registry');
const { LIST_PAGE_SIZE } = await import('./informer');
type InformerEvent = import('./informer').InformerEvent;
type InformerClock = import('./informer').InformerClock;
type Informer = import('./informer').Informer;

let h: Harness;
const run = Date.now().toString(36);
let counter = 0;

async function newNamespace(): Promise<string> {
  const ns = `informer-${run}-${++counter}`;
  await h.sim.createNamespace(ns);
  return ns;
}

function deployment(name: string) {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: {
      replicas: 0,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: 'nginx' }] } },
    },
  };
}

/** How long to wait for something the sim or the informer does (a shared, busy machine). */
const wait = { timeout: 15_000 };
const names = (items: { metadata?: { name?: string } }[]) => items.map((o) => o.metadata?.name).sort();

/** An informer on the deployments of `ns` that records what it tells its listeners. */
function startInformer(ns: string, clock?: InformerClock): { informer: Informer; events: InformerEvent[] } {
  const informer = new Informer({ conn: getConnection('sim-admin'), kind: deploymentsKind, namespace: ns }, clock);
  const events: InformerEvent[] = [];
  informer.subscribe((e) => events.push(e));
  informer.start();
  return { informer, events };
}

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

describe('Informer', () => {
  it('lists in pages (limit and continue) and stores only what its transform keeps; the transform is part of its key', async () => {
    const ns = await newNamespace();
    const path = toCollectionPath(configMapsKind, ns);
    const total = LIST_PAGE_SIZE + 3;
    for (let i = 0; i < total; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, total - i) }, (_, k) =>
          h.sim.request('POST', path, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i + k}` }, data: { big: 'x'.repeat(1000) } }),
        ),
      );
    }
    const transform = { name: 'names-only', apply: (o: unknown) => ({ metadata: { name: (o as { metadata: { name: string } }).metadata.name, namespace: ns, resourceVersion: '' } }) };
    const spec = { conn: getConnection('sim-admin'), kind: configMapsKind, namespace: ns, transform };
    h.proxy.reset();
    const informer = new Informer(spec);
    informer.start();
    try {
      await informer.whenSynced();
      const lists = h.proxy.requests.map((r) => ({ ...r, q: new URLSearchParams(r.query) })).filter((r) => r.method === 'GET' && r.path === path && !r.q.has('watch'));
      expect(lists.map((r) => [r.q.get('limit'), r.q.has('continue')])).toEqual([
        [String(LIST_PAGE_SIZE), false],
        [String(LIST_PAGE_SIZE), true],
      ]);
      // kube-root-ca.crt of the namespace is listed too.
      expect(informer.list().length).toBe(total + 1);
      expect(informer.list().every((o) => !('data' in o))).toBe(true);
      // A change through the watch is transformed as well.
      await h.sim.request('POST', path, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'watched' }, data: { big: 'y' } });
      await expect.poll(() => informer.list().find((o) => o.metadata?.name === 'watched'), wait).toEqual({ metadata: { name: 'watched', namespace: ns, resourceVersion: '' } });
    } finally {
      informer.stop();
    }
    expect(toInformerKey(spec)).not.toBe(toInformerKey({ ...spec, transform: undefined }));

    // A continue token that expired (410, churn) makes it list everything at once, as client-go's pager does.
    h.proxy.reset();
    h.proxy.failWhen = (r) => (r.path === path && r.query.has('continue') ? 410 : false);
    const again = new Informer(spec);
    again.start();
    try {
      await again.whenSynced();
      expect(again.list().length).toBe(total + 2);
      const lists = h.proxy.requests.map((r) => new URLSearchParams(r.query)).filter((q) => !q.has('watch'));
      expect(lists.map((q) => [q.get('limit'), q.has('continue')])).toEqual([
        [String(LIST_PAGE_SIZE), false],
        [String(LIST_PAGE_SIZE), true],
        [null, false],
      ]);
    } finally {
      h.proxy.failWhen = undefined;
      again.stop();
    }
  });

  it('relists at once when its watch ends with 410 Expired, and stays live', async () => {
    const ns = await newNamespace();
    const path = toCollectionPath(deploymentsKind, ns);
    await h.sim.request('POST', `${path}`, deployment('before'));
    const { informer, events } = startInformer(ns);
    try {
      await informer.whenSynced();
      expect(names(informer.list())).toEqual(['before']);
      await expect.poll(() => h.proxy.openWatches.filter((w) => w.path === path).length, wait).toBe(1);

      // Hold the relist, so a change made while the watch is gone can only arrive through it.
      h.proxy.reset();
      h.proxy.holdWhen = (r) => r.method === 'GET' && r.path === path && !r.query.has('watch');
      events.length = 0;
      expect(h.proxy.expireWatches()).toBe(1);
      await expect.poll(() => h.proxy.held.length, wait).toBe(1);
      await h.sim.request('POST', `${path}`, deployment('missed'));
      h.proxy.holdWhen = undefined;
      h.proxy.releaseHeld();

      await expect.poll(() => events.filter((e) => e.type === 'snapshot').length, wait).toBe(1);
      const snapshot = events.find((e) => e.type === 'snapshot');
      expect(snapshot?.type === 'snapshot' && names(snapshot.items)).toEqual(['before', 'missed']);
      expect(h.proxy.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${path}`]);
      // A 410 is the normal end of a watch, not an outage: no "reconnecting" for the user.
      expect(events.filter((e) => e.type === 'status')).toEqual([]);
      expect(informer.state).toBe('live');

      // It watches again from the relist, and sees what comes next.
      await expect.poll(() => h.proxy.openWatches.filter((w) => w.path === path).length, wait).toBe(1);
      await h.sim.request('POST', `${path}`, deployment('after'));
      await expect.poll(() => names(informer.list()), wait).toEqual(['after', 'before', 'missed']);
      // (the deployment controller's status updates arrive as upserts too)
      expect(events.find((e) => e.type === 'upsert' && e.object.metadata?.name === 'after')).toBeDefined();
      expect(events.filter((e) => e.type === 'snapshot' || e.type === 'status' || e.type === 'delete')).toHaveLength(1);
    } finally {
      h.proxy.holdWhen = undefined;
      h.proxy.releaseHeld();
      informer.stop();
    }
  });

  it('a listener that throws does not keep a change from the listeners after it (the watch callback swallows exceptions)', async () => {
    const ns = await newNamespace();
    const path = toCollectionPath(deploymentsKind, ns);
    const failing = vi.fn((e: InformerEvent) => {
      if (e.type === 'upsert' || e.type === 'delete') throw new Error('a broken view');
    });
    const informer = new Informer({ conn: getConnection('sim-admin'), kind: deploymentsKind, namespace: ns });
    const after: InformerEvent[] = [];
    informer.subscribe(failing);
    informer.subscribe((e) => after.push(e));
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    informer.start();
    try {
      await informer.whenSynced();
      await expect.poll(() => h.proxy.openWatches.filter((w) => w.path === path).length, wait).toBe(1);
      await h.sim.request('POST', path, deployment('one'));
      await expect.poll(() => after.some((e) => e.type === 'upsert' && e.object.metadata?.name === 'one'), wait).toBe(true);
      await h.sim.request('DELETE', `${path}/one`);
      await expect.poll(() => after.filter((e) => e.type === 'delete').length, wait).toBe(1);
      expect(failing.mock.calls.filter(([e]) => e.type === 'delete')).toHaveLength(1);
      expect(logged).toHaveBeenCalledWith(expect.stringContaining(`A listener of the deployments informer`), expect.any(Error));
    } finally {
      logged.mockRestore();
      informer.stop();
    }
  });

  it('backs off exponentially from 250 ms to the 15 s cap while lists fail, and starts over after a success', async () => {
    const ns = await newNamespace();
    const path = toCollectionPath(deploymentsKind, ns);
    const delays: number[] = [];
    let failing = true;
    h.proxy.failWhen = (r) => failing && r.path === path;
    let enough: () => void = () => {};
    const reached = (n: number) => new Promise<void>((resolve) => (enough = () => delays.length >= n && resolve()));
    // Each wait is recorded and ends at once (the next attempt is a real request); jitter at its midpoint.
    const clock: InformerClock = {
      schedule(fn, ms) {
        delays.push(ms);
        enough();
        const timer = setImmediate(fn);
        return () => clearImmediate(timer);
      },
      random: () => 0.5,
    };
    const first = reached(9);
    const { informer, events } = startInformer(ns, clock);
    try {
      await first;
      expect(BACKOFF_START_MS).toBe(250);
      expect(BACKOFF_CAP_MS).toBe(15_000);
      expect(delays.slice(0, 9)).toEqual([250, 500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000]);
      expect(informer.isSynced).toBe(false);
      // Told once, not at every attempt.
      expect(events).toEqual([
        { type: 'status', state: 'reconnecting', message: `Could not list deployments in namespace ${ns}: injected fault.` },
      ]);

      // The API server answers again: the informer syncs, and a later failure starts from 250 ms.
      failing = false;
      await informer.whenSynced();
      expect(informer.state).toBe('live');
      const before = delays.length;
      failing = true;
      const again = reached(before + 3);
      h.proxy.expireWatches();
      await again;
      expect(delays.slice(before, before + 3)).toEqual([250, 500, 1000]);
    } finally {
      h.proxy.failWhen = undefined;
      informer.stop();
    }
  });

  it('keeps the jitter within a quarter of the delay on either side', async () => {
    const ns = await newNamespace();
    const path = toCollectionPath(deploymentsKind, ns);
    h.proxy.failWhen = (r) => r.path === path;
    for (const [random, factor] of [
      [0, 0.75],
      [0.999, 1.2495],
    ] as const) {
      const delays: number[] = [];
      let done: () => void = () => {};
      const reached = new Promise<void>((resolve) => (done = resolve));
      const clock: InformerClock = {
        schedule(fn, ms) {
          delays.push(ms);
          if (delays.length >= 8) {
            done();
            return () => {};
          }
          const timer = setImmediate(fn);
          return () => clearImmediate(timer);
        },
        random: () => random,
      };
      const { informer } = startInformer(ns, clock);
      try {
        await reached;
        expect(delays).toEqual([250, 500, 1000, 2000, 4000, 8000, 15_000, 15_000].map((d) => expect.closeTo(d * factor, 6)));
      } finally {
        informer.stop();
      }
    }
    h.proxy.failWhen = undefined;
  });
});
