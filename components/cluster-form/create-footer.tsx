import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import type { PreflightReport } from '@/lib/queries/create-cluster-queries';

/** Warnings from the preflight, the create error, and the Create button with its progress. */
export function CreateFooter({ report, issueCount, creating, createError, mode }: {
  report?: PreflightReport;
  issueCount: number;
  creating: boolean;
  createError?: string;
  mode: 'session' | 'application';
}) {
  const sa = report?.serviceAccount;
  return (
    <div className="space-y-3">
      {report && report.warnings.length > 0 && (
        <Alert tone="warning" title={`${report.warnings.length} warning${report.warnings.length === 1 ? '' : 's'}`}>
          <ul className="list-disc space-y-1 pl-4">
            {report.warnings.map((w) => <li key={`${w.code}/${w.field ?? ''}`}>{w.message}</li>)}
          </ul>
        </Alert>
      )}
      {sa && !sa.exists && sa.willProvision && (
        <Alert tone="info" title={`Service account ${sa.name} will be created`}>
          With a Role that lets the JobManager manage its pods, ConfigMaps and Services.
        </Alert>
      )}
      {createError && <Alert title="The cluster was not created">{createError}</Alert>}
      <div className="flex items-center justify-end gap-3">
        {issueCount > 0 && <p className="text-sm text-red-700">{issueCount === 1 ? '1 field needs' : `${issueCount} fields need`} attention.</p>}
        <Button type="submit" variant="primary" className="px-5 py-2" disabled={creating} aria-busy={creating}>
          {creating && <span aria-hidden className="size-3.5 animate-spin rounded-full border-2 border-white/40 border-t-white" />}
          {creating ? 'Creating…' : mode === 'application' ? 'Create application cluster' : 'Create session cluster'}
        </Button>
      </div>
    </div>
  );
}
