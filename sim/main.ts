// CLI: npx tsx sim/main.ts [--port N] [--data DIR] [--host H] [--heap-growing-percent P]
// Prints one JSON line {"url","kubeconfig","dataDir"} on stdout once the cluster serves, then runs
// until SIGINT/SIGTERM (state is flushed on the way out). One simulator per data folder: when a
// running one holds <data>/sim.lock this exits with code 3 and a message naming its pid and port.
import path from 'node:path';
import v8 from 'node:v8';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createSim } from './kube/index';
import { specFilesProblem } from './kube/openapi/specs-dir';
import { acquireLock, SimLockHeldError, type SimLock } from './lock';

/**
 * How far V8 lets the old generation grow past what survived the last full GC before it collects
 * again, in percent: what GOGC is to a Go kube-apiserver. V8 picks up to 300 % by itself when
 * allocation is fast, which let a 20,000-pod cluster (~550 MiB live) reach 2.8 GiB of RSS. With
 * 20 % the same run peaked at 1.1 GiB for ~6 % more sim CPU than 40 % (bench/README.md).
 * 0 leaves V8's own choice.
 */
const DEFAULT_HEAP_GROWING_PERCENT = 20;

function parseArgs(argv: string[]): { port: number; data: string; host: string; heapGrowingPercent: number } {
  const out = { port: 0, data: '.data/sim', host: '127.0.0.1', heapGrowingPercent: DEFAULT_HEAP_GROWING_PERCENT };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const val = () => inline ?? argv[++i];
    if (flag === '--port') out.port = Number(val());
    else if (flag === '--data') out.data = val();
    else if (flag === '--host') out.host = val();
    else if (flag === '--heap-growing-percent') out.heapGrowingPercent = Number(val());
    else if (flag === '--help' || flag === '-h') {
      process.stderr.write('usage: tsx sim/main.ts [--port N] [--data DIR] [--host H] [--heap-growing-percent P]\n');
      process.exit(0);
    } else {
      process.stderr.write(`unknown argument: ${a}\n`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(out.port) || out.port < 0 || out.port > 65535) {
    process.stderr.write(`invalid --port\n`);
    process.exit(2);
  }
  if (!Number.isInteger(out.heapGrowingPercent) || out.heapGrowingPercent < 0) {
    process.stderr.write(`invalid --heap-growing-percent\n`);
    process.exit(2);
  }
  return out;
}

/** Exit code when another simulator holds the data folder. */
const EXIT_DATA_DIR_HELD = 3;

/** Takes <data>/sim.lock, or exits with a message naming the simulator that holds it. */
async function lockDataDir(dataDir: string): Promise<SimLock> {
  try {
    return await acquireLock(dataDir);
  } catch (e) {
    if (!(e instanceof SimLockHeldError)) throw e;
    process.stderr.write(`sim: ${e.message}\n`);
    process.exit(EXIT_DATA_DIR_HELD);
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dataProblem = specFilesProblem(); // before listening: a sim without its data files would fail every request
  if (dataProblem) {
    process.stderr.write(`sim: cannot start: ${dataProblem}\n`);
    process.exit(1);
  }
  if (args.heapGrowingPercent > 0) v8.setFlagsFromString(`--heap-growing-percent=${args.heapGrowingPercent}`);
  const dataDir = path.resolve(args.data);
  const lock = await lockDataDir(dataDir);
  const sim = createSim({ port: args.port, host: args.host, dataDir });

  const here = path.dirname(fileURLToPath(import.meta.url));
  if (existsSync(path.join(here, 'flink', 'index.ts')) || existsSync(path.join(here, 'flink', 'index.js'))) {
    const flink = (await import('./flink/index' as string)) as { installFlink?: (s: typeof sim) => void };
    flink.installFlink?.(sim);
  }

  await sim.start();
  lock.ready({ port: sim.api.port, url: sim.url, kubeconfig: sim.kubeconfigPath });
  process.stdout.write(JSON.stringify({ url: sim.url, kubeconfig: sim.kubeconfigPath, dataDir }) + '\n');

  let stopping = false;
  const stop = async (sig: string) => {
    if (stopping) return;
    stopping = true;
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    try {
      await sim.stop();
    } catch (e) {
      process.stderr.write(`sim: error while stopping on ${sig}: ${String(e)}\n`);
    }
    lock.release();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e) => {
  process.stderr.write(`sim: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
