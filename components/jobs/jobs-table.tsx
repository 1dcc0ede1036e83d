import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import type { JobSummary, JobsList } from '@/lib/jobs/job-views';
import { formatDuration, formatTime, jobStateTone, restUnreachableLead } from './format';

function JobRows({ jobs, hrefOf }: { jobs: JobSummary[]; hrefOf: (jobId: string) => string }) {
  return (
    <>
      {jobs.map((job) => (
        <tr key={job.id} className="border-t border-slate-100">
          <td className="px-3 py-2">
            <Link href={hrefOf(job.id)} className="block font-medium text-brand-700 hover:underline">
              {job.name}
            </Link>
            <span className="block font-mono text-xs text-slate-500">{job.id}</span>
          </td>
          <td className="px-3 py-2">
            <Badge tone={jobStateTone(job.state)} dot aria-label={`Job ${job.name}: ${job.state}`}>
              {job.state}
            </Badge>
          </td>
          <td className="px-3 py-2 whitespace-nowrap text-slate-600">{formatTime(job.startTime)}</td>
          <td className="px-3 py-2 text-slate-600 tabular-nums">{formatDuration(job.duration)}</td>
          <td className="px-3 py-2 text-slate-600 tabular-nums">
            {job.tasksRunning}/{job.tasksTotal}
          </td>
        </tr>
      ))}
    </>
  );
}

/** The jobs of a cluster; on Flink 2.3 grouped under their applications. */
export function JobsTable({ list, hrefOf }: { list: JobsList | undefined; hrefOf: (jobId: string) => string }) {
  if (!list) return <p className="text-sm text-slate-500">Asking the JobManager for its jobs…</p>;
  if (!list.reachable) {
    return (
      <p className="text-sm text-slate-600">
        {restUnreachableLead(list.message)} <span className="text-slate-500">{list.message}</span>
      </p>
    );
  }
  if (list.jobs.length === 0) return <p className="text-sm text-slate-500">No jobs yet.</p>;
  const byApp = new Map<string, JobSummary[]>();
  for (const j of list.jobs) {
    const key = j.applicationId ?? '';
    byApp.set(key, [...(byApp.get(key) ?? []), j]);
  }
  const grouped = [...byApp.keys()].some((k) => k !== '');
  return (
    <div className="relative overflow-x-auto">
      <table aria-label="Jobs" className="w-full text-left text-sm">
        <thead className="text-xs text-slate-500">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">Job</th>
            <th scope="col" className="px-3 py-2 font-medium">Status</th>
            <th scope="col" className="px-3 py-2 font-medium">Started</th>
            <th scope="col" className="px-3 py-2 font-medium">Duration</th>
            <th scope="col" className="px-3 py-2 font-medium">Tasks running</th>
          </tr>
        </thead>
        {grouped ? (
          [...byApp.entries()].map(([app, jobs]) => (
            <tbody key={app || 'none'} aria-label={app ? `Application ${app}` : 'Jobs without an application'}>
              <tr className="border-t border-slate-200 bg-slate-50">
                <th scope="rowgroup" colSpan={5} className="px-3 py-1.5 text-xs font-semibold text-slate-600">
                  {app ? <>Application <span className="font-mono">{app}</span></> : 'No application'}
                </th>
              </tr>
              <JobRows jobs={jobs} hrefOf={hrefOf} />
            </tbody>
          ))
        ) : (
          <tbody>
            <JobRows jobs={list.jobs} hrefOf={hrefOf} />
          </tbody>
        )}
      </table>
    </div>
  );
}
