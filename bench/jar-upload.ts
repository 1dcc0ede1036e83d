// A large jar uploaded through the dashboard's backend (the built app's POST .../jars route, which
// streams it on to the leader JobManager through the API server's pods proxy) against the same jar
// uploaded directly to the same simulated JobManager through the same pods proxy, in one run.
// Prints the throughput of both, their ratio (target ≥ 80 %) and the backend's RSS growth during
// the upload (target < 64 MiB). Asserts nothing; not part of npm test.
//
//   npx next build          # once: the benchmark serves the built app (.next) with `next start`
//   npx tsx bench/jar-upload.ts [--mib 300] [--runs 2]
//   npx tsx --conditions=react-server bench/jar-upload.ts --in-process 1   # + the route handler called in this process
//
// (react-server: the route modules import 'server-only', which is empty under that condition.)
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import { Readable } from 'node:stream';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { cleanupOnExit, cpuSecondsOf, flags, loadAverage, log, ok, root, sleep, startSimProcess, table, type SimProc } from './sim-bench-support';
import { freePort } from '../e2e/support/processes';
import { classFile, manifest, testJar } from '../e2e/support/jar-files';

const opts = flags({ mib: 300, runs: 2, 'in-process': 0 });
const MiB = 1024 * 1024;

/** The RSS of a process and its children (the built app may run its server in a child). */
function treeRssMiB(pid: number): number {
  let kib = 0;
  const visit = (p: number) => {
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      kib += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      for (const t of readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) visit(Number(t));
    } catch {
      // gone
    }
  };
  visit(pid);
  return kib / 1024;
}

/**
 * A jar of `mib` MiB written to disk a MiB at a time: manifest, a class, and one stored entry of
 * pseudo-random bytes (incompressible, as a fat jar's classes mostly are). Never whole in memory.
 */
async function writeBigJar(file: string, mib: number): Promise<number> {
  const block = (i: number) => {
    const b = Buffer.alloc(MiB);
    let x = (i * 2654435761) >>> 0 || 1;
    for (let o = 0; o < MiB; o += 4) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      b.writeUInt32LE(x >>> 0, o);
    }
    return b;
  };
  let crc = 0;
  for (let i = 0; i < mib; i++) crc = crc32(block(i), crc);
  const out = createWriteStream(file);
  const write = (b: Buffer) => new Promise<void>((r) => (out.write(b) ? r() : out.once('drain', () => r())));
  const entries: { name: Buffer; crc: number; size: number; offset: number }[] = [];
  let offset = 0;
  const local = async (name: string, crcValue: number, size: number, data: () => AsyncGenerator<Buffer> | Buffer[]) => {
    const n = Buffer.from(name);
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(0x21, 12);
    h.writeUInt32LE(crcValue, 14);
    h.writeUInt32LE(size, 18);
    h.writeUInt32LE(size, 22);
    h.writeUInt16LE(n.length, 26);
    entries.push({ name: n, crc: crcValue, size, offset });
    await write(h);
    await write(n);
    for await (const d of data()) await write(d);
    offset += 30 + n.length + size;
  };
  const mf = manifest('org.example.BenchJob');
  await local('META-INF/MANIFEST.MF', crc32(mf), mf.length, () => [mf]);
  const cls = classFile('org.example.BenchJob');
  await local('org/example/BenchJob.class', crc32(cls), cls.length, () => [cls]);
  await local('data/blob.bin', crc, mib * MiB, async function* () {
    for (let i = 0; i < mib; i++) yield block(i);
  });
  const start = offset;
  for (const e of entries) {
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x21, 14);
    c.writeUInt32LE(e.crc, 16);
    c.writeUInt32LE(e.size, 20);
    c.writeUInt32LE(e.size, 24);
    c.writeUInt16LE(e.name.length, 28);
    c.writeUInt32LE(e.offset, 42);
    await write(c);
    await write(e.name);
    offset += 46 + e.name.length;
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(offset - start, 12);
  end.writeUInt32LE(start, 16);
  await write(end);
  await new Promise<void>((r) => out.end(() => r()));
  return statSync(file).size;
}

/** One streamed POST; resolves with the status, the answer and the seconds from first byte sent to answer. */
function post(url: string, headers: Record<string, string | number>, parts: () => AsyncIterable<Buffer | string>): Promise<{ status: number; text: string; seconds: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.request(url, { method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, seconds: (performance.now() - t0) / 1000 }));
    });
    req.on('error', reject);
    void (async () => {
      for await (const p of parts()) if (!req.write(p)) await new Promise((r) => req.once('drain', r));
      req.end();
    })().catch(reject);
  });
}

