import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testJar } from '@/e2e/support/jar-files';
import { printOnlyJar } from '@/e2e/support/test-jars';
import { jobManagerDeployment } from '@/e2e/support/flink-deployment';
import { call, startHarness, type Harness } from '@/lib/k8s/clusters/testing/route-harness';

vi.mock('server-only', () => ({}));

// The jar routes over real handlers, against a sim this file starts, behind the recording proxy
// (which shows what reached the JobManagers).
const jarsRoute = await import('./route');
const jarRoute = await import('./[jarId]/route');
const runRoute = await import('./[jarId]/run/route');
const clustersRoute = await import('@/app/api/clusters/route');

let h: Harness;
const ns = `jars-${Date.now().toString(36)}`;

type Json = Record<string, unknown>;

async function createCluster(body: Json): Promise<void> {
  const res = await call(clustersRoute.POST, 'POST', '/api/clusters', { namespace: ns, ...body });
  expect(res.status, res.text).toBe(201);
}

function base(id: string) {
  return `/api/clusters/${ns}/${id}/jars`;
}

/** POST a file the way the browser does: raw bytes, the name in the query, Content-Length when known. */
async function upload(id: string, name: string, bytes: Buffer | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
  const streamed = !Buffer.isBuffer(bytes);
  const req = new Request(`http://dashboard.test${base(id)}?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/java-archive', ...(streamed ? {} : { 'content-length': String(bytes.length) }), ...headers },
    body: bytes,
    ...(streamed ? { duplex: 'half' } : {}),
  } as RequestInit);
  const res = await jarsRoute.POST(req, { params: Promise.resolve({ namespace: ns, id }) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, text };
}

function list(id: string) {
  return call(jarsRoute.GET, 'GET', base(id), undefined, { namespace: ns, id });
}
function run(id: string, jarId: string, body: unknown) {
  return call(runRoute.POST, 'POST', `${base(id)}/${encodeURIComponent(jarId)}/run`, body, { namespace: ns, id, jarId });
}
function remove(id: string, jarId: string) {
  return call(jarRoute.DELETE, 'DELETE', `${base(id)}/${encodeURIComponent(jarId)}`, undefined, { namespace: ns, id, jarId });
}

/** Requests that carried a jar to a JobManager (through any proxy of the API server). */
function uploadsSeen(): string[] {
  return h.proxy.requests.filter((r) => r.method === 'POST' && /\/proxy\/jars\/upload$/.test(r.path)).map((r) => r.path);
}

async function flinkJobs(id: string): Promise<{ jid: string; state: string }[]> {
  const overview = (await h.sim.request('GET', `/api/v1/namespaces/${ns}/services/${id}-rest:rest/proxy/jobs/overview`)) as { jobs: { jid: string; state: string }[] };
  return overview.jobs;
}

async function waitForRest(id: string): Promise<void> {
  await expect.poll(async () => (await list(id)).status, { timeout: 90_000, interval: 500 }).toBe(200);
}

const hex32 = () => randomBytes(16).toString('hex');

beforeAll(async () => {
  h = await startHarness();
  await h.sim.createNamespace(ns);
  await createCluster({ clusterId: 'session' });
  await createCluster({ clusterId: 'nosubmit', flinkConfig: [{ key: 'web.submit.enable', value: 'false' }] });
  await createCluster({
    clusterId: 'app',
    mode: 'application',
    application: { jarUri: 'local:///opt/flink/examples/streaming/StateMachineExample.jar', parallelism: 1 },
  });
  await createCluster({
    clusterId: 'ha',
    jobManager: { replicas: 2 },
    ha: { enabled: true, storageDir: 'file:///flink-ha/jars', leaseDuration: '4 s', renewDeadline: '3 s', retryPeriod: '500 ms' },
  });
}, 180_000);

afterAll(async () => {
  await h?.stop();
});

describe('jar routes on a session cluster', { timeout: 120_000 }, () => {
  let jarId: string;

  it('stream a jar to the JobManager, which lists it with its entry class', async () => {
    await waitForRest('session');
    const before = uploadsSeen().length;
    const jar = testJar('com.example.StreamingJob', { padding: 3 * 1024 * 1024 });
    const res = await upload('session', 'my-job.jar', jar);
    expect(res.status, res.text).toBe(201);
    expect(res.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}_my-job\.jar$/), name: 'my-job.jar' });
    jarId = res.body.id;
    expect(uploadsSeen().slice(before)).toEqual([expect.stringMatching(new RegExp(`^/api/v1/namespaces/${ns}/pods/session-[a-z0-9-]+:8081/proxy/jars/upload$`))]);

    const listed = await list('session');
    expect(listed.body).toMatchObject({ uploads: true, flinkVersion: expect.stringMatching(/^1\.20/), restoreModeField: 'claimMode' });
    expect(listed.body.jars).toEqual([{ id: jarId, name: 'my-job.jar', uploaded: expect.any(Number), entryClasses: ['com.example.StreamingJob'] }]);
  });

  it('stream a body without Content-Length (chunked) as well', async () => {
    const jar = testJar('com.example.Chunked');
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < jar.length; i += 1000) c.enqueue(new Uint8Array(jar.subarray(i, i + 1000)));
        c.close();
      },
    });
    const res = await upload('session', 'chunked.jar', stream);
    expect(res.status, res.text).toBe(201);
    expect((await list('session')).body.jars.map((j: { name: string }) => j.name)).toContain('chunked.jar');
    expect((await remove('session', res.body.id)).status).toBe(204);
  });

  it('refuse a text file renamed .jar from its first bytes, before anything reaches Flink', async () => {
    const before = uploadsSeen().length;
    const res = await upload('session', 'notes.jar', Buffer.from('hello, this is not a zip archive\n'.repeat(100)));
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('notes.jar is not a jar') });
    expect(uploadsSeen().length).toBe(before);
    expect((await list('session')).body.jars.map((j: { id: string }) => j.id)).toEqual([jarId]);
  });

  it('refuse an empty file and a name Flink would refuse', async () => {
    const empty = await upload('session', 'empty.jar', Buffer.alloc(0));
    expect(empty.status).toBe(422);
    expect(empty.body.error.message).toContain('empty');
    const named = await upload('session', 'job.zip', testJar('com.example.X'));
    expect(named.status).toBe(422);
    expect(named.body.error.issues).toEqual([{ path: 'name', message: 'Flink accepts only files whose name ends in .jar.' }]);
    expect(uploadsSeen().filter((p) => p.includes('/session-')).length).toBe(2);
  });

  it('refuse an oversized jar: by its Content-Length before anything is sent, and by counting when there is none', async () => {
    process.env.FLINK_DASHBOARD_MAX_JAR_BYTES = '64KiB';
    try {
      const before = uploadsSeen().length;
      const big = testJar('com.example.Big', { padding: 200 * 1024 });
      const declared = await upload('session', 'big.jar', big);
      expect(declared.status).toBe(422);
      expect(declared.body.error.message).toMatch(/big\.jar is 200\.\d KiB, more than the 64 KiB this dashboard accepts/);
      expect(uploadsSeen().length).toBe(before);

      const stream = new ReadableStream<Uint8Array>({
        start(c) {
          for (let i = 0; i < big.length; i += 16 * 1024) c.enqueue(new Uint8Array(big.subarray(i, i + 16 * 1024)));
          c.close();
        },
      });
      const counted = await upload('session', 'big.jar', stream);
      expect(counted.status).toBe(422);
      expect(counted.body.error.message).toContain('big.jar is larger than the 64 KiB this dashboard accepts');
      // The upstream request was aborted mid-body: Flink kept nothing.
      expect((await list('session')).body.jars.map((j: { id: string }) => j.id)).toEqual([jarId]);
    } finally {
      delete process.env.FLINK_DASHBOARD_MAX_JAR_BYTES;
    }
  });

  it('refuse bad run input with the one error shape, and run nothing', async () => {
    const cases: [unknown, string][] = [
      [{ jobId: hex32(), parallelism: 0 }, 'parallelism'],
      [{ jobId: hex32(), parallelism: -2 }, 'parallelism'],
      [{ jobId: hex32(), parallelism: 'two' }, 'parallelism'],
      [{ jobId: hex32(), parallelism: 1.5 }, 'parallelism'],
      [{ jobId: 'not-a-job-id' }, 'jobId'],
      [{}, 'jobId'],
      [{ jobId: hex32(), savepointPath: '/tmp/savepoint-1' }, 'savepointPath'],
      [{ jobId: hex32(), entryClass: 'not a class' }, 'entryClass'],
      [{ jobId: hex32(), programArgs: 'one two' }, 'programArgs'],
    ];
    for (const [body, path] of cases) {
      const res = await run('session', jarId, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.error.code).toBe('invalid_input');
      expect(res.body.error.issues.map((i: { path: string }) => i.path)).toContain(path);
    }
    const malformed = await call(runRoute.POST, 'POST', `${base('session')}/x/run`, { jobId: hex32() }, { namespace: ns, id: 'session', jarId: '../config' });
    expect(malformed.status).toBe(422);
    expect(malformed.body.error.issues[0].path).toBe('jarId');
    const notJson = await runRoute.POST(new Request(`http://dashboard.test${base('session')}/${jarId}/run`, { method: 'POST', body: '{' }), {
      params: Promise.resolve({ namespace: ns, id: 'session', jarId }),
    });
    expect(notJson.status).toBe(400);
    const unknown = await run('session', `${crypto.randomUUID()}_gone.jar`, { jobId: hex32() });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/^There is no jar [0-9a-f-]{36}_gone\.jar on the JobManager of cluster session\./);
    expect(await flinkJobs('session')).toEqual([]);
  });

  it("show Flink's error for a wrong entry class: a plain line, the whole text on request", async () => {
    const res = await run('session', jarId, { jobId: hex32(), entryClass: 'com.example.Missing' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe("The program's entry point class 'com.example.Missing' was not found in the jar file.");
    expect(res.body.error.detail).toContain('org.apache.flink.client.program.ProgramInvocationException');
    expect(await flinkJobs('session')).toEqual([]);
  });

  it('run a jar with args and parallelism 2 once, even when the run is sent twice', async () => {
    const jobId = hex32();
    const body = { jobId, programArgs: ['--input', 'a b'], parallelism: 2 };
    const [first, second] = await Promise.all([run('session', jarId, body), run('session', jarId, body)]);
    const statuses = [first.status, second.status].sort();
    expect(statuses).toEqual([201, 409]);
    const refused = first.status === 409 ? first : second;
    expect(refused.body.error).toMatchObject({ code: 'conflict', details: { alreadySubmitted: true, jobId } });
    expect(refused.body.error.message).toContain('already submitted');
    expect((await flinkJobs('session')).filter((j) => j.jid === jobId)).toHaveLength(1);
    expect(await flinkJobs('session')).toHaveLength(1);
    await expect.poll(async () => (await flinkJobs('session'))[0].state, { timeout: 60_000 }).toBe('RUNNING');
  });

  it('delete a jar once; a second delete is 404', async () => {
    expect((await remove('session', jarId)).status).toBe(204);
    expect((await list('session')).body.jars).toEqual([]);
    const again = await remove('session', jarId);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('not_found');
  });

  it("show Flink's error for a jar whose main builds no job", async () => {
    const up = await upload('session', 'print-only.jar', Buffer.from(printOnlyJar()));
    expect(up.status, up.text).toBe(201);
    const noJobId = hex32();
    const res = await run('session', up.body.id, { jobId: noJobId });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('No jobs included in application.');
    expect(res.body.error.detail).toContain('RestHandlerException: No jobs included in application.');
    expect((await flinkJobs('session')).map((j) => j.jid)).not.toContain(noJobId);
    expect((await remove('session', up.body.id)).status).toBe(204);
  });
});

