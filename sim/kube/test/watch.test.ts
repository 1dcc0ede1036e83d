// Watch semantics: resourceVersion unset/"0"/N/too old, selectors (leaving the selector yields
// DELETED), bookmarks off by default, timeoutSeconds, legacy /watch/ paths, many watchers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WatchEvent } from '../client';
import { capture, startTestSim, waitFor, type TestSim } from './helpers';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { k8sSpecsDir } from '../openapi/specs-dir';

/** Collects a watch's events until stopped. */
function collect(t: TestSim, p: string, query: Record<string, string> = {}) {
  const events: WatchEvent[] = [];
  const ac = new AbortController();
  const done = t.client.watch(p, query, (e) => events.push(e), ac.signal).catch((e) => {
    if (!ac.signal.aborted) throw e;
  });
  return { events, stop: () => ac.abort(), done };
}

/**
 * A watch whose `established` resolves when the response headers arrive. The API server subscribes
 * the watcher to the store in the same synchronous step that writes those headers, so from then on
 * every change reaches it live (not through a replay of the window).
 */
function liveWatch(t: TestSim, p: string, query: Record<string, string>) {
  const events: WatchEvent[] = [];
  const ac = new AbortController();
  const qs = new URLSearchParams({ ...query, watch: 'true' });
  const res = fetch(`${t.sim.url}${p}?${qs}`, { headers: { Authorization: `Bearer ${t.sim.adminToken}` }, signal: ac.signal });
  const established = res.then((r) => {
    if (r.status !== 200) throw new Error(`watch answered ${r.status}`);
  });
  const done = res
    .then(async (r) => {
      let buf = '';
      const decoder = new TextDecoder();
      for await (const chunk of r.body as unknown as AsyncIterable<Uint8Array>) {
        buf += decoder.decode(chunk, { stream: true });
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line) events.push(JSON.parse(line));
        }
      }
    })
    .catch((e) => {
      if (!ac.signal.aborted) throw e;
    });
  return { events, established, stop: () => ac.abort(), done };
}

