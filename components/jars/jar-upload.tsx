'use client';

import clsx from 'clsx';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type DragEvent } from 'react';
import { Button } from '@/components/ui/button';
import { formatBytes } from '@/lib/jars/jar-limits';
import { jarQueries, uploadJar, type JarClusterRef, type UploadProgress } from '@/lib/queries/jar-queries';
import { FlinkError } from './flink-error';

type UploadState =
  | { status: 'idle' }
  | { status: 'uploading'; name: string; progress: UploadProgress; abort: () => void }
  | { status: 'done'; name: string; size: number }
  | { status: 'error'; name: string; error: Error };

/** Drop a jar or pick one; the bar follows the bytes the browser has really sent. */
export function JarUpload({ clusterRef }: { clusterRef: JarClusterRef }) {
  const queryClient = useQueryClient();
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<UploadState>({ status: 'idle' });
  const [dragging, setDragging] = useState(false);

  function start(file: File) {
    const { done, abort } = uploadJar(clusterRef, file, (progress) =>
      setState((s) => (s.status === 'uploading' && s.name === file.name ? { ...s, progress } : s)),
    );
    setState({ status: 'uploading', name: file.name, progress: { loaded: 0, total: file.size }, abort });
    done.then(
      () => {
        setState({ status: 'done', name: file.name, size: file.size });
        void queryClient.invalidateQueries({ queryKey: jarQueries.list(clusterRef).queryKey });
      },
      (error: Error) => setState({ status: 'error', name: file.name, error }),
    );
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file) start(file);
  }

  const busy = state.status === 'uploading';
  const percent = state.status === 'uploading' ? Math.floor((100 * state.progress.loaded) / Math.max(1, state.progress.total)) : 100;
  return (
    <div className="space-y-3">
      <div
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        className={clsx(
          'flex flex-wrap items-center justify-between gap-3 rounded-lg border-2 border-dashed px-4 py-4 text-sm',
          dragging ? 'border-brand-500 bg-brand-50' : 'border-slate-300 bg-slate-50',
        )}
      >
        <p className="text-slate-600">
          Drop a jar here, or choose one. It goes to the leading JobManager, which keeps it on its disk.
        </p>
        <label htmlFor={inputId} className="sr-only">
          Jar file
        </label>
        <input
          ref={input}
          id={inputId}
          type="file"
          accept=".jar,application/java-archive"
          className="sr-only"
          disabled={busy}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) start(file);
            e.target.value = '';
          }}
        />
        <Button variant="primary" disabled={busy} onClick={() => input.current?.click()}>
          Choose a jar…
        </Button>
      </div>

      {(state.status === 'uploading' || state.status === 'done') && (
        <div className="space-y-1">
          <div className="flex items-center justify-between gap-3 text-sm">
            <span className="min-w-0 truncate text-slate-700">
              {state.status === 'uploading' ? (
                <>
                  Uploading <span className="font-medium">{state.name}</span>: {formatBytes(state.progress.loaded)} of {formatBytes(state.progress.total)}
                </>
              ) : (
                <span role="status">
                  Uploaded <span className="font-medium">{state.name}</span> ({formatBytes(state.size)})
                </span>
              )}
            </span>
            {state.status === 'uploading' && (
              <Button variant="ghost" onClick={state.abort}>
                Cancel upload
              </Button>
            )}
          </div>
          <div
            role="progressbar"
            aria-label={`Upload of ${state.name}`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            className="h-2 w-full overflow-hidden rounded-full bg-slate-200"
          >
            <div className="h-full rounded-full bg-brand-600 transition-[width]" style={{ width: `${percent}%` }} />
          </div>
        </div>
      )}
      {state.status === 'error' && <FlinkError title={`${state.name} was not uploaded`} error={state.error} />}
    </div>
  );
}
