// Graceful shutdown of server-sent event streams (instrumentation.ts calls drainStreams on SIGTERM).
// Every open stream registers how to end itself: a last frame that tells the browser to reconnect
// (EventSource reopens a stream that ends, and the Service sends it to another replica), then close.

type Drain = { draining: boolean; closers: Set<(message: string) => void> };
// On globalThis: the route bundles and instrumentation.ts are separate module graphs in one process.
const g = globalThis as unknown as { __flinkDashDrain?: Drain };
const state = (g.__flinkDashDrain ??= { draining: false, closers: new Set() });

export const SHUTDOWN_MESSAGE = 'This dashboard server is shutting down; reconnecting to another one…';

/** True once shutdown began: /readyz answers 503, and a new stream is ended at once. */
export function isDraining(): boolean {
  return state.draining;
}

/** Registers a stream's closer; answers the function that unregisters it (call it when the stream ends). */
export function onDrain(close: (message: string) => void): () => void {
  if (state.draining) {
    queueMicrotask(() => close(SHUTDOWN_MESSAGE));
    return () => {};
  }
  state.closers.add(close);
  return () => void state.closers.delete(close);
}

/** Marks the process draining (readiness fails from now on). */
export function beginDrain(): void {
  state.draining = true;
}

/** Ends every open stream with its last frame; answers how many were open. */
export function drainStreams(message = SHUTDOWN_MESSAGE): number {
  state.draining = true;
  const closers = [...state.closers];
  state.closers.clear();
  for (const close of closers) {
    try {
      close(message);
    } catch {
      // a stream that is already gone
    }
  }
  return closers.length;
}

/** For tests: open streams registered for draining. */
export function openStreamCount(): number {
  return state.closers.size;
}
