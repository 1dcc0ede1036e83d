'use client';

import { useEffect, useState } from 'react';

/** The current time, re-read every `intervalMs` while mounted: lease ages move every second. */
export function useTickingNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
