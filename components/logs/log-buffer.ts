// The lines of a log the browser keeps: a ring of at most `capacity` lines, fed with text chunks as
// they arrive (a chunk may end inside a line). Older lines are dropped and counted, so a log of
// 100,000 lines costs the memory of `capacity` lines. PURE (no DOM).

export const DEFAULT_LOG_CAPACITY = 10_000;

export class LogBuffer {
  private readonly ring: string[];
  private start = 0;
  private count = 0;
  private partial = '';
  /** Lines that fell out of the window. */
  dropped = 0;
  /** Lines the server skipped before sending because the browser fell behind (a followed log). */
  skipped = 0;
  /** Bumped on every change, for React to notice. */
  version = 0;

  constructor(readonly capacity: number = DEFAULT_LOG_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error('capacity must be a positive whole number');
    this.ring = new Array<string>(capacity);
  }

  /** Number of whole lines held, plus the unfinished last line if there is one. */
  get size(): number {
    return this.count + (this.partial ? 1 : 0);
  }

  /** Line i of the window (0 = oldest kept); the unfinished last line is the last one. */
  line(i: number): string {
    if (i < this.count) return this.ring[(this.start + i) % this.capacity];
    if (i === this.count && this.partial) return this.partial;
    throw new RangeError(`no line ${i}`);
  }

  lines(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.size; i++) out.push(this.line(i));
    return out;
  }

  /** Adds decoded text; a trailing fragment waits for the rest of its line. */
  append(text: string): void {
    if (text === '') return;
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    for (const raw of parts) this.pushLine(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
    this.version++;
  }

  /** The stream ended: an unfinished last line becomes a line. */
  end(): void {
    if (this.partial) {
      this.pushLine(this.partial);
      this.partial = '';
      this.version++;
    }
  }

  /** Counts lines the server skipped (they are not in the window and never were). */
  skip(lines: number): void {
    if (lines <= 0) return;
    this.skipped += lines;
    this.version++;
  }

  clear(): void {
    this.start = 0;
    this.count = 0;
    this.partial = '';
    this.dropped = 0;
    this.skipped = 0;
    this.version++;
  }

  private pushLine(line: string): void {
    if (this.count < this.capacity) {
      this.ring[(this.start + this.count) % this.capacity] = line;
      this.count++;
    } else {
      this.ring[this.start] = line;
      this.start = (this.start + 1) % this.capacity;
      this.dropped++;
    }
  }
}

/** Indices of the lines that contain `query` (case-insensitive); every index when the query is empty. */
export function matchingLines(buffer: LogBuffer, query: string): number[] {
  const out: number[] = [];
  const q = query.toLowerCase();
  for (let i = 0; i < buffer.size; i++) if (!q || buffer.line(i).toLowerCase().includes(q)) out.push(i);
  return out;
}
