'use client';

import { useSyncExternalStore } from 'react';

// One shared clock for every ticking age on the page.
const TICK_MS = 10_000;
const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The current time in ms, refreshed every 10 s; null while server-rendering, so the HTML matches. */
export function useNow(): number | null {
  return useSyncExternalStore(
    subscribe,
    () => (timer ? now : Date.now() - (Date.now() % TICK_MS)),
    () => null,
  );
}
