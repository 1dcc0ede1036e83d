import 'server-only';
import { currentIdentity } from '@/lib/auth/identity';
import { trustsProxy } from '@/lib/security/trust-proxy';
import { ApiError } from './api-error';
import { createRateLimiter, type RateLimiter } from './rate-limit';

export const DEFAULT_UPLOADS_PER_MINUTE = 30;

function readUploadsPerMinute(env: Record<string, string | undefined>): number {
  const raw = env.FLINK_DASHBOARD_MAX_UPLOADS_PER_MINUTE?.trim();
  if (!raw) return DEFAULT_UPLOADS_PER_MINUTE;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw new ApiError('unavailable', `The server is misconfigured: FLINK_DASHBOARD_MAX_UPLOADS_PER_MINUTE is a whole number of at least 1. It is "${raw}".`);
  }
  return Number(raw);
}

let limiter: { limit: number; limiter: RateLimiter } | undefined;

/**
 * Who an upload counts against: the signed-in user, else the client's address (the first
 * X-Forwarded-For entry behind a trusted proxy, else the last one, which the server in front of the
 * route wrote itself).
 */
export function uploaderKey(request: Request): string {
  const identity = currentIdentity();
  if (identity && identity.mode !== 'none') return `user:${identity.user}`;
  const hops = (request.headers.get('x-forwarded-for') ?? '').split(',').map((h) => h.trim()).filter(Boolean);
  const address = trustsProxy() ? hops[0] : hops.at(-1);
  return `address:${address ?? 'unknown'}`;
}

/** Counts one jar upload for the request's user; a 429 in plain words past FLINK_DASHBOARD_MAX_UPLOADS_PER_MINUTE (default 30). */
export function takeUpload(request: Request, env: Record<string, string | undefined> = process.env): void {
  const limit = readUploadsPerMinute(env);
  if (limiter?.limit !== limit) limiter = { limit, limiter: createRateLimiter({ limit, windowMs: 60_000, what: 'jar uploads' }) };
  limiter.limiter.take(uploaderKey(request));
}