describe('jar routes on clusters that take no jars', { timeout: 120_000 }, () => {
  it('a cluster that does not exist is 404 for every route', async () => {
    const jarId = `${crypto.randomUUID()}_x.jar`;
    for (const res of [
      await list('nothing'),
      await upload('nothing', 'x.jar', testJar('com.example.X')),
      await run('nothing', jarId, { jobId: hex32() }),
      await remove('nothing', jarId),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error).toEqual({ code: 'not_found', message: `There is no Flink cluster nothing in namespace ${ns}.` });
    }
  });

  it('a cluster whose REST API is not up yet is 503 with a plain message', async () => {
    await h.sim.request('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, jobManagerDeployment({ clusterId: 'typo', namespace: ns, image: 'flink:1.20.99' }));
    const before = uploadsSeen().length;
    for (const res of [await list('typo'), await upload('typo', 'x.jar', testJar('com.example.X')), await run('typo', `${crypto.randomUUID()}_x.jar`, { jobId: hex32() })]) {
      expect(res.status).toBe(503);
      expect(res.body.error).toEqual({ code: 'unavailable', message: `The JobManager's REST API is not up yet: cluster "typo" has no running JobManager pod in namespace "${ns}".` });
    }
    expect(uploadsSeen().length).toBe(before);
  });

  it('an application cluster: no uploads, with the reason, and nothing reaches Flink', async () => {
    await waitForRest('app');
    const listed = await list('app');
    expect(listed.body).toMatchObject({ uploads: false, reason: 'application', jars: [] });
    expect(listed.body.message).toBe('app is an application cluster: it runs the one application it was started with, and Flink offers no jar upload on it. Upload jars to a session cluster.');
    const before = uploadsSeen().length;
    const res = await upload('app', 'x.jar', testJar('com.example.X'));
    expect(res.status).toBe(409);
    expect(uploadsSeen().length).toBe(before);
    const ran = await run('app', `${crypto.randomUUID()}_x.jar`, { jobId: hex32() });
    expect(ran.status).toBe(409);
  });

  it('web submission turned off: no uploads, with the reason, and nothing reaches Flink', async () => {
    await waitForRest('nosubmit');
    const listed = await list('nosubmit');
    expect(listed.body).toMatchObject({ uploads: false, reason: 'web-submit-disabled', jars: [] });
    expect(listed.body.message).toContain('web.submit.enable: false');
    const before = uploadsSeen().length;
    const res = await upload('nosubmit', 'x.jar', testJar('com.example.X'));
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe(listed.body.message);
    expect(uploadsSeen().length).toBe(before);
  });
});

describe('jar routes on an HA cluster with 2 JobManagers', { timeout: 150_000 }, () => {
  /** The pod the HA ConfigMap names as the REST leader. */
  async function leaderPod(): Promise<string | undefined> {
    const cm = (await h.sim.request('GET', `/api/v1/namespaces/${ns}/configmaps/ha-cluster-config-map`).catch(() => undefined)) as { data?: Record<string, string> } | undefined;
    const entry = cm?.data?.['org.apache.flink.k8s.leader.restserver'];
    if (!entry) return undefined;
    const ip = new URL(entry.slice(entry.indexOf(',') + 1)).hostname;
    const pods = (await h.sim.request('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=app%3Dha,component%3Djobmanager`)) as {
      items: { metadata: { name: string }; status?: { podIP?: string; phase?: string } }[];
    };
    return pods.items.find((p) => p.status?.podIP === ip && p.status.phase === 'Running')?.metadata.name;
  }

  it('upload, list and run go to the leader, whichever pod the Service would pick', async () => {
    await expect.poll(async () => {
      const pods = (await h.sim.request('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=app%3Dha,component%3Djobmanager`)) as { items: { status?: { phase?: string } }[] };
      return pods.items.filter((p) => p.status?.phase === 'Running').length;
    }, { timeout: 90_000 }).toBe(2);
    const leader = await expect.poll(leaderPod, { timeout: 60_000 }).toBeTruthy().then(leaderPod);
    await waitForRest('ha');
    const before = uploadsSeen().length;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await upload('ha', `ha-${i}.jar`, testJar('com.example.HaJob'));
      expect(res.status, res.text).toBe(201);
      ids.push(res.body.id);
    }
    expect(uploadsSeen().slice(before)).toEqual(Array(3).fill(`/api/v1/namespaces/${ns}/pods/${leader}:8081/proxy/jars/upload`));
    expect((await list('ha')).body.jars.map((j: { id: string }) => j.id).sort()).toEqual([...ids].sort());
    const jobId = hex32();
    const ran = await run('ha', ids[0], { jobId, parallelism: 1 });
    expect(ran.status, ran.text).toBe(201);
    expect(ran.body).toEqual({ jobId });
    await expect.poll(async () => (await flinkJobs('ha')).map((j) => j.jid), { timeout: 30_000 }).toEqual([jobId]);
  });
});
