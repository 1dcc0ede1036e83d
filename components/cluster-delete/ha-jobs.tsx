import type { HaJob } from '@/lib/flink/ha-data';

/** The jobs HA ConfigMaps would recover, with the checkpoint each restores from. */
export function HaJobs({ jobs, label }: { jobs: HaJob[]; label: string }) {
  if (jobs.length === 0) return <p className="text-sm text-slate-500">No job is registered in the HA data.</p>;
  return (
    <table className="w-full text-left text-sm" aria-label={label}>
      <thead className="text-xs text-slate-500">
        <tr>
          <th scope="col" className="py-1 pr-3 font-medium">Job id</th>
          <th scope="col" className="py-1 font-medium">Latest checkpoint</th>
        </tr>
      </thead>
      <tbody>
        {jobs.map((j) => (
          <tr key={j.jobId} className="border-t border-slate-100">
            <td className="py-1 pr-3 font-mono text-xs break-all text-slate-800">{j.jobId}</td>
            <td className="py-1 text-slate-700 tabular-nums">
              {j.latestCheckpointId === null ? <span className="text-slate-500">none yet</span> : <>#{j.latestCheckpointId}</>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