async function main() {
  if (!existsSync(path.join(root, '.next', 'BUILD_ID'))) throw new Error('no build in .next: run `npx next build` first');
  log(`load average ${loadAverage()}`);
  const sim: SimProc = await startSimProcess('jar-upload');
  cleanupOnExit(sim);
  const jarFile = path.join(sim.tmp, 'bench.jar');
  log(`writing a ${opts.mib} MiB jar…`);
  const size = await writeBigJar(jarFile, opts.mib);

  const port = await freePort();
  const app: ChildProcess = spawn(process.execPath, [path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, FLINK_DASHBOARD_KUBECONFIG: path.join(sim.tmp, 'sim', 'kubeconfig'), NODE_ENV: 'production' },
  });
  const stopApp = () => app.exitCode === null && app.kill('SIGTERM');
  process.once('exit', stopApp);
  const appUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const up = await fetch(`${appUrl}/api/contexts`).then((r) => r.ok, () => false);
    if (up) break;
    if (i > 600) throw new Error('the app did not start');
    await sleep(200);
  }

  const ns = 'bench-jars';
  const cid = 'uploads';
  await ok(sim, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  const created = await fetch(`${appUrl}/api/clusters`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clusterId: cid, namespace: ns }) });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${await created.text()}`);
  for (let i = 0; ; i++) {
    const r = await fetch(`${appUrl}/api/clusters/${ns}/${cid}/jars`);
    if (r.ok) break;
    if (i > 300) throw new Error(`the JobManager did not answer: ${await r.text()}`);
    await sleep(500);
  }
  const pods = await ok(sim, 'GET', `/api/v1/namespaces/${ns}/pods?labelSelector=app%3D${cid},component%3Djobmanager`);
  const pod = pods.items![0].metadata.name;
  log(`session cluster ${ns}/${cid} up, JobManager pod ${pod}; app pid ${app.pid}, sim pid ${sim.pid}`);

  const deleteJar = async (id: string) => {
    const r = await fetch(`${appUrl}/api/clusters/${ns}/${cid}/jars/${encodeURIComponent(id)}`, { method: 'DELETE' });
    if (r.status !== 204) throw new Error(`delete: ${r.status} ${await r.text()}`);
  };

  async function direct(): Promise<number> {
    const boundary = `----bench${Date.now()}`;
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="jarfile"; filename="bench.jar"\r\nContent-Type: application/x-java-archive\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const r = await post(
      `${sim.url}/api/v1/namespaces/${ns}/pods/${pod}:8081/proxy/jars/upload`,
      { authorization: `Bearer ${sim.token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + size + tail.length },
      async function* () {
        yield head;
        yield* createReadStream(jarFile, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>;
        yield tail;
      },
    );
    if (r.status !== 200) throw new Error(`direct upload: ${r.status} ${r.text.slice(0, 300)}`);
    await deleteJar((JSON.parse(r.text) as { filename: string }).filename.split('/').pop()!);
    return r.seconds;
  }

  async function viaBackend(): Promise<{ seconds: number; rssGrowth: number; rssBefore: number; rssPeak: number; cpu: number }> {
    const cpuBefore = cpuSecondsOf(app.pid!);
    const rssBefore = treeRssMiB(app.pid!);
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, treeRssMiB(app.pid!))), 50);
    const r = await post(
      `${appUrl}/api/clusters/${ns}/${cid}/jars?name=bench.jar`,
      { 'content-type': 'application/java-archive', 'content-length': size },
      () => createReadStream(jarFile, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>,
    );
    clearInterval(sampler);
    rssPeak = Math.max(rssPeak, treeRssMiB(app.pid!));
    const cpu = cpuSecondsOf(app.pid!) - cpuBefore;
    if (r.status !== 201) throw new Error(`upload through the backend: ${r.status} ${r.text.slice(0, 300)}`);
    await deleteJar((JSON.parse(r.text) as { id: string }).id);
    return { seconds: r.seconds, rssGrowth: rssPeak - rssBefore, rssBefore, rssPeak, cpu };
  }

  /** The route handler called in this process with a web stream of the file (no Next server in between). */
  async function inProcess(): Promise<number> {
    process.env.FLINK_DASHBOARD_KUBECONFIG = path.join(sim.tmp, 'sim', 'kubeconfig');
    const route = await import('../app/api/clusters/[namespace]/[id]/jars/route');
    const body = Readable.toWeb(createReadStream(jarFile, { highWaterMark: 64 * 1024 })) as ReadableStream<Uint8Array>;
    const t0 = performance.now();
    const res = await route.POST(
      new Request(`http://bench.test/api/clusters/${ns}/${cid}/jars?name=bench.jar`, { method: 'POST', body, duplex: 'half', headers: { 'content-length': String(size) } } as RequestInit),
      { params: Promise.resolve({ namespace: ns, id: cid }) },
    );
    const text = await res.text();
    const seconds = (performance.now() - t0) / 1000;
    if (res.status !== 201) throw new Error(`in-process upload: ${res.status} ${text.slice(0, 300)}`);
    await deleteJar((JSON.parse(text) as { id: string }).id);
    return seconds;
  }

  // A small jar through the backend first, so loading the route's modules is not measured.
  const warm = await fetch(`${appUrl}/api/clusters/${ns}/${cid}/jars?name=warm.jar`, { method: 'POST', body: new Uint8Array(testJar('org.example.Warm')) });
  if (warm.status !== 201) throw new Error(`warm-up upload: ${warm.status} ${await warm.text()}`);
  await deleteJar(((await warm.json()) as { id: string }).id);
  const rows: (string | number)[][] = [['run', 'path', 'seconds', 'MiB/s', 'app RSS before → peak (growth)', 'app CPU s']];
  const sizeMiB = size / MiB;
  const directs: number[] = [];
  const inProc: number[] = [];
  const cpus: number[] = [];
  const backends: number[] = [];
  let worstGrowth = 0;
  for (let run = 1; run <= opts.runs; run++) {
    // Alternate the order, so neither path always goes first on a warming machine.
    const order = run % 2 === 1 ? (['direct', 'backend'] as const) : (['backend', 'direct'] as const);
    for (const which of order) {
      if (which === 'direct') {
        const s = await direct();
        directs.push(sizeMiB / s);
        rows.push([run, 'direct (pods proxy)', s.toFixed(2), (sizeMiB / s).toFixed(1), '', '']);
      } else {
        const b = await viaBackend();
        backends.push(sizeMiB / b.seconds);
        worstGrowth = Math.max(worstGrowth, b.rssGrowth);
        rows.push([run, 'dashboard backend', b.seconds.toFixed(2), (sizeMiB / b.seconds).toFixed(1), `${b.rssBefore.toFixed(0)} → ${b.rssPeak.toFixed(0)} MiB (+${b.rssGrowth.toFixed(1)})`, b.cpu.toFixed(2)]);
        cpus.push(b.cpu);
      }
      log(`run ${run} ${which} done`);
    }
    if (opts['in-process']) {
      const s = await inProcess();
      inProc.push(sizeMiB / s);
      rows.push([run, 'route handler in-process', s.toFixed(2), (sizeMiB / s).toFixed(1), '', '']);
    }
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const ratio = mean(backends) / mean(directs);
  console.log(`\n${sizeMiB.toFixed(1)} MiB jar, ${opts.runs} runs each, load average ${loadAverage()}\n`);
  console.log(table(rows));
  console.log(`\nthroughput: backend ${mean(backends).toFixed(1)} MiB/s, direct ${mean(directs).toFixed(1)} MiB/s, ratio ${(100 * ratio).toFixed(1)} % (target ≥ 80 %: ${ratio >= 0.8 ? 'PASS' : 'MISS'})`);
  if (inProc.length) console.log(`route handler in-process (no Next server): ${mean(inProc).toFixed(1)} MiB/s, ${(100 * mean(inProc) / mean(directs)).toFixed(0)} % of direct`);
  console.log(`app CPU per upload: ${cpus.map((c) => c.toFixed(2)).join(', ')} s (${(sizeMiB / Math.min(...cpus)).toFixed(0)} MiB per CPU second at best)`);
  console.log(`backend RSS growth during an upload: max +${worstGrowth.toFixed(1)} MiB (target < 64 MiB: ${worstGrowth < 64 ? 'PASS' : 'MISS'})`);
  stopApp();
  await sim.stop();
  process.exit(0);
}

await main();
