import 'server-only';
import { ApiError } from './api-error';

/**
 * A fixed-window limiter per key (a client address, a user), kept in this process. With several
 * replicas each enforces its own window: a limit of N per replica is at most N × replicas overall,
 * which is what a brute-force or upload-flood guard needs, and needs no shared store.
 */
export type RateLimiter = {
  /** Counts one attempt for `key`; throws a 429 ApiError in plain words when over the limit. */
  take(key: string): void;
};

export function createRateLimiter(opts: { limit: number; windowMs: number; what: string; now?: () => number }): RateLimiter {
  const now = opts.now ?? Date.now;
  const windows = new Map<string, { start: number; count: number }>();
  return {
    take(key) {
      const t = now();
      let w = windows.get(key);
      if (!w || t - w.start >= opts.windowMs) {
        if (windows.size > 10_000) for (const [k, v] of windows) if (t - v.start >= opts.windowMs) windows.delete(k);
        w = { start: t, count: 0 };
        windows.set(key, w);
      }
      w.count += 1;
      if (w.count > opts.limit) {
        const retry = Math.ceil((w.start + opts.windowMs - t) / 1000);
        throw new ApiError('too_many_requests', `Too many ${opts.what}: at most ${opts.limit} every ${Math.round(opts.windowMs / 1000)} s. Try again in ${retry} s.`, {
          details: { retryAfterSeconds: retry },
        });
      }
    },
  };
}
