/** A copyable command or snippet. */
export function CodeBlock({ children, label }: { children: string; label?: string }) {
  return (
    // Focusable, so the keyboard can scroll a long line.
    <pre
      aria-label={label}
      tabIndex={0}
      className="overflow-x-auto rounded-lg bg-slate-900 px-4 py-3 text-left font-mono text-xs leading-relaxed text-slate-100"
    >
      <code>{children}</code>
    </pre>
  );
}
