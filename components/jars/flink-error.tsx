'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import type { ClientApiError } from '@/lib/queries/fetch-json';
import { JarApiError } from '@/lib/queries/jar-queries';

/** The plain first line of an error; Flink's own text (stack trace and all) only on request. */
export function FlinkError({ title, error }: { title: string; error: ClientApiError | Error }) {
  const [open, setOpen] = useState(false);
  const detail = error instanceof JarApiError ? error.detail : undefined;
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-800">
      <p className="font-semibold">{title}</p>
      <p className="mt-1 break-words">{error.message}</p>
      {detail && (
        <div className="mt-2">
          <Button variant="ghost" className="-ml-2 text-red-800" aria-expanded={open} onClick={() => setOpen((v) => !v)}>
            {open ? 'Hide details' : 'Show details'}
          </Button>
          {open && (
            <pre
              tabIndex={0}
              aria-label="Flink's error in full"
              className="mt-1 max-h-72 overflow-auto rounded-md bg-white p-2 font-mono text-xs whitespace-pre-wrap [overflow-wrap:anywhere] text-slate-800 ring-1 ring-red-200"
            >
              {detail}
            </pre>
          )}
        </div>
      )}
    </div>
  );
}
