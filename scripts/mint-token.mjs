#!/usr/bin/env node
// Mints a static sign-in token for FLINK_DASHBOARD_AUTH=token and prints the token (give it to the
// user, once) and the entry for the tokens Secret (only its SHA-256 is stored).
//
//   node scripts/mint-token.mjs alice --group team-a --group viewers [--secret flink-dashboard/dashboard-tokens]
//
// The token has 256 random bits, so a plain SHA-256 is enough to store it (see lib/auth/tokens.ts).
import { createHash, randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';

function fail(message) {
  console.error(`mint-token: ${message}`);
  console.error('usage: node scripts/mint-token.mjs <user> [--group <group>]... [--secret <namespace>/<name>]');
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: { group: { type: 'string', multiple: true, short: 'g' }, secret: { type: 'string' } },
  });
} catch (e) {
  fail(e instanceof Error ? e.message : String(e));
}
const [user, ...extra] = parsed.positionals;
if (!user) fail('name the user.');
if (extra.length) fail(`one user at a time (got also: ${extra.join(' ')}).`);
if (user.length > 256 || /[\u0000-\u001f]/.test(user)) fail('the user name must be at most 256 printable characters.');
const groups = parsed.values.group ?? [];
for (const g of groups) if (!g || g.length > 256 || /[\u0000-\u001f]/.test(g)) fail(`"${g}" is not a group name.`);
const secret = parsed.values.secret ?? process.env.FLINK_DASHBOARD_TOKENS_SECRET ?? 'flink-dashboard/dashboard-tokens';
const [namespace, name] = secret.split('/');
if (!namespace || !name) fail(`--secret must be <namespace>/<name>, not "${secret}".`);

const token = `fdt_${randomBytes(32).toString('base64url')}`;
const entry = JSON.stringify({ user, groups, sha256: createHash('sha256').update(token).digest('hex') });
// Secret data keys: letters, digits, '-', '_' and '.'.
const key = user.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 200) || 'user';

console.log(`Token for ${user} (shown once; give it to ${user} only):\n\n  ${token}\n`);
console.log(`Secret entry (key "${key}"):\n\n  ${entry}\n`);
console.log('Add it to the Secret (creates the Secret, or use the patch for an existing one):\n');
console.log(`  kubectl -n ${namespace} create secret generic ${name} --from-literal=${key}='${entry.replace(/'/g, `'\\''`)}'`);
const patch = JSON.stringify({ data: { [key]: Buffer.from(entry).toString('base64') } });
console.log(`  kubectl -n ${namespace} patch secret ${name} --type merge -p '${patch}'`);
