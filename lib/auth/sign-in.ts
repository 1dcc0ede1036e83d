import 'server-only';
import { ApiError } from '@/lib/api/api-error';
import { createRateLimiter } from '@/lib/api/rate-limit';
import { clientAddress } from './client-address';
import type { SecretRef } from './config';
import { readSecretData } from './state-store';
import { matchToken, parseTokenEntries, type TokenEntry } from './tokens';

/**
 * Sign-in attempts: at most 10 a minute per client address, and 300 a minute in all (the address
 * comes from X-Forwarded-For, which a client can vary when nothing in front of the dashboard sets it;
 * the overall cap still bounds guessing, on top of tokens with 256 random bits).
 */
const g = globalThis as unknown as { __flinkDashSignInLimits?: { perAddress: ReturnType<typeof createRateLimiter>; overall: ReturnType<typeof createRateLimiter> } };
const limits = (g.__flinkDashSignInLimits ??= {
  perAddress: createRateLimiter({ limit: 10, windowMs: 60_000, what: 'sign-in attempts from your address' }),
  overall: createRateLimiter({ limit: 300, windowMs: 60_000, what: 'sign-in attempts' }),
});

export function takeSignInAttempt(request: Request): void {
  limits.perAddress.take(clientAddress(request));
  limits.overall.take('*');
}

/** The user a static token belongs to; the tokens Secret is read on every sign-in, so a change applies at once. */
export async function userForToken(ref: SecretRef, token: string): Promise<TokenEntry> {
  let data;
  try {
    data = await readSecretData(ref);
  } catch (err) {
    throw new ApiError('unavailable', `The dashboard cannot read its tokens Secret ${ref.namespace}/${ref.name}: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
  if (data === undefined) throw new ApiError('unavailable', `The tokens Secret ${ref.namespace}/${ref.name} does not exist. See "Logging in" in the README.`);
  const { entries, problems } = parseTokenEntries(data);
  if (problems.length) console.warn(`tokens Secret ${ref.namespace}/${ref.name}: ${problems.join('; ')}`);
  const entry = matchToken(token, entries);
  if (!entry) throw new ApiError('unauthorized', 'That token is not valid. Check that you copied it whole, or ask for a new one.');
  return entry;
}
