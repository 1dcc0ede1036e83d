import { describe, expect, it } from 'vitest';
import { applyWatchEvent } from './apply-watch-event';

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
