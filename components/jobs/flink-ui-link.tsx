'use client';

import { jobQueries, type JobClusterRef } from '@/lib/queries/job-queries';
import { usePermission } from '@/lib/queries/permission-queries';

/**
 * "Open the Flink web UI ↗": the JobManager's own UI, read through the REST Service's proxy (GET on
 * services/proxy). A user who may not (GET /api/permissions) would only get a 403 there, so they see
 * no link: the reason instead. While the answer is unknown the link stays; the proxy's answer counts.
 */
export function FlinkUiLink({ clusterRef }: { clusterRef: JobClusterRef }) {
  const permission = usePermission(clusterRef, 'openFlinkUi');
  if (permission.allowed === false) {
    return (
      <span className="max-w-xs text-sm text-slate-500" data-testid="flink-ui-not-allowed">
        No Flink web UI: {permission.reason}
      </span>
    );
  }
  return (
    <a href={jobQueries.flinkUiHref(clusterRef)} target="_blank" rel="noopener noreferrer" className="text-sm font-medium text-brand-700 hover:underline">
      Open the Flink web UI ↗
    </a>
  );
}
