// SIGTERM handling for the Next server (installed by instrumentation.ts). Kubernetes sends SIGTERM,
// waits terminationGracePeriodSeconds, then SIGKILLs; meanwhile the pod leaves the Service's endpoints.
//
// 1. /readyz answers 503 at once (beginDrain), so no new traffic is routed here;
// 2. after FLINK_DASHBOARD_SHUTDOWN_DELAY_MS (default 0; deploy/ sets a few seconds for the endpoint
//    change to reach every proxy) every SSE stream gets a last frame that makes the browser reconnect,
//    to another replica, and ends;
// 3. every informer stops, ending its Kubernetes watch;
// 4. the process exits 0.
//
// Next's own SIGTERM handler waits for open requests, which SSE streams never finish, and exits 143:
// run with NEXT_MANUAL_SIG_HANDLE=1 (the Dockerfile and scripts/start.mjs set it) so this one decides.
// No server-only imports: instrumentation is not bundled with the react-server condition. The informer
// registry is reached through its globalThis slot (lib/k8s/informer-registry.ts) for the same reason.
import { beginDrain, drainStreams } from '@/lib/live/server/shutdown';
import { logger } from '@/lib/log';

type InformerEntry = { informer: { stop(): void }; lingerTimer?: ReturnType<typeof setTimeout> };
const g = globalThis as unknown as { __flinkDashInformers?: Map<string, InformerEntry>; __flinkDashShutdownInstalled?: boolean };

/** Stops every shared informer (their watches end); answers how many ran. */
export function stopAllInformers(): number {
  const registry = g.__flinkDashInformers;
  if (!registry) return 0;
  const entries = [...registry.values()];
  registry.clear();
  for (const entry of entries) {
    if (entry.lingerTimer) clearTimeout(entry.lingerTimer);
    entry.informer.stop();
  }
  return entries.length;
}

function readDelayMs(): number {
  const raw = process.env.FLINK_DASHBOARD_SHUTDOWN_DELAY_MS;
  const n = raw === undefined || raw === '' ? 0 : Number(raw);
  return Number.isFinite(n) && n >= 0 ? Math.min(n, 60_000) : 0;
}

let started = false;

/** Runs the shutdown once; `exit` is process.exit outside tests. */
export async function shutdown(signal: string, exit: (code: number) => void = (code) => process.exit(code)): Promise<void> {
  if (started) return;
  started = true;
  const at = Date.now();
  beginDrain();
  const delayMs = readDelayMs();
  logger.info('shutdown started', { signal, delayMs });
  if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
  const streams = drainStreams();
  const informers = stopAllInformers();
  // The last frames were queued on the streams; let the sockets take them before the process goes.
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 100));
  logger.info('shutdown complete', { signal, streams, informers, ms: Date.now() - at });
  exit(0);
}

/** Installs the SIGTERM/SIGINT handlers once per process. */
export function installShutdownHandlers(): void {
  if (g.__flinkDashShutdownInstalled) return;
  g.__flinkDashShutdownInstalled = true;
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
