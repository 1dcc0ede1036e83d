import type { ReactNode } from 'react';
import { Card } from '@/components/cluster-detail/card';
import { Badge } from '@/components/ui/badge';
import type { CheckpointView, JobDetail } from '@/lib/jobs/job-views';
import { formatBytes, formatCount, formatDuration, formatTime, jobStateTone } from './format';

function Stat({ label, value }: { label: string; value: ReactNode }) {
  return (
    <div className="rounded-lg bg-slate-50 px-3 py-2">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="text-sm font-semibold text-slate-900 tabular-nums">{value}</dd>
    </div>
  );
}

function Timeline({ job }: { job: JobDetail }) {
  return (
    <ol aria-label="Status timeline" className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-slate-600">
      {job.timeline.map((t, i) => (
        <li key={t.state} className="flex items-center gap-2">
          {i > 0 && <span aria-hidden>→</span>}
          <Badge tone={jobStateTone(t.state)}>{t.state}</Badge>
          <time dateTime={new Date(t.at).toISOString()}>{formatTime(t.at).slice(11)}</time>
        </li>
      ))}
    </ol>
  );
}

function Vertices({ job }: { job: JobDetail }) {
  return (
    <div className="relative overflow-x-auto">
      <table aria-label="Vertices" className="w-full text-left text-sm">
        <thead className="text-xs text-slate-500">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">Vertex</th>
            <th scope="col" className="px-3 py-2 font-medium">Parallelism</th>
            <th scope="col" className="px-3 py-2 font-medium">Status</th>
            <th scope="col" className="px-3 py-2 font-medium">Records read</th>
            <th scope="col" className="px-3 py-2 font-medium">Records written</th>
            <th scope="col" className="px-3 py-2 font-medium">Duration</th>
          </tr>
        </thead>
        <tbody>
          {job.vertices.map((v) => (
            <tr key={v.id} className="border-t border-slate-100">
              <td className="max-w-xs px-3 py-2 break-words text-slate-900">{v.name}</td>
              <td className="px-3 py-2 tabular-nums">{v.parallelism}</td>
              <td className="px-3 py-2">
                <Badge tone={jobStateTone(v.status)}>{v.status}</Badge>
              </td>
              <td className="px-3 py-2 tabular-nums">{formatCount(v.recordsRead)}</td>
              <td className="px-3 py-2 tabular-nums">{formatCount(v.recordsWritten)}</td>
              <td className="px-3 py-2 tabular-nums">{formatDuration(v.duration)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CheckpointLine({ label, c }: { label: string; c?: CheckpointView }) {
  return (
    <div className="rounded-lg border border-slate-200 px-3 py-2 text-sm">
      <p className="text-xs text-slate-500">{label}</p>
      {c ? (
        <>
          <p className="font-medium text-slate-900">
            #{c.id} · {formatTime(c.triggeredAt)}
          </p>
          <p className="text-slate-600">
            {c.failureMessage ? <span className="text-red-700">{c.failureMessage}</span> : <>size {formatBytes(c.sizeBytes)} · took {formatDuration(c.durationMs)}</>}
          </p>
          {c.path && <p className="font-mono text-xs break-all text-slate-600">{c.path}</p>}
        </>
      ) : (
        <p className="text-slate-500">none</p>
      )}
    </div>
  );
}

function Checkpoints({ job }: { job: JobDetail }) {
  const cp = job.checkpoints;
  if (!cp) return <p className="text-sm text-slate-500">{job.checkpointsMessage ?? 'No checkpoint statistics.'}</p>;
  return (
    <div className="space-y-4">
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-5">
        <Stat label="Triggered" value={cp.counts.total} />
        <Stat label="Completed" value={cp.counts.completed} />
        <Stat label="Failed" value={cp.counts.failed} />
        <Stat label="In progress" value={cp.counts.inProgress} />
        <Stat label="Restored" value={cp.counts.restored} />
      </dl>
      <div className="grid grid-cols-1 gap-2 md:grid-cols-3">
        <CheckpointLine label="Latest completed checkpoint" c={cp.latestCompleted} />
        <CheckpointLine label="Latest savepoint" c={cp.latestSavepoint} />
        <CheckpointLine label="Latest failed" c={cp.latestFailed} />
      </div>
      {cp.restored && (
        <p className="text-sm text-slate-600">
          Restored from {cp.restored.savepoint ? 'savepoint' : 'checkpoint'} #{cp.restored.id} at {formatTime(cp.restored.at)}
          {cp.restored.path && <> (<span className="font-mono break-all">{cp.restored.path}</span>)</>}
        </p>
      )}
      {cp.history.length > 0 && (
        <div className="relative overflow-x-auto">
          <table aria-label="Checkpoint history" className="w-full text-left text-sm">
            <thead className="text-xs text-slate-500">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">#</th>
                <th scope="col" className="px-3 py-2 font-medium">Kind</th>
                <th scope="col" className="px-3 py-2 font-medium">Status</th>
                <th scope="col" className="px-3 py-2 font-medium">Triggered</th>
                <th scope="col" className="px-3 py-2 font-medium">Size</th>
                <th scope="col" className="px-3 py-2 font-medium">Duration</th>
              </tr>
            </thead>
            <tbody>
              {cp.history.map((c) => (
                <tr key={c.id} className="border-t border-slate-100">
                  <td className="px-3 py-1.5 tabular-nums">{c.id}</td>
                  <td className="px-3 py-1.5">{c.savepoint ? 'Savepoint' : 'Checkpoint'}{c.type && !(c.savepoint && c.type.includes('SAVEPOINT')) ? <span className="text-xs text-slate-500"> · {c.type}</span> : null}</td>
                  <td className="px-3 py-1.5">
                    <Badge tone={jobStateTone(c.status)}>{c.status}</Badge>
                  </td>
                  <td className="px-3 py-1.5 whitespace-nowrap">{formatTime(c.triggeredAt)}</td>
                  <td className="px-3 py-1.5 tabular-nums">{formatBytes(c.sizeBytes)}</td>
                  <td className="px-3 py-1.5 tabular-nums">{formatDuration(c.durationMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function Exceptions({ job }: { job: JobDetail }) {
  if (job.exceptions.length === 0) return <p className="text-sm text-slate-500">No exceptions.</p>;
  return (
    <ul aria-label="Exceptions" className="space-y-2">
      {job.exceptions.map((e, i) => (
        <li key={`${e.at}-${i}`} className="rounded-lg border border-red-100 bg-red-50/50 px-3 py-2 text-sm">
          <p className="font-medium text-red-800 break-words">
            {e.name}
            {e.message && <>: {e.message}</>}
          </p>
          <p className="text-xs text-slate-600">
            {formatTime(e.at)}
            {e.task && <> · {e.task}</>}
            {e.location && <> · {e.location}</>}
          </p>
          <details className="mt-1">
            <summary className="cursor-pointer text-xs text-slate-600">Stack trace</summary>
            <pre className="mt-1 max-h-64 overflow-auto text-xs whitespace-pre-wrap text-slate-700">{e.stacktrace}</pre>
          </details>
        </li>
      ))}
      {job.exceptionsTruncated && <li className="text-xs text-slate-500">Older exceptions are not shown.</li>}
    </ul>
  );
}

/** The job page's content, from props only. */
export function JobDetailView({ job, actions }: { job: JobDetail; actions?: ReactNode }) {
  const ended = job.endTime > 0;
  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h1 id="job-heading" className="flex flex-wrap items-center gap-3 text-xl font-semibold text-slate-900">
            <span className="break-all">{job.name}</span>
            <Badge tone={jobStateTone(job.state)} dot aria-label={`Job status: ${job.state}`}>
              {job.state}
            </Badge>
          </h1>
          <p className="mt-1 font-mono text-xs text-slate-500">{job.id}</p>
        </div>
        {actions}
      </div>
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4">
        <Stat label="Started" value={formatTime(job.startTime)} />
        <Stat label={ended ? 'Ran for' : 'Running for'} value={formatDuration(job.duration)} />
        <Stat label="Restarts" value={job.restarts ?? '—'} />
        <Stat label="Type" value={job.jobType ?? '—'} />
      </dl>
      <Card title="Status timeline" id="timeline-heading">
        <Timeline job={job} />
      </Card>
      <Card title="Vertices" id="vertices-heading">
        <Vertices job={job} />
      </Card>
      <Card title="Checkpoints" id="checkpoints-heading">
        <Checkpoints job={job} />
      </Card>
      <Card title="Exceptions" id="exceptions-heading">
        <Exceptions job={job} />
      </Card>
    </div>
  );
}
