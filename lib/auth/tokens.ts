import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Static tokens. Each entry of the Secret's `data` is one user: the key is any name (e.g. the user),
 * the value (base64, as in every Secret) is JSON `{"user":"alice","groups":["team-a"],"sha256":"<hex>"}`.
 *
 * The hash is a plain SHA-256 of the token. The tokens are minted by scripts/mint-token.mjs with 256
 * random bits, so no dictionary or brute force reaches them and a slow password hash (scrypt) would
 * add nothing but CPU per sign-in attempt, which an attacker could spend for us. Users never choose these.
 */
export const TOKEN_PREFIX = 'fdt_';

const entrySchema = z.object({
  user: z.string().min(1).max(256),
  groups: z.array(z.string().min(1).max(256)).max(256).default([]),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lower-case hex digits'),
});
export type TokenEntry = z.infer<typeof entrySchema>;

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function mintToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** The entries of the Secret; a broken entry is reported by key and skipped (it never matches). */
export function parseTokenEntries(data: Record<string, string> | undefined): { entries: TokenEntry[]; problems: string[] } {
  const entries: TokenEntry[] = [];
  const problems: string[] = [];
  for (const [key, b64] of Object.entries(data ?? {})) {
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(b64, 'base64').toString('utf8'));
    } catch {
      problems.push(`entry "${key}" is not JSON`);
      continue;
    }
    const parsed = entrySchema.safeParse(json);
    if (parsed.success) entries.push(parsed.data);
    else problems.push(`entry "${key}": ${parsed.error.issues.map((i) => `${i.path.join('.') || 'value'} ${i.message}`).join('; ')}`);
  }
  return { entries, problems };
}

/** The entry whose hash is the token's, compared in constant time over every entry. */
export function matchToken(token: string, entries: readonly TokenEntry[]): TokenEntry | undefined {
  const given = Buffer.from(hashToken(token), 'hex');
  let found: TokenEntry | undefined;
  for (const e of entries) {
    if (timingSafeEqual(given, Buffer.from(e.sha256, 'hex')) && !found) found = e;
  }
  return found;
}
