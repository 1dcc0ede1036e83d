import 'server-only';
import { createHash } from 'node:crypto';
import type { SecretRef } from './config';
import { readConfigMap, updateConfigMapData } from './state-store';

/**
 * Signed-out sessions, so a copied cookie is useless after "Sign out" even though sessions live in
 * signed cookies and no database. Each signed-out session id (hashed) is recorded, with its expiry,
 * in a small ConfigMap; entries past their expiry are dropped on the next write. Every replica reads
 * it (at most every REFRESH_MS) before it accepts a session; the replica that signed the session out
 * knows at once.
 */
const REFRESH_MS = 2_000;

type Cache = { at: number; revoked: Map<string, number>; loading?: Promise<void> };
const g = globalThis as unknown as { __flinkDashRevoked?: Map<string, Cache> };
const caches = (g.__flinkDashRevoked ??= new Map());

const keyOf = (ref: SecretRef) => `${ref.namespace}/${ref.name}`;
export const revocationKey = (sid: string) => createHash('sha256').update(sid).digest('hex').slice(0, 40);

function cacheOf(ref: SecretRef): Cache {
  let c = caches.get(keyOf(ref));
  if (!c) caches.set(keyOf(ref), (c = { at: 0, revoked: new Map() }));
  return c;
}

async function refresh(ref: SecretRef, c: Cache): Promise<void> {
  const cm = await readConfigMap(ref);
  const next = new Map<string, number>();
  for (const [k, v] of Object.entries(cm?.data ?? {})) next.set(k, Number(v));
  // keep what this replica recorded but may not be visible yet
  for (const [k, v] of c.revoked) if (!next.has(k)) next.set(k, v);
  c.revoked = next;
  c.at = Date.now();
}

/** Whether `sid` was signed out. Throws when the record cannot be read and was never read. */
export async function isRevoked(ref: SecretRef, sid: string): Promise<boolean> {
  const c = cacheOf(ref);
  if (Date.now() - c.at > REFRESH_MS) {
    c.loading ??= refresh(ref, c).finally(() => (c.loading = undefined));
    try {
      await c.loading;
    } catch (err) {
      if (c.at === 0) throw err;
      // keep the last copy read; the next request tries again
    }
  }
  return c.revoked.has(revocationKey(sid));
}

export async function revoke(ref: SecretRef, sid: string, exp: number): Promise<void> {
  const k = revocationKey(sid);
  cacheOf(ref).revoked.set(k, exp);
  const now = Date.now();
  await updateConfigMapData(ref, (data) => {
    for (const [key, v] of Object.entries(data)) if (!(Number(v) > now)) delete data[key];
    data[k] = String(exp);
    return data;
  });
}
