'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { useDeleteJar, type JarClusterRef, type JarDto } from '@/lib/queries/jar-queries';
import { usePermission } from '@/lib/queries/permission-queries';
import { FlinkError } from './flink-error';
import { JarRunForm } from './jar-run-form';

function formatTime(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** The leader's jars, newest first: name, upload time, entry classes; run or delete each. */
export function JarList({ clusterRef, jars, restoreModeField }: { clusterRef: JarClusterRef; jars: JarDto[]; restoreModeField: 'restoreMode' | 'claimMode' }) {
  const [running, setRunning] = useState<string | undefined>();
  const [confirming, setConfirming] = useState<string | undefined>();
  const remove = useDeleteJar(clusterRef);
  // Hidden when Kubernetes would refuse them (pods/proxy through the API server); the server still decides.
  const mayRun = usePermission(clusterRef, 'runJar');
  const mayDelete = usePermission(clusterRef, 'deleteJar');
  const runningJar = jars.find((j) => j.id === running);
  if (jars.length === 0) return <p className="text-sm text-slate-500">No jars uploaded to this cluster yet.</p>;
  return (
    <div className="space-y-3">
      {remove.isError && <FlinkError title="The jar was not deleted" error={remove.error} />}
      <div className="relative overflow-x-auto rounded-lg border border-slate-200" tabIndex={0} role="region" aria-label="Uploaded jars">
        <table className="w-full text-left text-sm">
          <thead className="bg-slate-50 text-xs text-slate-500">
            <tr>
              <th scope="col" className="px-3 py-2 font-medium">Jar</th>
              <th scope="col" className="px-3 py-2 font-medium">Uploaded</th>
              <th scope="col" className="px-3 py-2 font-medium">Entry classes</th>
              <th scope="col" className="px-3 py-2 font-medium"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {jars.map((jar) => (
              <tr key={jar.id} aria-label={`Jar ${jar.name}`}>
                <td className="px-3 py-2">
                  <span className="block font-medium text-slate-900">{jar.name}</span>
                  <span className="block font-mono text-xs text-slate-500">{jar.id}</span>
                </td>
                <td className="px-3 py-2 whitespace-nowrap text-slate-600">
                  <time dateTime={new Date(jar.uploaded).toISOString()}>{formatTime(jar.uploaded)}</time>
                </td>
                <td className="px-3 py-2 font-mono text-xs text-slate-700">
                  {jar.entryClasses.length ? jar.entryClasses.join(', ') : <span className="font-sans text-slate-500">none found</span>}
                </td>
                <td className="px-3 py-2">
                  <div className="flex justify-end gap-2 whitespace-nowrap">
                    {confirming === jar.id ? (
                      <>
                        <Button variant="primary" aria-label={`Confirm deleting ${jar.name}`} disabled={remove.isPending} onClick={() => remove.mutate(jar.id, { onSettled: () => setConfirming(undefined) })}>
                          {remove.isPending ? 'Deleting…' : 'Delete'}
                        </Button>
                        <Button variant="ghost" onClick={() => setConfirming(undefined)}>Keep</Button>
                      </>
                    ) : (
                      <>
                        {mayRun.allowed !== false && (
                          <Button aria-label={`Run ${jar.name}`} aria-expanded={running === jar.id} onClick={() => setRunning(running === jar.id ? undefined : jar.id)}>
                            Run…
                          </Button>
                        )}
                        {mayDelete.allowed !== false && (
                          <Button variant="ghost" aria-label={`Delete ${jar.name}`} onClick={() => setConfirming(jar.id)}>
                            Delete
                          </Button>
                        )}
                      </>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {runningJar && (
        <section aria-label={`Run of ${runningJar.name}`} className="rounded-lg border border-slate-200 bg-slate-50/60 p-4">
          <h3 className="mb-3 text-sm font-semibold text-slate-900">
            Run <span className="font-mono">{runningJar.name}</span>
          </h3>
          <JarRunForm key={runningJar.id} clusterRef={clusterRef} jar={runningJar} restoreModeField={restoreModeField} onClose={() => setRunning(undefined)} />
        </section>
      )}
    </div>
  );
}
