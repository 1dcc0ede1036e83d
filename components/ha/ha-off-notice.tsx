import Link from 'next/link';
import { DASHBOARD_ACTIONS, describeRight } from '@/lib/k8s/permission-actions';

/** Whether the user may create a cluster in the namespace (usePermission's answer; `allowed` undefined while unknown). */
export type CreatePermission = { allowed: boolean | undefined; reason?: string };

const createRights = DASHBOARD_ACTIONS.createCluster.needs.map(describeRight);
const CREATE_NEEDS = `${createRights.slice(0, -1).join(', ')} and ${createRights[createRights.length - 1]}`;

/**
 * What a cluster without HA means, and how to get HA: not an empty card. The way there is the create
 * form; a user who may not create a cluster (GET /api/permissions) is told what it needs instead.
 */
export function HaOffNotice({ newClusterHref, jobManagers, createPermission }: { newClusterHref: string; jobManagers: number; createPermission?: CreatePermission }) {
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
        {createPermission?.allowed === false ? null : (
          <Link href={newClusterHref} className="font-medium text-brand-700 underline">
            Open the form
          </Link>
        )}
      </p>
      {createPermission?.allowed === false && (
        <p className="text-slate-600" data-testid="ha-create-not-allowed">
          {createPermission.reason} Creating the cluster again needs the rights to create {CREATE_NEEDS} in this namespace: ask an administrator of
          the namespace to do it, or to grant you those rights.
        </p>
      )}
    </div>
  );
}
