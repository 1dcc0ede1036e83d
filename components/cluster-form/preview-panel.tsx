'use client';

import { useState } from 'react';
import type { PreflightReport } from '@/lib/queries/create-cluster-queries';

export type PreviewState =
  | { status: 'invalid'; message: string }
  | { status: 'pending' }
  | { status: 'error'; message: string }
  | { status: 'success'; report: PreflightReport; refreshing: boolean };

const darkButton =
  'rounded-md px-2.5 py-1 text-xs font-medium text-slate-200 ring-1 ring-inset ring-slate-700 transition-colors hover:bg-slate-800 hover:text-white';

function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className={darkButton}
      aria-label={label}
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        });
      }}
    >
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/yaml' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

/** The live YAML of exactly what will be created, and the equivalent Flink CLI command. */
export function PreviewPanel({ state, fileName }: { state: PreviewState; fileName: string }) {
  const report = state.status === 'success' ? state.report : undefined;
  return (
    <section aria-labelledby="preview-heading" className="overflow-hidden rounded-xl border border-slate-800 bg-slate-900 shadow-sm">
      <div className="flex items-center justify-between gap-2 border-b border-slate-800 px-4 py-2">
        <h2 id="preview-heading" className="text-sm font-semibold text-white">
          Preview {state.status === 'success' && state.refreshing && <span className="ml-2 text-xs font-normal text-slate-400">updating…</span>}
        </h2>
        {report && (
          <div className="flex items-center gap-1">
            <CopyButton text={report.yaml} label="Copy YAML" />
            <button type="button" className={darkButton} onClick={() => download(fileName, report.yaml)}>
              Download
            </button>
          </div>
        )}
      </div>
      {state.status === 'invalid' && <p className="px-4 py-6 text-sm text-slate-400">{state.message}</p>}
      {state.status === 'pending' && <p className="px-4 py-6 text-sm text-slate-400">Building the preview…</p>}
      {state.status === 'error' && <p className="px-4 py-6 text-sm text-red-300" role="alert">{state.message}</p>}
      {report && (
        <>
          <pre aria-label="YAML preview" tabIndex={0} className="max-h-[32rem] overflow-auto px-4 py-3 font-mono text-xs leading-relaxed text-slate-100">
            <code>{report.yaml}</code>
          </pre>
          <div className="border-t border-slate-800 px-4 py-3">
            <div className="mb-1 flex items-center justify-between">
              <h3 className="text-xs font-semibold tracking-wide text-slate-400 uppercase">Equivalent Flink command</h3>
              <CopyButton text={report.cli} label="Copy command" />
            </div>
            {/* One line per option; a value too long for the panel wraps with a deeper hanging
                indent than the continuation lines, so nothing is cut off and copy gives the command. */}
            <pre aria-label="Flink command" className="font-mono text-xs leading-relaxed whitespace-pre-wrap text-emerald-200">
              <code>
                {report.cli.split('\n').map((line, i, lines) => (
                  <span key={i} className="block pl-[8ch] -indent-[8ch] [overflow-wrap:anywhere]">
                    {line}
                    {i < lines.length - 1 ? '\n' : ''}
                  </span>
                ))}
              </code>
            </pre>
          </div>
        </>
      )}
    </section>
  );
}
