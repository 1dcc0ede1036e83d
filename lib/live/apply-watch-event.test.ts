import { describe, expect, it } from 'vitest';
import { applyWatchEvent, applyWatchEvents } from './apply-watch-event';
import type { WatchEvent } from './watch-events';

type Row = { key: string; resourceVersion: string; ready: number };
const a1: Row = { key: 'ns/a', resourceVersion: '10', ready: 0 };
const b1: Row = { key: 'ns/b', resourceVersion: '11', ready: 1 };

describe('applyWatchEvent', () => {
  it('adds an unknown item on upsert', () => {
    expect(applyWatchEvent([a1], { type: 'upsert', item: b1 })).toEqual([a1, b1]);
  });

  it('starts from an empty list when the cache is empty', () => {
    expect(applyWatchEvent(undefined, { type: 'upsert', item: a1 })).toEqual([a1]);
  });

  it('replaces an item whose resourceVersion changed, keeping its position', () => {
    const a2 = { ...a1, resourceVersion: '12', ready: 1 };
    const list = [a1, b1];
    const next = applyWatchEvent(list, { type: 'upsert', item: a2 });
    expect(next).toEqual([a2, b1]);
    expect(list).toEqual([a1, b1]);
  });

  it('returns the same reference for an upsert with the same resourceVersion', () => {
    const list = [a1, b1];
    expect(applyWatchEvent(list, { type: 'upsert', item: { ...a1 } })).toBe(list);
  });

  it('compares resourceVersions for equality only, never by order', () => {
    const older = { ...a1, resourceVersion: '9' };
    expect(applyWatchEvent([a1], { type: 'upsert', item: older })).toEqual([older]);
  });

  it('removes a deleted item and ignores an unknown delete', () => {
    const list = [a1, b1];
    expect(applyWatchEvent(list, { type: 'delete', item: { key: 'ns/a' } })).toEqual([b1]);
    expect(applyWatchEvent(list, { type: 'delete', item: { key: 'ns/zzz' } })).toBe(list);
  });

  it('replaces the list with a snapshot, keeping the reference when it is identical', () => {
    const list = [a1, b1];
    expect(applyWatchEvent(list, { type: 'snapshot', items: [{ ...b1 }, { ...a1 }] })).toBe(list);
    const fresh = [b1];
    expect(applyWatchEvent(list, { type: 'snapshot', items: fresh })).toBe(fresh);
    expect(applyWatchEvent(undefined, { type: 'snapshot', items: [] })).toEqual([]);
  });
});

describe('applyWatchEvents (a burst folded at once)', () => {
  const fold = (list: Row[] | undefined, events: WatchEvent<Row>[]) => events.reduce<Row[] | undefined>((l, e) => applyWatchEvent(l, e), list) ?? [];

  it('gives what applying the events one by one gives, in order, for any mix of events', () => {
    // A deterministic pseudo-random sequence (LCG), so a failure reproduces.
    let seed = 42;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const row = (k: number, rv: number): Row => ({ key: `ns/${k}`, resourceVersion: String(rv), ready: rv % 3 });
    for (let round = 0; round < 300; round++) {
      const list = Array.from({ length: rand(8) }, (_, i) => row(i, 1));
      const events: WatchEvent<Row>[] = Array.from({ length: 1 + rand(12) }, () => {
        const r = rand(10);
        if (r < 6) return { type: 'upsert', item: row(rand(10), 1 + rand(3)) };
        if (r < 9) return { type: 'delete', item: { key: `ns/${rand(10)}` } };
        return { type: 'snapshot', items: Array.from({ length: rand(5) }, (_, i) => row(i * 2, 1 + rand(2))) };
      });
      expect(applyWatchEvents(list, events), JSON.stringify({ list, events })).toEqual(fold(list, events));
    }
  });

  it('returns the same reference when the burst changes nothing', () => {
    const list = [a1, b1];
    expect(applyWatchEvents(list, [{ type: 'upsert', item: { ...a1 } }, { type: 'delete', item: { key: 'ns/zzz' } }, { type: 'upsert', item: { ...b1 } }])).toBe(list);
    expect(applyWatchEvents(list, [])).toBe(list);
  });

  it('never changes the list it was given', () => {
    const list = [a1, b1];
    const a2 = { ...a1, resourceVersion: '12' };
    expect(applyWatchEvents(list, [{ type: 'upsert', item: a2 }, { type: 'delete', item: { key: 'ns/b' } }])).toEqual([a2]);
    expect(list).toEqual([a1, b1]);
  });

  it('folds 2,000 changes to 2,500 rows in one pass', () => {
    const rows = Array.from({ length: 2500 }, (_, i): Row => ({ key: `ns/c-${i}`, resourceVersion: '1', ready: 0 }));
    const events: WatchEvent<Row>[] = Array.from({ length: 2000 }, (_, i) => ({ type: 'upsert', item: { key: `ns/c-${i % 2500}`, resourceVersion: `2.${i}`, ready: 1 } }));
    const next = applyWatchEvents(rows, events);
    expect(next).toEqual(fold(rows, events));
    expect(next[1999]).toEqual({ key: 'ns/c-1999', resourceVersion: '2.1999', ready: 1 });
  });
});
