// Container logs as the kubelet keeps them: the current and the previous instance of each
// container, each line with the time it was written.

export interface LogLine {
  time: number; // ms since epoch
  ts: string; // RFC3339Nano
  text: string;
}

export interface Instance {
  /** The container ID of this instance, as the container status reports it. */
  containerID?: string;
  lines: LogLine[];
  /** Lines rotated away from the front (the kubelet keeps about MAX_BYTES_PER_INSTANCE of a container's log). */
  rotated: number;
  bytes: number;
  done: boolean;
  waiters: Set<() => void>;
}

const MAX_BYTES_PER_INSTANCE = 10 * 1024 * 1024;

let seq = 0;
/** RFC3339Nano as Go prints it: nanosecond digits with trailing zeros trimmed. */
export function rfc3339Nano(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-11-29T19:25:19.123Z
  seq = (seq + 1) % 1_000_000;
  const frac = (iso.slice(20, 23) + String(seq).padStart(6, '0')).replace(/0+$/, '');
  return `${iso.slice(0, 19)}${frac ? '.' + frac : ''}Z`;
}

function newInstance(): Instance {
  return { lines: [], rotated: 0, bytes: 0, done: false, waiters: new Set() };
}

export class ContainerLogs {
  current: Instance | undefined;
  previous: Instance | undefined;

  /** A new container instance starts: the current one becomes the previous one. */
  startInstance(containerID?: string): void {
    if (this.current) {
      this.finish();
      this.previous = this.current;
    }
    this.current = { ...newInstance(), containerID };
  }

  byContainerID(id: string | undefined): Instance | undefined {
    if (!id) return undefined;
    return [this.current, this.previous].find((i) => i?.containerID === id);
  }

  append(text: string): void {
    const inst = this.current ?? (this.current = newInstance());
    const now = Date.now();
    for (const part of text.split('\n')) {
      inst.lines.push({ time: now, ts: rfc3339Nano(now), text: part });
      inst.bytes += part.length + 1;
    }
    while (inst.bytes > MAX_BYTES_PER_INSTANCE && inst.lines.length > 1) {
      inst.bytes -= inst.lines.shift()!.text.length + 1;
      inst.rotated++;
    }
    for (const w of inst.waiters) w();
  }

  finish(): void {
    const inst = this.current;
    if (!inst || inst.done) return;
    inst.done = true;
    for (const w of inst.waiters) w();
  }
}

export interface LogOptions {
  follow?: boolean;
  previous?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  timestamps?: boolean;
  limitBytes?: number;
}

export async function* readLog(inst: Instance, opts: LogOptions, signal: AbortSignal, follow: boolean): AsyncGenerator<string> {
  const since = opts.sinceSeconds !== undefined ? Date.now() - opts.sinceSeconds * 1000 : undefined;
  let start = 0;
  if (since !== undefined) {
    while (start < inst.lines.length && inst.lines[start].time < since) start++;
  }
  if (opts.tailLines !== undefined && opts.tailLines >= 0) start = Math.max(start, inst.lines.length - opts.tailLines);
  let budget = opts.limitBytes && opts.limitBytes > 0 ? opts.limitBytes : Infinity;
  // Positions count from the container's first line, so a follower keeps its place when older lines
  // rotate away (kubectl logs -f goes on with the new file); lines rotated before it read them are lost.
  let at = inst.rotated + start;
  for (;;) {
    for (;;) {
      at = Math.max(at, inst.rotated);
      const l = inst.lines[at - inst.rotated];
      if (!l) break;
      at++;
      let out = opts.timestamps ? `${l.ts} ${l.text}` : l.text;
      if (out.length + 1 > budget) {
        // limitBytes cuts the stream mid-line, as the kubelet's limited writer does.
        out = out.slice(0, Math.max(0, budget));
        if (out) yield out;
        return;
      }
      budget -= out.length + 1;
      yield out;
    }
    if (!follow || inst.done || signal.aborted) return;
    await new Promise<void>((resolve) => {
      const wake = () => {
        inst.waiters.delete(wake);
        signal.removeEventListener('abort', wake);
        resolve();
      };
      inst.waiters.add(wake);
      signal.addEventListener('abort', wake, { once: true });
    });
  }
}
