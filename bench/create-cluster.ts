// One create as the form does it: POST /api/clusters/preflight, then POST /api/clusters, against a
// simulated cluster with 50 ms latency injected on every API request (POST /_sim/faults
// {"latencyMs":50}). Counts every request to the API server, the sequential round trips (groups
// of overlapping requests) and the wall time. Prints figures; asserts nothing; not part of npm test.
//
//   npx tsx --conditions=react-server bench/create-cluster.ts [--runs 3] [--latency 50]
//
// (react-server: the route modules import 'server-only', which is empty under that condition.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSim, stopProcess } from '@/e2e/support/processes';
import { SimClient } from '@/e2e/support/sim-client';
import { countRoundTrips, startRecordingProxy, writeKubeconfigFor, type RecordedRequest } from '@/lib/k8s/clusters/testing/recording-proxy';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const runs = arg('runs', 3);
const latencyMs = arg('latency', 50);

const dataDir = mkdtempSync(path.join(tmpdir(), 'flink-dash-bench-create-'));
const { child, info } = await startSim(path.join(dataDir, 'sim'));
const sim = new SimClient(info.url, info.kubeconfig);
const proxy = await startRecordingProxy(info.url);
const kubeconfig = path.join(dataDir, 'kubeconfig');
writeKubeconfigFor(info.kubeconfig, kubeconfig, proxy.url);
process.env.FLINK_DASHBOARD_KUBECONFIG = kubeconfig;

const preflightRoute = await import('@/app/api/clusters/preflight/route');
const clustersRoute = await import('@/app/api/clusters/route');

async function post(handler: (r: Request, c: never) => Promise<Response>, url: string, body: unknown): Promise<number> {
  const res = await handler(
    new Request(`http://bench.test${url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    {} as never,
  );
  await res.text();
  return res.status;
}

type Figures = { label: string; requests: number; rounds: number; preflightRounds: number; createRounds: number; wallMs: number };

function summarize(requests: RecordedRequest[]): string {
  const byKind = new Map<string, number>();
  for (const r of requests) {
    const key = `${r.method} ${r.path.replace(/\/namespaces\/[^/]+/, '/namespaces/NS').replace(/\/(bench-[a-z0-9-]+|flink-config-[a-z0-9-]+)$/, '/NAME')}${r.query.includes('dryRun') ? ' (dry run)' : ''}`;
    byKind.set(key, (byKind.get(key) ?? 0) + 1);
  }
  return [...byKind].map(([k, n]) => `      ${n} × ${k}`).join('\n');
}

async function once(label: string, namespace: string, clusterId: string): Promise<Figures> {
  proxy.reset();
  const t0 = performance.now();
  const preflight = await post(preflightRoute.POST, '/api/clusters/preflight', { clusterId, namespace });
  const afterPreflight = proxy.requests.length;
  const created = await post(clustersRoute.POST, '/api/clusters', { clusterId, namespace });
  const wallMs = performance.now() - t0;
  if (preflight !== 200 || created !== 201) throw new Error(`${label}: preflight ${preflight}, create ${created}`);
  const requests = [...proxy.requests];
  const f: Figures = {
    label,
    requests: requests.length,
    rounds: countRoundTrips(requests),
    preflightRounds: countRoundTrips(requests.slice(0, afterPreflight)),
    createRounds: countRoundTrips(requests.slice(afterPreflight)),
    wallMs,
  };
  if (label.endsWith('#1')) {
    console.log(`    requests of "${label}":\n${summarize(requests)}`);
    if (process.argv.includes('--timeline')) {
      for (const r of requests) console.log(`      ${(r.start - t0).toFixed(0).padStart(6)} → ${(r.end - t0).toFixed(0).padStart(6)}  ${r.method} ${r.path}${r.query}`);
    }
  }
  return f;
}

try {
  await sim.request('POST', '/_sim/faults', { latencyMs });
  const results: Figures[] = [];
  for (let i = 1; i <= runs; i++) {
    const ns = `bench-new-${Date.now().toString(36)}-${i}`;
    await sim.createNamespace(ns);
    results.push(await once(`new namespace (provisions ServiceAccount flink) #${i}`, ns, `bench-a${i}`));
  }
  const shared = `bench-shared-${Date.now().toString(36)}`;
  await sim.createNamespace(shared);
  await once('warm-up', shared, 'bench-warm');
  for (let i = 1; i <= runs; i++) results.push(await once(`ServiceAccount exists #${i}`, shared, `bench-b${i}`));

  console.log(`\ncreate = preflight + create, ${latencyMs} ms latency injected on every API request\n`);
  console.log('case'.padEnd(52), 'requests'.padStart(8), 'rounds'.padStart(7), '(pre+create)'.padStart(13), 'wall ms'.padStart(9));
  for (const r of results) {
    console.log(
      r.label.padEnd(52),
      String(r.requests).padStart(8),
      String(r.rounds).padStart(7),
      `(${r.preflightRounds}+${r.createRounds})`.padStart(13),
      r.wallMs.toFixed(0).padStart(9),
    );
  }
} finally {
  await sim.request('POST', '/_sim/faults', {}).catch(() => undefined);
  await proxy.close();
  await stopProcess(child);
  rmSync(dataDir, { recursive: true, force: true });
}
