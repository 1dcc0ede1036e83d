'use client';

import { useCallback, useSyncExternalStore } from 'react';
import { formatAge, nextAgeChange } from './format-age';

// One shared clock for every ticking age on the page. Each watcher says when its text can next
// change (nextAgeChange); the clock keeps one timer, set for the earliest of those moments, and
// wakes only the watchers that are due. So a 30-second-old pod ticks every second, a 3-hour-old one
// once a minute, and ages that show the same text cause no render at all. Kubernetes timestamps
// have whole-second precision, so the ages on a page change at the same instants: one timer firing
// once a second wakes them together, in one React render.

type Watcher = { due: number; wake: (now: number) => void };

const watchers = new Set<Watcher>();
let timer: ReturnType<typeof setTimeout> | undefined;
let timerDue = Infinity;
/** setTimeout's delay is a signed 32-bit number: longer waits are done in steps. */
const MAX_DELAY_MS = 24 * 60 * 60 * 1000;

function arm(): void {
  let earliest = Infinity;
  for (const w of watchers) earliest = Math.min(earliest, w.due);
  if (earliest === timerDue && timer !== undefined) return;
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
  timerDue = earliest;
  if (earliest === Infinity) return;
  timer = setTimeout(fire, Math.min(MAX_DELAY_MS, Math.max(0, earliest - Date.now())));
}

function fire(): void {
  timer = undefined;
  const now = Date.now();
  for (const w of [...watchers]) if (w.due <= now) w.wake(now);
  arm();
}

/**
 * Calls `onChange` each time formatAge(since, now) shows a new text (never in between); returns the
 * unsubscribe function. Exported for tests; components use useAge.
 */
export function watchAge(since: string, onChange: () => void): () => void {
  const watcher: Watcher = {
    due: nextAgeChange(since, Date.now()),
    wake(now) {
      watcher.due = nextAgeChange(since, now);
      onChange();
    },
  };
  watchers.add(watcher);
  arm();
  return () => {
    watchers.delete(watcher);
    arm();
  };
}

/** How many ages are ticking (for tests). */
export function watcherCount(): number {
  return watchers.size;
}

/** A kubectl-style age of `since` that re-renders exactly when its text changes; null while server-rendering, so the HTML matches. */
export function useAge(since: string): string | null {
  const subscribe = useCallback((onChange: () => void) => watchAge(since, onChange), [since]);
  return useSyncExternalStore(
    subscribe,
    () => formatAge(since, Date.now()),
    () => null,
  );
}
