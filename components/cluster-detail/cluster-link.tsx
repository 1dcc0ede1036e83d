'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';

/** The cluster page's address, keeping the chosen context. */
export function ClusterLink({ namespace, clusterId }: { namespace: string; clusterId: string }) {
  const context = useSearchParams().get('context');
  const query = context ? `?${new URLSearchParams({ context })}` : '';
  return (
    <Link href={`/clusters/${encodeURIComponent(namespace)}/${encodeURIComponent(clusterId)}${query}`} className="hover:text-brand-700 hover:underline">
      {clusterId}
    </Link>
  );
}
