'use client';

import { useEffect, useState } from 'react';
import { formatAge } from '@/lib/live/format-age';

/** A kubectl-style age that ticks. Rendered only after mount, so server and client HTML agree. */
export function Age({ since }: { since: string }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 10_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <time dateTime={since} title={since}>
      {now === null ? '…' : formatAge(since, now)}
    </time>
  );
}
