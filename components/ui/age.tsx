'use client';

import { formatAge } from '@/lib/live/format-age';
import { useNow } from '@/lib/live/use-now';

/** A kubectl-style age that ticks. Blank on the server, so server and client HTML agree. */
export function Age({ since }: { since: string }) {
  const now = useNow();
  return (
    <time dateTime={since} title={since}>
      {now === null ? '…' : formatAge(since, now)}
    </time>
  );
}
