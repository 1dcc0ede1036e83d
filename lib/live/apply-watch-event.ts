import type { Keyed, WatchEvent } from './watch-events';

function sameItems<T extends Keyed>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  const byKey = new Map(a.map((i) => [i.key, i.resourceVersion]));
  return b.every((i) => byKey.get(i.key) === i.resourceVersion);
}

/**
 * Folds one watch event into a cached list. Returns the same reference when nothing changed, so
 * React Query and React skip the re-render. resourceVersion is opaque: compared for equality only.
 */
export function applyWatchEvent<T extends Keyed>(list: readonly T[] | undefined, event: WatchEvent<T>): T[] {
  const current = (list ?? []) as T[];
  switch (event.type) {
    case 'snapshot':
      return list && sameItems(current, event.items) ? current : event.items;
    case 'upsert': {
      const index = current.findIndex((i) => i.key === event.item.key);
      if (index === -1) return [...current, event.item];
      if (current[index].resourceVersion === event.item.resourceVersion) return current;
      const next = current.slice();
      next[index] = event.item;
      return next;
    }
    case 'delete': {
      const index = current.findIndex((i) => i.key === event.item.key);
      if (index === -1) return current;
      return current.filter((_, i) => i !== index);
    }
  }
}

/**
 * Folds a batch of watch events, in order, into a cached list: the same result as applying them
 * one by one with applyWatchEvent, in one pass. A burst of k changes to a list of n rows costs
 * O(n + k) and one cache update (one re-render), not k copies of the list and k re-renders.
 * Returns the same reference when nothing changed.
 */
export function applyWatchEvents<T extends Keyed>(list: readonly T[] | undefined, events: readonly WatchEvent<T>[]): T[] {
  // Only the events after the last snapshot matter, on top of that snapshot.
  let from = 0;
  let base = list;
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (e.type === 'snapshot') {
      base = applyWatchEvent(list, e);
      from = i + 1;
      break;
    }
  }
  if (from === events.length) return (base ?? []) as T[];
  if (from === events.length - 1) return applyWatchEvent(base, events[from]);
  const current = (base ?? []) as T[];
  // key → index in `current`; the rows themselves change in a copy made on the first change.
  const index = new Map<string, number>();
  current.forEach((item, i) => index.set(item.key, i));
  let next: (T | undefined)[] | undefined;
  let removed = 0;
  for (let i = from; i < events.length; i++) {
    const e = events[i] as Exclude<WatchEvent<T>, { type: 'snapshot' }>;
    const at = index.get(e.item.key);
    const rows = next ?? current;
    if (e.type === 'upsert') {
      if (at !== undefined && rows[at]?.resourceVersion === e.item.resourceVersion) continue;
      next ??= current.slice();
      if (at === undefined) {
        index.set(e.item.key, next.length);
        next.push(e.item);
      } else next[at] = e.item;
    } else if (at !== undefined) {
      next ??= current.slice();
      next[at] = undefined;
      index.delete(e.item.key);
      removed++;
    }
  }
  if (!next) return current;
  return removed ? (next.filter((x) => x !== undefined) as T[]) : (next as T[]);
}
