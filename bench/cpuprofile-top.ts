// Summarises a V8 .cpuprofile (node --cpu-prof): the functions with the most self time, and the
// functions of the project (sim/, app/, lib/) with the most total time (self + callees).
//
//   npx tsx bench/cpuprofile-top.ts /tmp/prof/CPU.*.cpuprofile [--top 25]
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

const args = process.argv.slice(2);
const topIdx = args.indexOf('--top');
const top = topIdx >= 0 ? Number(args.splice(topIdx, 2)[1]) : 25;
const file = args[0];
if (!file) {
  process.stderr.write('usage: npx tsx bench/cpuprofile-top.ts FILE.cpuprofile [--top N]\n');
  process.exit(2);
}
const prof = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// sample counts per node (hitCount is not always filled in)
const hits = new Map<number, number>();
for (const s of prof.samples) hits.set(s, (hits.get(s) ?? 0) + 1);
const totalSamples = prof.samples.length;
const totalMs = (prof.endTime - prof.startTime) / 1000;
const msPerSample = totalMs / Math.max(1, totalSamples);

const label = (n: Node) => {
  const url = n.callFrame.url.replace(/^file:\/\//, '').replace(/^.*\/work\/main\//, '');
  return `${n.callFrame.functionName || '(anonymous)'} ${url ? `${url}:${n.callFrame.lineNumber + 1}` : ''}`.trim();
};
const own = (n: Node) => /(^|\/)(sim|app|lib|components)\//.test(n.callFrame.url) && !n.callFrame.url.includes('node_modules');

const self = new Map<string, number>();
const total = new Map<string, number>();
for (const [id, count] of hits) {
  const n = byId.get(id)!;
  self.set(label(n), (self.get(label(n)) ?? 0) + count);
  // total: every distinct frame on the stack
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const cn = byId.get(cur)!;
    if (!own(cn)) continue;
    const l = label(cn);
    if (seen.has(l)) continue;
    seen.add(l);
    total.set(l, (total.get(l) ?? 0) + count);
  }
}
const idle = [...hits].filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)').reduce((a, [, c]) => a + c, 0);
const pct = (c: number) => `${((100 * c) / totalSamples).toFixed(1).padStart(5)} %  ${((c * msPerSample) / 1000).toFixed(1).padStart(7)} s`;
console.log(`${file}: ${(totalMs / 1000).toFixed(1)} s profiled, ${totalSamples} samples, idle ${pct(idle)}`);
console.log(`\nself time (top ${top})`);
for (const [l, c] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(c)}  ${l}`);
console.log(`\ntotal time of project functions (top ${top})`);
for (const [l, c] of [...total].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(c)}  ${l}`);
