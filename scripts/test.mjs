#!/usr/bin/env node
// `npm test`: unit, contract and route tests (vitest), then the end-to-end flows (Playwright).
// Each suite starts its own simulated cluster on free ports with a temporary data folder.
import { spawnSync } from 'node:child_process';

function run(cmd, args) {
  console.log(`\n== ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  return r.status ?? 1;
}

const unit = run('npx', ['vitest', 'run']);
const e2e = run('npx', ['playwright', 'test']);
process.exit(unit || e2e);
