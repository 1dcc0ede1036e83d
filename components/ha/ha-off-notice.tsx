import Link from 'next/link';

/** What a cluster without HA means, and how to get HA: not an empty card. */
export function HaOffNotice({ newClusterHref, jobManagers }: { newClusterHref: string; jobManagers: number }) {
  return (
    <div className="space-y-2 text-sm text-slate-700">
      <p className="flex items-center gap-2 font-medium text-slate-900">HA is off</p>
      <p>
        This cluster runs without Kubernetes high availability ({jobManagers === 1 ? 'one JobManager' : `${jobManagers} JobManager pods`}, no
        leader election). If its JobManager fails, the running jobs are lost and are not recovered.
      </p>
      <p>
        To turn it on, create the cluster with the form&apos;s <span className="font-medium">High availability</span> section: enable Kubernetes
        high availability (<span className="font-mono">high-availability.type: kubernetes</span>), give an HA storage directory such as{' '}
        <span className="font-mono">s3://bucket/flink/ha</span>, and set JobManager replicas to 2 for a standby. A running cluster cannot switch
        HA on: stop it (with a savepoint) and create it again.{' '}
        <Link href={newClusterHref} className="font-medium text-brand-700 underline">
          Open the form
        </Link>
      </p>
    </div>
  );
}
