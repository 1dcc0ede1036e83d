// Summarises a V8 heap snapshot (.heapsnapshot, as written by --heapsnapshot-signal or
// v8.writeHeapSnapshot): self size and count per node type and constructor name, largest first.
// Self sizes only, no retained sizes: the quick "what is the heap made of" view.
//
//   node --max-old-space-size=8192 --import tsx bench/heapsnapshot-top.ts FILE [--top 40]
import { readFileSync } from 'node:fs';

const [file, ...rest] = process.argv.slice(2);
if (!file) {
  console.error('usage: heapsnapshot-top.ts FILE [--top N]');
  process.exit(2);
}
const top = Number(rest[rest.indexOf('--top') + 1]) || 40;
const snap = JSON.parse(readFileSync(file, 'utf8')) as {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
};
const fields = snap.snapshot.meta.node_fields;
const nf = fields.length;
const iType = fields.indexOf('type');
const iName = fields.indexOf('name');
const iSize = fields.indexOf('self_size');
const types = snap.snapshot.meta.node_types[0];
const groups = new Map<string, { size: number; count: number }>();
let total = 0;
for (let i = 0; i < snap.nodes.length; i += nf) {
  const type = types[snap.nodes[i + iType]];
  const size = snap.nodes[i + iSize];
  total += size;
  let key: string;
  if (type === 'object' || type === 'closure' || type === 'native') key = `${type}:${snap.strings[snap.nodes[i + iName]]}`;
  else if (type === 'string' || type === 'concatenated string' || type === 'sliced string') {
    const s = snap.strings[snap.nodes[i + iName]];
    key = `${type}:${size >= 1024 ? (s.startsWith('{') ? 'JSON >= 1 KiB' : '>= 1 KiB') : '< 1 KiB'}`;
  } else key = `${type}:${snap.strings[snap.nodes[i + iName]].slice(0, 40)}`;
  const g = groups.get(key) ?? { size: 0, count: 0 };
  g.size += size;
  g.count++;
  groups.set(key, g);
}
const mib = (n: number) => (n / 2 ** 20).toFixed(1);
console.log(`total self size ${mib(total)} MiB in ${snap.nodes.length / nf} nodes`);
console.log('MiB\tcount\tgroup');
for (const [k, g] of [...groups].sort((a, b) => b[1].size - a[1].size).slice(0, top)) console.log(`${mib(g.size)}\t${g.count}\t${k}`);
