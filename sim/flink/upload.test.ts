import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import http from 'node:http';
import { Zip, ZipDeflate, ZipPassThrough, strToU8 } from 'fflate';
import { applyCluster, createNamespaceWithSa, flinkRest, startFlinkSim, waitFor, type FlinkTestSim } from './testing';
import { writeMainClass } from './classfile';
import { flinkWorldOf } from './index';

const MiB = 1 << 20;
let t: FlinkTestSim;
const dir = mkdtempSync(path.join(tmpdir(), 'sim-upload-'));
beforeAll(async () => {
  t = await startFlinkSim();
});
afterAll(async () => {
  await t?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A jar of `mib` MiB: manifest, a main class that builds a streaming job, and a large stored blob. */
async function bigJar(file: string, mib: number) {
  const out = createWriteStream(file);
  const zip = new Zip((err, chunk) => {
    if (err) throw err;
    out.write(chunk);
  });
  const mf = new ZipDeflate('META-INF/MANIFEST.MF');
  zip.add(mf);
  mf.push(strToU8('Manifest-Version: 1.0\r\nMain-Class: big.Job\r\n\r\n'), true);
  const cls = new ZipPassThrough('big/Job.class');
  zip.add(cls);
  cls.push(writeMainClass({ className: 'big.Job', body: { kind: 'stream-job' } }), true);
  const blob = new ZipPassThrough('lib/blob.bin');
  zip.add(blob);
  const chunk = new Uint8Array(MiB);
  for (let i = 0; i < mib; i++) {
    chunk.fill(i & 0xff);
    blob.push(chunk, i === mib - 1);
    if (out.writableNeedDrain) await once(out, 'drain');
  }
  zip.end();
  out.end();
  await once(out, 'finish');
}

describe('jar upload', { timeout: 300_000 }, () => {
  it('streams a 300 MiB jar to the JobManager disk through the service proxy; RSS stays flat', async () => {
    const { client, sim } = t;
    const ns = 'flink-up';
    const cid = 'session-big';
    await createNamespaceWithSa(client, ns, 'flink');
    await applyCluster(client, { ns, cid, image: 'flink:2.0.1', sa: 'flink' });
    await waitFor(async () => (await flinkRest(sim, ns, cid, '/config')).status === 200, 'REST');
    const file = path.join(dir, 'big.jar');
    await bigJar(file, 300);
    const size = statSync(file).size;
    expect(size).toBeGreaterThan(300 * MiB);

    const boundary = '----simupload' + Math.random().toString(16).slice(2);
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="jarfile"; filename="big.jar"\r\nContent-Type: application/x-java-archive\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    // node:http with a piped file stream as the client (undici's fetch keeps a streamed body's
    // chunks alive until the request ends, which would hide what the sim holds)
    global.gc?.();
    const base = process.memoryUsage();
    let peakRss = base.rss;
    let peakBuffers = base.arrayBuffers;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakBuffers = Math.max(peakBuffers, m.arrayBuffers);
    }, 20);
    const started = Date.now();
    const url = new URL(`${sim.url}/api/v1/namespaces/${ns}/services/${cid}-rest:rest/proxy/jars/upload`);
    let res: { status: number; text: string };
    try {
      res = await new Promise((resolve, reject) => {
        const req = http.request(url, { method: 'POST', headers: { Authorization: `Bearer ${sim.adminToken}`, 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': String(head.length + size + tail.length) } }, (r) => {
          let text = '';
          r.setEncoding('utf8');
          r.on('data', (d) => (text += d));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, text }));
        });
        req.on('error', reject);
        req.write(head);
        const rs = createReadStream(file, { highWaterMark: MiB });
        rs.pipe(req, { end: false });
        rs.on('end', () => req.end(tail));
        rs.on('error', reject);
      });
    } finally {
      clearInterval(sampler);
    }
    const ms = Date.now() - started;
    expect(res.status).toBe(200);
    const up = JSON.parse(res.text);
    const id = up.filename.split('/').pop();
    const rssGrowth = (peakRss - base.rss) / MiB;
    const bufGrowth = (peakBuffers - base.arrayBuffers) / MiB;
    console.log(`300 MiB upload through the service proxy: ${ms} ms (${((size / MiB) / (ms / 1000)).toFixed(0)} MiB/s), peak RSS growth ${rssGrowth.toFixed(1)} MiB, peak ArrayBuffer growth ${bufGrowth.toFixed(1)} MiB (client, API server and JobManager in one process)`);
    // what the sim held in memory at once is far below the jar's size
    expect(bufGrowth).toBeLessThan(64);
    expect(rssGrowth).toBeLessThan(64);

    const jm = flinkWorldOf(sim)!.leaderOf(ns, cid)!;
    expect(statSync(jm.localPath(`${jm.uploadDir}/${id}`)).size).toBe(size);
    const jars = (await flinkRest(sim, ns, cid, '/jars')).body;
    expect(jars.files).toEqual([{ id, name: 'big.jar', uploaded: expect.any(Number), entry: [{ name: 'big.Job', description: null }] }]);
    const run = await flinkRest(sim, ns, cid, `/jars/${id}/run`, { method: 'POST', body: { parallelism: 1 } });
    expect(run.status).toBe(200);
  });
});
