import 'server-only';
import { Informer, type InformerSpec } from './informer';

/** How long an informer nobody uses is kept, so a page reload does not relist. */
const LINGER_MS = 30_000;

type Entry = { informer: Informer; refs: number; lingerTimer?: ReturnType<typeof setTimeout> };

// On globalThis so a dev hot reload reuses the running informers instead of duplicating them.
const g = globalThis as unknown as { __flinkDashInformers?: Map<string, Entry> };
const registry = (g.__flinkDashInformers ??= new Map<string, Entry>());

export function toInformerKey(spec: InformerSpec): string {
  const { conn, kind, namespace, labelSelector, transform } = spec;
  // conn.identityKey: one user's informer is never handed to another (its cache holds what *their* rights listed).
  return [conn.context, conn.server, conn.identityKey, kind.group, kind.version, kind.plural, namespace, labelSelector ?? '', transform?.name ?? ''].join('|');
}

export type InformerLease = { informer: Informer; release: () => void };

/** One shared list+watch per (context, identity scope, kind, namespace, selector, transform), reference-counted. */
export function acquireInformer(spec: InformerSpec): InformerLease {
  const key = toInformerKey(spec);
  let entry = registry.get(key);
  if (!entry) {
    entry = { informer: new Informer(spec), refs: 0 };
    registry.set(key, entry);
    entry.informer.start();
  }
  const current = entry;
  current.refs++;
  if (current.lingerTimer) {
    clearTimeout(current.lingerTimer);
    current.lingerTimer = undefined;
  }
  let released = false;
  return {
    informer: current.informer,
    release: () => {
      if (released) return;
      released = true;
      current.refs--;
      if (current.refs > 0) return;
      const drop = () => {
        if (current.refs === 0 && registry.get(key) === current) {
          registry.delete(key);
          current.informer.stop();
        }
      };
      // One that never listed (forbidden, unreachable) is not kept retrying for nobody.
      if (!current.informer.isSynced) return drop();
      current.lingerTimer = setTimeout(drop, LINGER_MS);
      current.lingerTimer.unref?.();
    },
  };
}

/** Runs `fn` against a synced informer and releases it afterwards (the informer lingers for reuse). */
export async function withSyncedInformer<T>(spec: InformerSpec, fn: (informer: Informer) => T): Promise<T> {
  const lease = acquireInformer(spec);
  try {
    await lease.informer.whenSynced();
    return fn(lease.informer);
  } finally {
    lease.release();
  }
}

/** For tests and diagnostics: how many informers are running. */
export function countInformers(): number {
  return registry.size;
}
