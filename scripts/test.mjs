#!/usr/bin/env node
// `npm test`: the type check and ESLint, then unit, contract and route tests (vitest), then the end-to-end flows
// (Playwright in Debian's chromium). Each suite starts its own simulated cluster on free ports with a
// temporary data folder. All three run even when one fails, so one CI run shows every failure.
import { spawnSync } from 'node:child_process';

function run(label, cmd, args) {
  console.log(`\n== ${label}: ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  const code = r.status ?? 1;
  console.log(`== ${label}: ${code === 0 ? 'ok' : `failed (exit ${code})`} in ${Math.round((Date.now() - started) / 1000)} s`);
  return code;
}

const codes = [
  run('typecheck', 'npx', ['tsc', '--noEmit', '-p', '.']),
  run('eslint', 'npx', ['eslint', '.']),
  run('vitest', 'npx', ['vitest', 'run']),
  run('playwright', 'npx', ['playwright', 'test']),
];
process.exit(codes.find((c) => c !== 0) ?? 0);
