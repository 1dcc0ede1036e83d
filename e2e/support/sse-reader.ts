export type SseFrame = { event: string; data: unknown };

/** Reads SSE frames from a fetch Response body and hands them out by predicate. */
export class SseReader {
  private buffer = '';
  private frames: SseFrame[] = [];
  private waiting?: () => void;
  private ended = false;
  private readonly decoder = new TextDecoder();

  constructor(body: ReadableStream<Uint8Array>) {
    void this.pump(body.getReader());
  }

  private async pump(reader: ReadableStreamDefaultReader<Uint8Array>) {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        this.buffer += this.decoder.decode(value, { stream: true });
        let end: number;
        while ((end = this.buffer.indexOf('\n\n')) !== -1) {
          const raw = this.buffer.slice(0, end);
          this.buffer = this.buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(raw)?.[1];
          const data = /^data: (.*)$/m.exec(raw)?.[1];
          if (event && data) this.frames.push({ event, data: JSON.parse(data) });
        }
        this.waiting?.();
      }
    } catch {
      // aborted
    }
    this.ended = true;
    this.waiting?.();
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** The first not yet taken frame matching `match`, waiting up to timeoutMs. */
  async next(match: (f: SseFrame) => boolean, timeoutMs = 30_000): Promise<SseFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.frames.findIndex(match);
      if (index !== -1) return this.frames.splice(index, 1)[0];
      if (this.ended) throw new Error('the stream ended');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching SSE frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}
