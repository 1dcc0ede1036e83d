'use client';

import clsx from 'clsx';
import { useId, type ReactNode } from 'react';
import type { Issue } from './form-draft';

export const inputClass =
  'block w-full rounded-md border-0 bg-white px-2.5 py-1.5 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-brand-500 focus:outline-none aria-[invalid=true]:ring-red-400';

type FieldProps = {
  label: string;
  /** The Flink option (or Kubernetes field) behind the field, shown as inline help. */
  option?: string;
  help?: ReactNode;
  issues?: Issue[];
  className?: string;
  children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid': boolean }) => ReactNode;
};

/** A labelled control with its help (naming the Flink option) and its errors. */
export function Field({ label, option, help, issues = [], className, children }: FieldProps) {
  const id = useId();
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const describedBy = [option || help ? helpId : '', issues.length ? errorId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={clsx('space-y-1', className)}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': issues.length > 0 })}
      {(option || help) && (
        <p id={helpId} className="text-xs text-slate-500">
          {help}
          {help && option && ' '}
          {option && <code className="rounded bg-slate-100 px-1 py-0.5 font-mono text-[11px] text-slate-600">{option}</code>}
        </p>
      )}
      <IssueList id={errorId} issues={issues} />
    </div>
  );
}

/**
 * A field's problems, each once, one per line: the plain sentence, then the original Kubernetes or
 * Flink wording smaller ("Details: ...") when there is one.
 */
export function IssueList({ issues, id, prefix }: { issues: readonly Issue[]; id?: string; prefix?: (issue: Issue) => string }) {
  const seen = new Set<string>();
  const unique = issues.filter((i) => {
    const key = `${prefix?.(i) ?? ''}${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (unique.length === 0) return null;
  return (
    <div id={id} role="alert" className="space-y-1">
      {unique.map((i) => (
        <p key={`${i.path} ${i.message}`} className="text-xs font-medium text-red-700">
          {prefix?.(i)}
          {i.message}
          {i.detail && <span className="mt-0.5 block text-[11px] font-normal break-words text-slate-600">Details: {i.detail}</span>}
        </p>
      ))}
    </div>
  );
}

type TextFieldProps = Omit<FieldProps, 'children'> & {
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  list?: string;
  mono?: boolean;
};

export function TextField({ value, onChange, placeholder, list, mono, ...field }: TextFieldProps) {
  return (
    <Field {...field}>
      {(p) => (
        <input
          {...p}
          type="text"
          value={value}
          list={list}
          placeholder={placeholder}
          spellCheck={false}
          onChange={(e) => onChange(e.target.value)}
          className={clsx(inputClass, mono && 'font-mono')}
        />
      )}
    </Field>
  );
}

type SelectFieldProps<T extends string> = Omit<FieldProps, 'children'> & {
  value: T;
  options: readonly T[] | readonly { value: T; label: string }[];
  onChange: (value: T) => void;
};

export function SelectField<T extends string>({ value, options, onChange, ...field }: SelectFieldProps<T>) {
  return (
    <Field {...field}>
      {(p) => (
        <select {...p} value={value} onChange={(e) => onChange(e.target.value as T)} className={inputClass}>
          {options.map((o) => {
            const opt = typeof o === 'string' ? { value: o, label: o } : o;
            return (
              <option key={opt.value} value={opt.value}>
                {opt.label}
              </option>
            );
          })}
        </select>
      )}
    </Field>
  );
}

export function TextAreaField({ value, onChange, placeholder, rows = 6, ...field }: TextFieldProps & { rows?: number }) {
  return (
    <Field {...field}>
      {(p) => (
        <textarea
          {...p}
          value={value}
          rows={rows}
          placeholder={placeholder}
          spellCheck={false}
          onChange={(e) => onChange(e.target.value)}
          className={clsx(inputClass, 'font-mono text-xs')}
        />
      )}
    </Field>
  );
}

export function CheckboxField({ label, checked, onChange, option }: { label: string; checked: boolean; onChange: (v: boolean) => void; option?: string }) {
  const id = useId();
  return (
    <div className="flex items-center gap-2">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} className="size-4 rounded border-slate-300 accent-brand-600" />
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {label}
      </label>
      {option && <code className="rounded bg-slate-100 px-1 py-0.5 font-mono text-[11px] text-slate-600">{option}</code>}
    </div>
  );
}
