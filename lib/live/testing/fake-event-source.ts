/**
 * A stand-in EventSource for running public/live-worker.js in a VM context: the test speaks for the
 * server (`emit`) and reads which topics the worker asked for (`topics`).
 */
export class FakeEventSource {
  static instances: FakeEventSource[] = [];
  static readonly CLOSED = 2;
  readyState = 1;
  closed = false;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  private readonly listeners = new Map<string, ((e: { data: string }) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(name: string, fn: (e: { data: string }) => void) {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), fn]);
  }
  close() {
    this.closed = true;
  }
  emit(name: string, data: unknown) {
    for (const fn of this.listeners.get(name) ?? []) fn({ data: JSON.stringify(data) });
  }
  /** The stream's topics, in the order of its URL. */
  topics(): string[] {
    return new URL(this.url, 'http://x').searchParams.getAll('topic');
  }
}
