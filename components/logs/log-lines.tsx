'use client';

import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import type { LogBuffer } from './log-buffer';

export const ROW_HEIGHT = 20;
const OVERSCAN = 20;

function highlight(line: string, query: string): ReactNode {
  if (!query) return line;
  const lower = line.toLowerCase();
  const q = query.toLowerCase();
  const parts: ReactNode[] = [];
  let from = 0;
  for (let at = lower.indexOf(q); at !== -1; at = lower.indexOf(q, from)) {
    if (at > from) parts.push(line.slice(from, at));
    parts.push(
      <mark key={at} className="rounded-sm bg-amber-200 text-slate-900">
        {line.slice(at, at + q.length)}
      </mark>,
    );
    from = at + q.length;
  }
  parts.push(line.slice(from));
  return parts;
}

/**
 * The log lines, virtualized: only the rows in view (and a few around them) are in the DOM, each
 * ROW_HEIGHT tall and unwrapped (long lines scroll sideways), so 10,000 kept lines cost as much to
 * render as 60. While the view
 * is scrolled to the bottom it stays there as lines arrive (follow); scrolling up stops that.
 */
export function LogLines({
  buffer,
  indices,
  version,
  query,
  label,
}: {
  buffer: LogBuffer;
  /** Which lines of the buffer to show (all, or the search matches). */
  indices: number[];
  version: number;
  query: string;
  label: string;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  const [stick, setStick] = useState(true);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setViewport(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Follow the end while the user has not scrolled up.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && stick) {
      el.scrollTop = el.scrollHeight;
      setScrollTop(el.scrollTop);
    }
  }, [version, indices.length, stick]);

  const total = indices.length;
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(total, Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN);
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    const index = indices[i];
    if (index >= buffer.size) continue;
    const text = buffer.line(index);
    rows.push(
      <div
        key={i}
        data-log-line={index}
        className="absolute left-0 min-w-full px-3 font-mono text-xs leading-5 whitespace-pre text-slate-100 hover:bg-slate-800"
        style={{ top: i * ROW_HEIGHT, height: ROW_HEIGHT }}
      >
        {highlight(text, query)}
      </div>,
    );
  }

  return (
    <div
      ref={scroller}
      role="log"
      aria-label={label}
      aria-live="off"
      tabIndex={0}
      onScroll={(e) => {
        const el = e.currentTarget;
        setScrollTop(el.scrollTop);
        setStick(el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_HEIGHT);
      }}
      className="relative h-[60vh] min-h-72 overflow-auto rounded-lg bg-slate-900 py-2 focus:outline-2 focus:outline-sky-500"
    >
      <div style={{ height: total * ROW_HEIGHT, position: 'relative' }}>{rows}</div>
    </div>
  );
}
