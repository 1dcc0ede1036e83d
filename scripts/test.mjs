#!/usr/bin/env node
// `npm test`: the type check and ESLint, then unit, contract and route tests (vitest), then the
// end-to-end flows (Playwright in Debian's chromium). Each suite starts its own simulated cluster on
// free ports with a temporary data folder. Every step runs even when one fails, so one CI run shows
// every failure; the last line sums the tests of both runners.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const resultsDir = path.resolve('test-results');
mkdirSync(resultsDir, { recursive: true });
const vitestJson = path.join(resultsDir, 'vitest.json');
const playwrightJson = path.join(resultsDir, 'playwright.json');

function run(label, cmd, args, env = {}) {
  console.log(`\n== ${label}: ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const code = r.status ?? 1;
  console.log(`== ${label}: ${code === 0 ? 'ok' : `failed (exit ${code})`} in ${Math.round((Date.now() - started) / 1000)} s`);
  return code;
}

function readJson(file) {
  try {
    return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
  } catch {
    return undefined;
  }
}

const codes = [
  run('typecheck', 'npx', ['tsc', '--noEmit', '-p', '.']),
  run('eslint', 'npx', ['eslint', '.']),
  run('vitest', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]),
  run('playwright', 'npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_FILE: playwrightJson }),
];

const v = readJson(vitestJson);
const p = readJson(playwrightJson);
const passed = (v?.numPassedTests ?? 0) + (p?.stats?.expected ?? 0) + (p?.stats?.flaky ?? 0);
const failed = (v?.numFailedTests ?? 0) + (p?.stats?.unexpected ?? 0);
const skipped = (v?.numPendingTests ?? 0) + (v?.numTodoTests ?? 0) + (p?.stats?.skipped ?? 0);
console.log(`\nvitest: ${v ? `${v.numPassedTests} passed, ${v.numFailedTests} failed` : 'no results'}; playwright: ${p ? `${p.stats.expected} passed, ${p.stats.unexpected} failed, ${p.stats.flaky ?? 0} flaky (passed on retry)` : 'no results'}`);
const exit = codes.find((c) => c !== 0) ?? (v && p ? 0 : 1);
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(exit);
