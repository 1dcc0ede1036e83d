import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { FakeEventSource } from './fake-event-source';

/**
 * The shared worker (public/live-worker.js) run in a VM context for tests, with the stand-in
 * EventSource (the test speaks for the server) and this realm's timers and Date (so vi's fake timers
 * drive the worker's too). `connect()` is a page of a tab: a new port to the worker.
 */
export function startLiveWorkerVm<M extends { sub: number; event: string }>() {
  FakeEventSource.instances = [];
  const self: { onconnect: ((e: { ports: unknown[] }) => void) | null } = { onconnect: null };
  const context = vm.createContext({ self, EventSource: FakeEventSource, setTimeout, clearTimeout, Date, URL, fetch, AbortController });
  vm.runInContext(readFileSync(path.join(process.cwd(), 'public/live-worker.js'), 'utf8'), context);
  return {
    connect() {
      const received: M[] = [];
      const port = { onmessage: null as ((e: { data: unknown }) => void) | null, postMessage: (m: M) => received.push(m), addEventListener() {} };
      self.onconnect!({ ports: [port] });
      return { received, send: (data: unknown) => port.onmessage!({ data }) };
    },
  };
}
