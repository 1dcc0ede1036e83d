'use client';

import { Button } from '@/components/ui/button';
import type { KeyNames } from '@/lib/queries/create-cluster-queries';
import { inputClass, IssueList } from './field';
import type { FormDraft, Issue } from './form-draft';

type Props = { draft: FormDraft; onChange: (d: FormDraft) => void; issues: Issue[]; secrets: KeyNames[] };

function SecretSelect({ label, value, secrets, onChange }: { label: string; value: string; secrets: KeyNames[]; onChange: (v: string) => void }) {
  const known = secrets.some((s) => s.name === value);
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)} className={inputClass}>
      <option value="">Choose a Secret…</option>
      {!known && value && <option value={value}>{value} (not found)</option>}
      {secrets.map((s) => <option key={s.name} value={s.name}>{s.name}</option>)}
    </select>
  );
}

function Errors({ issues, path }: { issues: Issue[]; path: string }) {
  const mine = issues.filter((i) => i.path.startsWith(path));
  return <IssueList issues={mine} />;
}

/** Secrets mounted as files and secret keys as env vars: chosen by name and key, never by value. */
export function SecretRows({ draft, onChange, issues, secrets }: Props) {
  const files = draft.secretsAsFiles;
  const envs = draft.secretsAsEnv;
  const setFile = (i: number, patch: Partial<(typeof files)[number]>) => onChange({ ...draft, secretsAsFiles: files.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  const setEnv = (i: number, patch: Partial<(typeof envs)[number]>) => onChange({ ...draft, secretsAsEnv: envs.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  return (
    <div className="grid gap-4">
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">
          Secrets as files <code className="ml-1 rounded bg-slate-100 px-1 font-mono text-[11px] font-normal text-slate-600">kubernetes.secrets</code>
        </legend>
        {files.map((row, i) => (
          <div key={i} className="flex gap-2">
            <SecretSelect label={`Secret to mount ${i + 1}`} value={row.secretName} secrets={secrets} onChange={(v) => setFile(i, { secretName: v })} />
            <input aria-label={`Mount path ${i + 1}`} value={row.mountPath} placeholder="/opt/secrets/name" onChange={(e) => setFile(i, { mountPath: e.target.value })} className={`${inputClass} font-mono`} />
            <Button variant="ghost" aria-label={`Remove secret file ${i + 1}`} onClick={() => onChange({ ...draft, secretsAsFiles: files.filter((_, j) => j !== i) })}>✕</Button>
          </div>
        ))}
        <Button variant="ghost" className="text-brand-700" onClick={() => onChange({ ...draft, secretsAsFiles: [...files, { secretName: '', mountPath: '' }] })}>
          + Mount a Secret
        </Button>
        <Errors issues={issues} path="secretsAsFiles" />
      </fieldset>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">
          Secret keys as env vars <code className="ml-1 rounded bg-slate-100 px-1 font-mono text-[11px] font-normal text-slate-600">kubernetes.env.secretKeyRef</code>
        </legend>
        {envs.map((row, i) => {
          const keys = secrets.find((s) => s.name === row.secretName)?.keys ?? [];
          return (
            <div key={i} className="grid grid-cols-[1fr_1fr_1fr_auto] gap-2">
              <input aria-label={`Env var name ${i + 1}`} value={row.envName} placeholder="ENV_NAME" onChange={(e) => setEnv(i, { envName: e.target.value })} className={`${inputClass} font-mono`} />
              <SecretSelect label={`Secret for env var ${i + 1}`} value={row.secretName} secrets={secrets} onChange={(v) => setEnv(i, { secretName: v, key: '' })} />
              <select aria-label={`Secret key ${i + 1}`} value={row.key} onChange={(e) => setEnv(i, { key: e.target.value })} className={inputClass}>
                <option value="">Key…</option>
                {row.key && !keys.includes(row.key) && <option value={row.key}>{row.key}</option>}
                {keys.map((k) => <option key={k} value={k}>{k}</option>)}
              </select>
              <Button variant="ghost" aria-label={`Remove secret env var ${i + 1}`} onClick={() => onChange({ ...draft, secretsAsEnv: envs.filter((_, j) => j !== i) })}>✕</Button>
            </div>
          );
        })}
        <Button variant="ghost" className="text-brand-700" onClick={() => onChange({ ...draft, secretsAsEnv: [...envs, { envName: '', secretName: '', key: '' }] })}>
          + Add a secret env var
        </Button>
        <Errors issues={issues} path="secretsAsEnv" />
      </fieldset>
    </div>
  );
}
