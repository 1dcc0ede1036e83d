'use client';

import { useAge } from '@/lib/live/use-now';

/** A kubectl-style age that ticks when its text changes (each second while young). Blank on the server, so server and client HTML agree. */
export function Age({ since }: { since: string }) {
  const age = useAge(since);
  return (
    <time dateTime={since} title={since}>
      {age ?? '…'}
    </time>
  );
}