describe('watch', () => {
  let t: TestSim;
  const ns = 'w';
  const cms = `/api/v1/namespaces/${ns}/configmaps`;
  beforeAll(async () => {
    t = await startTestSim({ timing: { watchWindow: 50 } });
    await t.client.create('/api/v1/namespaces', { metadata: { name: ns } });
    // the root CA publisher writes kube-root-ca.crt into every new namespace: let it settle first
    await waitFor(async () => t.client.getOrUndefined(`${cms}/kube-root-ca.crt`));
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('streams ADDED for current state (rv unset), then MODIFIED and DELETED, as the captured stream', async () => {
    await t.client.create(cms, { metadata: { name: 'c1', labels: { a: 'b' } }, data: { k: 'v' } });
    const w = collect(t, cms);
    await waitFor(() => w.events.some((e) => e.object.metadata.name === 'c1'));
    await t.client.create(cms, { metadata: { name: 'w1' }, data: { a: '1' } });
    await t.client.patch(`${cms}/w1`, { data: { a: '2' } }, 'merge');
    await t.client.delete(`${cms}/w1`);
    await waitFor(() => w.events.some((e) => e.type === 'DELETED'));
    w.stop();
    const w1 = w.events.filter((e) => e.object.metadata.name === 'w1');
    expect(w1.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    // the captured stream shape: {type, object} with full objects, increasing resourceVersions
    const captured = readFileSync(path.join(k8sSpecsDir(), 'captured', 'watch-stream.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(captured.slice(-3).map((e: any) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    for (const e of w1) expect(Object.keys(e)).toEqual(['type', 'object']);
    expect(w1[2].object.data).toEqual({ a: '2' });
    const rvs = w1.map((e) => Number(e.object.metadata.resourceVersion));
    expect(rvs[0]).toBeLessThan(rvs[1]);
    expect(rvs[1]).toBeLessThan(rvs[2]);
  });

  it('from a resourceVersion: only later events, no synthetic ADDED', async () => {
    const list = await t.client.list(cms);
    const w = collect(t, cms, { resourceVersion: list.metadata.resourceVersion });
    await t.client.create(cms, { metadata: { name: 'later' } });
    // a second change as a marker: events arrive in order, so once it is there anything the watch
    // would have sent before it (a synthetic ADDED of the current state) is there too
    await t.client.create(cms, { metadata: { name: 'later-marker' } });
    await waitFor(() => w.events.some((e) => e.object.metadata.name === 'later-marker'));
    w.stop();
    expect(w.events.map((e) => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'later'],
      ['ADDED', 'later-marker'],
    ]);
  });

  it('replays the window from an older resourceVersion', async () => {
    const before = (await t.client.list(cms)).metadata.resourceVersion;
    await t.client.create(cms, { metadata: { name: 'r1' } });
    await t.client.create(cms, { metadata: { name: 'r2' } });
    const w = collect(t, cms, { resourceVersion: before });
    await waitFor(() => w.events.length >= 2);
    w.stop();
    expect(w.events.map((e) => e.object.metadata.name)).toEqual(['r1', 'r2']);
  });

  it('a resourceVersion older than the window: HTTP 200, then one ERROR event with the 410 Expired Status', async () => {
    const old = (await t.client.list(cms)).metadata.resourceVersion;
    for (let i = 0; i < 60; i++) await t.client.create(cms, { metadata: { name: `x${i}` } });
    const res = await fetch(`${t.sim.url}${cms}?watch=true&resourceVersion=${old}`, { headers: { Authorization: `Bearer ${t.sim.adminToken}` } });
    expect(res.status).toBe(200);
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
    const want = JSON.parse(readFileSync(path.join(k8sSpecsDir(), 'captured', 'watch-expired.jsonl'), 'utf8').trim());
    expect(lines).toHaveLength(1);
    expect(lines[0].type).toBe('ERROR');
    expect(Object.keys(lines[0].object)).toEqual(Object.keys(want.object));
    expect(lines[0].object).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410 });
    expect(lines[0].object.message).toMatch(new RegExp(`^too old resource version: ${old} \\(\\d+\\)$`));
  });

  it('removing the last finalizer of an object being deleted: every watcher gets one DELETED with the last stored state, no MODIFIED first', async () => {
    // The real registry (Update → errEmptiedFinalizers → deleteWithoutFinalizers) deletes instead of
    // writing the update; the watch event carries etcd's previous value with the delete's revision.
    await t.client.create(cms, { metadata: { name: 'held', labels: { app: 'held' }, finalizers: ['example.com/hold'] } });
    const from = (await t.client.list(cms)).metadata.resourceVersion;
    const watchers = [collect(t, cms, { resourceVersion: from }), collect(t, cms, { resourceVersion: from, labelSelector: 'app=held' })];
    await t.client.delete(`${cms}/held`);
    await t.client.patch(`${cms}/held`, { metadata: { finalizers: null } }, 'merge');
    expect(await t.client.getOrUndefined(`${cms}/held`)).toBeUndefined();
    for (const w of watchers) {
      await waitFor(() => w.events.some((e) => e.type === 'DELETED' && e.object.metadata.name === 'held'));
      w.stop();
      const mine = w.events.filter((e) => e.object.metadata.name === 'held');
      // deletionTimestamp set (MODIFIED), then gone (DELETED): the finalizer is never seen removed.
      expect(mine.map((e) => e.type)).toEqual(['MODIFIED', 'DELETED']);
      const [marked, deleted] = mine;
      expect(marked.object.metadata.deletionTimestamp).toBeTruthy();
      expect(deleted.object.metadata.finalizers).toEqual(['example.com/hold']);
      expect(deleted.object.metadata.deletionTimestamp).toBe(marked.object.metadata.deletionTimestamp);
      expect(Number(deleted.object.metadata.resourceVersion)).toBeGreaterThan(Number(marked.object.metadata.resourceVersion));
    }
  });

  it('label selector: an object leaving the selector is DELETED, entering it is ADDED', async () => {
    await t.client.create(cms, { metadata: { name: 'sel', labels: { app: 'x' } } });
    const w = collect(t, cms, { labelSelector: 'app in (x,y),!skip' });
    await waitFor(() => w.events.some((e) => e.object.metadata.name === 'sel'));
    await t.client.patch(`${cms}/sel`, { metadata: { labels: { app: 'z' } } }, 'merge');
    await t.client.patch(`${cms}/sel`, { metadata: { labels: { app: 'y' } } }, 'merge');
    await t.client.patch(`${cms}/sel`, { metadata: { labels: { skip: '1' } } }, 'merge');
    await waitFor(() => w.events.filter((e) => e.object.metadata.name === 'sel').length >= 4);
    w.stop();
    expect(w.events.filter((e) => e.object.metadata.name === 'sel').map((e) => e.type)).toEqual(['ADDED', 'DELETED', 'ADDED', 'DELETED']);
  });

  it('field selector on metadata.name and a legacy /watch/ path for one object', async () => {
    await t.client.create(cms, { metadata: { name: 'fs1' } });
    const w = collect(t, cms, { fieldSelector: 'metadata.name=fs1' });
    const legacyRes = await fetch(`${t.sim.url}/api/v1/watch/namespaces/${ns}/configmaps/fs1?timeoutSeconds=1`, {
      headers: { Authorization: `Bearer ${t.sim.adminToken}` },
    });
    expect(legacyRes.status).toBe(200);
    const legacy = (await legacyRes.text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(legacy.map((e) => [e.type, e.object.metadata.name])).toEqual([['ADDED', 'fs1']]);
    await waitFor(() => w.events.length >= 1);
    w.stop();
    expect(new Set(w.events.map((e) => e.object.metadata.name))).toEqual(new Set(['fs1']));
  });

  it('timeoutSeconds ends the stream', async () => {
    const res = await fetch(`${t.sim.url}${cms}?watch=1&timeoutSeconds=1&resourceVersion=${(await t.client.list(cms)).metadata.resourceVersion}`, {
      headers: { Authorization: `Bearer ${t.sim.adminToken}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.text()).toBe('');
  });

  it('allowWatchBookmarks is accepted; unsupported field selectors are rejected with the real wording', async () => {
    const bad = await t.raw('GET', `/api/v1/namespaces/${ns}/pods?watch=true&fieldSelector=status.hostIP%3D1.2.3.4`);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe(
      'Unable to find "/v1, Resource=pods" that match label selector "", field selector "status.hostIP=1.2.3.4": field label not supported: status.hostIP',
    );
    const bad2 = await t.raw('GET', `/api/v1/namespaces/${ns}/configmaps?fieldSelector=foo.bar%3Dbaz`);
    expect(bad2.status).toBe(400);
    expect(bad2.body.message).toBe(
      'Unable to find "/v1, Resource=configmaps" that match label selector "", field selector "foo.bar=baz": "foo.bar" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
    const ok = await fetch(`${t.sim.url}${cms}?watch=true&allowWatchBookmarks=true&timeoutSeconds=1&resourceVersion=0`, {
      headers: { Authorization: `Bearer ${t.sim.adminToken}` },
    });
    expect(ok.status).toBe(200);
    await ok.text();
  });

  it('fans one change out to 100 watchers', async () => {
    const watchesBefore = (await t.raw('GET', '/_sim/info')).body.watches;
    const rv = (await t.client.list(cms)).metadata.resourceVersion;
    const ws = Array.from({ length: 100 }, () => liveWatch(t, cms, { resourceVersion: rv, fieldSelector: 'metadata.name=fan' }));
    // every watch is established (subscribed) before the change, so each one gets it live
    await Promise.all(ws.map((w) => w.established));
    expect((await t.raw('GET', '/_sim/info')).body.watches).toBeGreaterThanOrEqual(watchesBefore + 100);
    expect(ws.every((w) => w.events.length === 0)).toBe(true);
    await t.client.create(cms, { metadata: { name: 'fan' } });
    await waitFor(() => ws.every((w) => w.events.length >= 1), 10_000);
    for (const w of ws) w.stop();
    await Promise.all(ws.map((w) => w.done));
    for (const w of ws) expect(w.events.map((e) => [e.type, e.object.metadata.name])).toEqual([['ADDED', 'fan']]);
  });

  it('events field selector on involvedObject', async () => {
    const ev = (name: string, kind: string) => ({
      metadata: { name },
      involvedObject: { kind, name: 'web', namespace: ns, apiVersion: 'apps/v1' },
      reason: 'ScalingReplicaSet',
      message: 'Scaled up',
      type: 'Normal',
      source: { component: 'deployment-controller' },
    });
    await t.client.create(`/api/v1/namespaces/${ns}/events`, ev('e1', 'Deployment'));
    await t.client.create(`/api/v1/namespaces/${ns}/events`, ev('e2', 'ReplicaSet'));
    const c = capture('events-field-selector.json');
    const r = await t.raw('GET', c.request.path.replace('/namespaces/cap/', `/namespaces/${ns}/`));
    expect(r.status).toBe(200);
    expect(r.body.kind).toBe('EventList');
    expect(r.body.items.map((e: any) => e.metadata.name)).toEqual(['e1']);
  });

  it('a watch with an events field selector sees an event leave the selection when its involvedObject changes', async () => {
    const rv = (await t.client.list(`/api/v1/namespaces/${ns}/events`)).metadata.resourceVersion;
    const w = collect(t, `/api/v1/namespaces/${ns}/events`, { resourceVersion: rv, fieldSelector: 'involvedObject.kind=Pod,involvedObject.name=p1,type!=Warning' });
    const body = { involvedObject: { kind: 'Pod', name: 'p1', namespace: ns, apiVersion: 'v1' }, reason: 'Started', message: 'Started', type: 'Normal' };
    await t.client.create(`/api/v1/namespaces/${ns}/events`, { metadata: { name: 'p1.a' }, ...body });
    await t.client.create(`/api/v1/namespaces/${ns}/events`, { metadata: { name: 'p1.warn' }, ...body, type: 'Warning' });
    await t.client.create(`/api/v1/namespaces/${ns}/events`, { metadata: { name: 'p2.a' }, ...body, involvedObject: { ...body.involvedObject, name: 'p2' } });
    await t.client.patch(`/api/v1/namespaces/${ns}/events/p1.a`, { involvedObject: { name: 'p3' } }, 'merge');
    await waitFor(() => w.events.length >= 2);
    w.stop();
    expect(w.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED p1.a', 'DELETED p1.a']);
  });
});
