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
