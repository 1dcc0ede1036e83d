'use client';

import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'next/navigation';
import { Card } from '@/components/cluster-detail/card';
import { Badge } from '@/components/ui/badge';
import { jarQueries, type JarClusterRef } from '@/lib/queries/jar-queries';
import { usePermission } from '@/lib/queries/permission-queries';
import { JarList } from './jar-list';
import { JarUpload } from './jar-upload';

/** Jars of a session cluster: upload, list, run, delete. Application clusters say why there is none. */
export function JarsPanel({ namespace, clusterId }: { namespace: string; clusterId: string }) {
  const context = useSearchParams()?.get('context') ?? undefined;
  const ref: JarClusterRef = { context, namespace, clusterId };
  const query = useQuery(jarQueries.list(ref));
  const mayUpload = usePermission(ref, 'uploadJar');
  const data = query.data;
  return (
    <Card
      title="Jars"
      id="jars-heading"
      aside={data?.uploads && <Badge tone="gray">{data.jars.length === 1 ? '1 jar' : `${data.jars.length} jars`}</Badge>}
    >
      {query.status === 'pending' && <p className="text-sm text-slate-500">Asking the JobManager for its jars…</p>}
      {query.status === 'error' && (
        <p role="alert" className="text-sm text-red-700">
          The jars could not be read: {query.error.message}
        </p>
      )}
      {data && !data.uploads && <p className="text-sm text-slate-600">{data.message}</p>}
      {data?.uploads && (
        <div className="space-y-4">
          {mayUpload.allowed === false ? <p className="text-sm text-slate-600">Uploading jars: {mayUpload.reason}</p> : <JarUpload clusterRef={ref} />}
          <JarList clusterRef={ref} jars={data.jars} restoreModeField={data.restoreModeField} />
        </div>
      )}
    </Card>
  );
}
