import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSim, stopProcess } from '@/e2e/support/processes';
import { SimClient } from '@/e2e/support/sim-client';
import { SseReader, type SseFrame } from '@/e2e/support/sse-reader';
import type { JobsList, JobView, OperationStatus } from '@/lib/jobs/job-views';

vi.mock('server-only', () => ({}));

// The job routes called directly, against application clusters running the image's
// StateMachineExample in a simulated cluster this file starts.
const createRoute = await import('../../../route');
const watchRoute = await import('./watch/route');
const cancelRoute = await import('./[jobId]/cancel/route');
const stopRoute = await import('./[jobId]/stop/route');
const savepointsRoute = await import('./[jobId]/savepoints/route');
const savepointStatusRoute = await import('./[jobId]/savepoints/[triggerId]/route');
const checkpointsRoute = await import('./[jobId]/checkpoints/route');
const checkpointStatusRoute = await import('./[jobId]/checkpoints/[triggerId]/route');
const flinkUiRoute = await import('../flink-ui/[[...path]]/route');
const { jobPollers } = await import('@/lib/jobs/job-stream');

let dataDir: string;
let simProcess: ChildProcess;
let sim: SimClient;
const ns = `jobs-${Date.now().toString(36)}`;

type Params = Record<string, string | string[]>;
type Handler = (req: Request, ctx: { params: Promise<never> }) => Promise<Response>;

async function call(handler: unknown, method: string, url: string, params: Params, body?: string, signal?: AbortSignal) {
  const res = await (handler as Handler)(
    new Request(`http://dashboard.test${url}`, { method, body, signal, headers: body === undefined ? {} : { 'content-type': 'application/json' } }),
    { params: Promise.resolve(params as never) },
  );
  return res;
}
async function json(handler: unknown, method: string, url: string, params: Params, body?: unknown) {
  const res = await call(handler, method, url, params, body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked with expect()
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any };
}

async function createAppCluster(clusterId: string, extraConfig: { key: string; value: string }[] = [], flinkVersion = '1.20') {
  const res = await createRoute.POST(
    new Request('http://dashboard.test/api/clusters', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        clusterId,
        namespace: ns,
        flinkVersion,
        mode: 'application',
        application: { jarUri: 'local:///opt/flink/examples/streaming/StateMachineExample.jar', parallelism: 1 },
        // the cluster stays after its job ends, so the job's end state can be read
        flinkConfig: [{ key: 'execution.shutdown-on-application-finish', value: 'false' }, ...extraConfig],
      }),
    }),
    {},
  );
  expect(res.status).toBe(201);
}

function openStream(clusterId: string, jobId?: string) {
  const abort = new AbortController();
  const query = jobId ? `?job=${jobId}` : '';
  const res = call(watchRoute.GET, 'GET', `/api/clusters/${ns}/${clusterId}/jobs/watch${query}`, { namespace: ns, id: clusterId }, undefined, abort.signal);
  return { abort, res };
}

const jobsWith = (pred: (l: JobsList) => boolean) => (f: SseFrame) => f.event === 'jobs' && pred(f.data as JobsList);
const jobWith = (pred: (v: JobView) => boolean) => (f: SseFrame) => f.event === 'job' && pred(f.data as JobView);

async function runningJob(clusterId: string): Promise<string> {
  const { abort, res } = openStream(clusterId);
  const stream = new SseReader((await res).body!);
  const frame = await stream.next(jobsWith((l) => l.reachable && l.jobs.some((j) => j.state === 'RUNNING')), 120_000);
  abort.abort();
  return (frame.data as Extract<JobsList, { reachable: true }>).jobs[0].id;
}

async function followOperation(route: unknown, kind: 'savepoints' | 'checkpoints', clusterId: string, jobId: string, triggerId: string): Promise<OperationStatus> {
  let last: OperationStatus = { status: 'IN_PROGRESS' };
  await expect
    .poll(
      async () => {
        const r = await json(route, 'GET', `/api/clusters/${ns}/${clusterId}/jobs/${jobId}/${kind}/${triggerId}`, { namespace: ns, id: clusterId, jobId, triggerId });
        expect(r.status).toBe(200);
        last = r.body as OperationStatus;
        return last.status;
      },
      { timeout: 30_000, interval: 200 },
    )
    .not.toBe('IN_PROGRESS');
  return last;
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'flink-dash-jobs-'));
  const started = await startSim(path.join(dataDir, 'sim'));
  simProcess = started.child;
  sim = new SimClient(started.info.url, started.info.kubeconfig);
  await sim.createNamespace(ns);
  process.env.FLINK_DASHBOARD_KUBECONFIG = started.info.kubeconfig;
  await Promise.all([createAppCluster('app-a'), createAppCluster('app-b'), createAppCluster('app-2x', [], '2.2')]);
});

afterAll(async () => {
  await stopProcess(simProcess);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('job routes', { timeout: 180_000 }, () => {
  it('stream the job list and the open job from one poller, which stops when the streams end', async () => {
    const jobId = await runningJob('app-a');
    expect(jobId).toMatch(/^[0-9a-f]{32}$/);

    const page = openStream('app-a', jobId);
    const table = openStream('app-a');
    const pageStream = new SseReader((await page.res).body!);
    const tableStream = new SseReader((await table.res).body!);
    expect(jobPollers.size).toBe(1);
    const view = (await pageStream.next(jobWith((v) => v.found && v.job.vertices.every((x) => x.status === 'RUNNING')))).data as Extract<JobView, { found: true }>;
    expect(view.job).toMatchObject({ id: jobId, name: 'State machine job', state: 'RUNNING', restarts: 0 });
    expect(view.job.vertices.map((v) => v.parallelism)).toEqual([1, 1]);
    expect(view.job.timeline.map((t) => t.state)).toEqual(expect.arrayContaining(['INITIALIZING', 'CREATED', 'RUNNING']));
    expect(view.job.checkpoints?.counts).toBeDefined();
    await tableStream.next(jobsWith((l) => l.reachable && l.jobs[0]?.id === jobId));
    // the table's stream gets no job details
    await expect(tableStream.next((f) => f.event === 'job', 1500)).rejects.toThrow(/no matching SSE frame/);

    page.abort.abort();
    table.abort.abort();
    await expect.poll(() => jobPollers.size, { timeout: 5_000, interval: 50 }).toBe(0);
  });

  it('trigger a savepoint and a full checkpoint, followed to completion', async () => {
    const jobId = await runningJob('app-a');
    const params = { namespace: ns, id: 'app-a', jobId };
    const base = `/api/clusters/${ns}/app-a/jobs/${jobId}`;
    const sp = await json(savepointsRoute.POST, 'POST', `${base}/savepoints`, params, { targetDirectory: 'file:///flink/savepoints', formatType: 'NATIVE' });
    expect(sp.status).toBe(202);
    expect(sp.body.triggerId).toMatch(/^[0-9a-f]{32}$/);
    const done = await followOperation(savepointStatusRoute.GET, 'savepoints', 'app-a', jobId, sp.body.triggerId);
    expect(done).toEqual({ status: 'COMPLETED', location: expect.stringMatching(/^file:\/+flink\/savepoints\/savepoint-/) });

    const cp = await json(checkpointsRoute.POST, 'POST', `${base}/checkpoints`, params, { checkpointType: 'FULL' });
    expect(cp.status).toBe(202);
    const cpDone = await followOperation(checkpointStatusRoute.GET, 'checkpoints', 'app-a', jobId, cp.body.triggerId);
    expect(cpDone).toEqual({ status: 'COMPLETED', checkpointId: expect.any(Number) });

    // The job page shows the savepoint as the latest one.
    const page = openStream('app-a', jobId);
    const stream = new SseReader((await page.res).body!);
    const view = (await stream.next(jobWith((v) => v.found && (v.job.checkpoints?.counts.completed ?? 0) >= 2))).data as Extract<JobView, { found: true }>;
    expect(view.job.checkpoints!.latestSavepoint).toMatchObject({ path: (done as { location: string }).location, savepoint: true, status: 'COMPLETED' });
    expect(view.job.checkpoints!.latestCompleted).toMatchObject({ id: (cpDone as { checkpointId: number }).checkpointId, savepoint: false });
    page.abort.abort();
  });

  it('stop with a savepoint (drain) ends the job FINISHED with the savepoint path', async () => {
    const jobId = await runningJob('app-a');
    const params = { namespace: ns, id: 'app-a', jobId };
    const page = openStream('app-a', jobId);
    const stream = new SseReader((await page.res).body!);
    const stop = await json(stopRoute.POST, 'POST', `/api/clusters/${ns}/app-a/jobs/${jobId}/stop`, params, { targetDirectory: 's3://bucket/savepoints', drain: true });
    expect(stop.status).toBe(202);
    const done = await followOperation(savepointStatusRoute.GET, 'savepoints', 'app-a', jobId, stop.body.triggerId);
    expect(done).toEqual({ status: 'COMPLETED', location: expect.stringMatching(/^s3:\/\/bucket\/savepoints\/savepoint-/) });
    const finished = (await stream.next(jobWith((v) => v.found && v.job.state === 'FINISHED'))).data as Extract<JobView, { found: true }>;
    expect(finished.job.timeline.at(-1)?.state).toBe('FINISHED');
    page.abort.abort();

    // an ended job cannot be cancelled
    const again = await json(cancelRoute.POST, 'POST', `/api/clusters/${ns}/app-a/jobs/${jobId}/cancel`, params);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe(`Job ${jobId} has already ended (FINISHED); there is nothing to cancel.`);
  });

  it('cancel ends the job CANCELED, seen in the stream', async () => {
    const jobId = await runningJob('app-b');
    const params = { namespace: ns, id: 'app-b', jobId };
    const page = openStream('app-b', jobId);
    const stream = new SseReader((await page.res).body!);
    const res = await json(cancelRoute.POST, 'POST', `/api/clusters/${ns}/app-b/jobs/${jobId}/cancel`, params);
    expect(res).toEqual({ status: 202, body: { accepted: true } });
    await stream.next(jobWith((v) => v.found && v.job.state === 'CANCELED'));
    page.abort.abort();
  });

  it('on Flink 2.2: the job page reads the 2.x answers; an incremental checkpoint completes; a savepoint without a directory is Flink\'s refusal in one line', async () => {
    const jobId = await runningJob('app-2x');
    const params = { namespace: ns, id: 'app-2x', jobId };
    const page = openStream('app-2x', jobId);
    const stream = new SseReader((await page.res).body!);
    const view = (await stream.next(jobWith((v) => v.found && v.job.vertices.every((x) => x.status === 'RUNNING')))).data as Extract<JobView, { found: true }>;
    expect(view.job).toMatchObject({ state: 'RUNNING', jobType: 'STREAMING', restarts: 0, exceptions: [] });
    expect(view.job.checkpoints?.counts.total).toBe(0);
    page.abort.abort();

    const cp = await json(checkpointsRoute.POST, 'POST', `/x`, params, { checkpointType: 'INCREMENTAL' });
    expect(cp.status).toBe(202);
    expect(await followOperation(checkpointStatusRoute.GET, 'checkpoints', 'app-2x', jobId, cp.body.triggerId)).toEqual({ status: 'COMPLETED', checkpointId: expect.any(Number) });

    const noDir = await json(savepointsRoute.POST, 'POST', `/x`, params, {});
    expect(noDir.status).toBe(400);
    expect(noDir.body.error.message).toBe('Flink refused the request: Config key [execution.checkpointing.savepoint-dir] is not set. Property [target-directory] must be provided.');
  });

  it('bad input: a clear error in the one shape, and nothing changes', async () => {
    const jobId = 'f'.repeat(32);
    const p = (id: string, j: string) => ({ namespace: ns, id, jobId: j });
    const notHex = await json(savepointsRoute.POST, 'POST', `/x`, p('app-b', 'not-a-job'), {});
    expect(notHex.status).toBe(422);
    expect(notHex.body.error).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('32 hexadecimal digits') });

    const noScheme = await json(savepointsRoute.POST, 'POST', `/x`, p('app-b', jobId), { targetDirectory: '/tmp/savepoints' });
    expect(noScheme.status).toBe(422);
    expect(noScheme.body.error.issues).toEqual([{ path: 'targetDirectory', message: expect.stringContaining('must be a URI with a scheme') }]);

    const badJson = await json(stopRoute.POST, 'POST', `/x`, p('app-b', jobId), '{"drain": tru');
    expect(badJson.status).toBe(400);
    expect(badJson.body.error.message).toBe('The request body is not valid JSON.');

    const badFormat = await json(savepointsRoute.POST, 'POST', `/x`, p('app-b', jobId), { formatType: 'BINARY' });
    expect(badFormat.status).toBe(422);

    const badType = await json(checkpointsRoute.POST, 'POST', `/x`, p('app-b', jobId), { checkpointType: 'DIFFERENTIAL' });
    expect(badType.status).toBe(422);

    const unknownJob = await json(cancelRoute.POST, 'POST', `/x`, p('app-b', jobId));
    expect(unknownJob.status).toBe(404);
    expect(unknownJob.body.error.message).toBe(`There is no job ${jobId} on cluster app-b in namespace ${ns}.`);

    const unknownSavepointJob = await json(savepointsRoute.POST, 'POST', `/x`, p('app-b', jobId), { targetDirectory: 'file:///sp' });
    expect(unknownSavepointJob.status).toBe(404);

    const unknownTrigger = await json(savepointStatusRoute.GET, 'GET', `/x`, { ...p('app-b', jobId), triggerId: 'e'.repeat(32) });
    expect(unknownTrigger.status).toBe(404);
    expect(unknownTrigger.body.error.message).toContain('There is no savepoint operation');

    const noCluster = await json(cancelRoute.POST, 'POST', `/x`, p('nowhere', jobId));
    expect(noCluster.status).toBe(404);
    expect(noCluster.body.error.message).toBe(`There is no Flink cluster nowhere in namespace ${ns} (its REST Service nowhere-rest does not exist).`);

    const badCluster = await json(cancelRoute.POST, 'POST', `/x`, p('Bad_Id', jobId));
    expect(badCluster.status).toBe(422);

    const badWatch = await json(watchRoute.GET, 'GET', `/x?job=zz`, { namespace: ns, id: 'app-b' });
    expect(badWatch.status).toBe(422);
  });

  it('a cluster whose REST API is not up yet answers 503 with a plain message', async () => {
    const res = await createRoute.POST(
      new Request('http://dashboard.test/api/clusters', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ clusterId: 'typo', namespace: ns, image: 'flink:1.20.99' }),
      }),
      {},
    );
    expect(res.status).toBe(201);
    const r = await json(cancelRoute.POST, 'POST', `/x`, { namespace: ns, id: 'typo', jobId: 'a'.repeat(32) });
    expect(r.status).toBe(503);
    expect(r.body.error.message).toMatch(/^The REST API of cluster typo in namespace .* is not up yet: /);
  });

  it('serve the Flink web UI through the API server proxy, its relative links included', async () => {
    const params = (p: string[]) => ({ namespace: ns, id: 'app-b', path: p });
    await expect.poll(async () => (await call(flinkUiRoute.GET, 'GET', `/x`, params(['config']))).status, { timeout: 90_000, interval: 250 }).toBe(200);
    const root = await call(flinkUiRoute.GET, 'GET', `/api/clusters/${ns}/app-b/flink-ui`, params([]));
    expect(root.status).toBe(307);
    expect(root.headers.get('location')).toBe(`/api/clusters/${ns}/app-b/flink-ui/index.html`);

    const index = await call(flinkUiRoute.GET, 'GET', `/api/clusters/${ns}/app-b/flink-ui/index.html`, params(['index.html']));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('text/html');
    expect(index.headers.get('content-security-policy')).toContain('sandbox');
    const html = await index.text();
    expect(html).toContain('href="styles.css"');
    expect(html).toContain('src="main.js"');

    const css = await call(flinkUiRoute.GET, 'GET', `/x`, params(['styles.css']));
    expect(css.headers.get('content-type')).toContain('text/css');
    const config = await call(flinkUiRoute.GET, 'GET', `/x`, params(['config']));
    expect(((await config.json()) as { 'flink-version': string })['flink-version']).toMatch(/^1\.20/);

    // A kubeconfig context other than the current one rides in the path, so relative links keep it.
    const { getConnection } = await import('@/lib/k8s/kubeconfig');
    const withContext = await call(flinkUiRoute.GET, 'GET', `/x`, params([`@${getConnection().context}`, 'styles.css']));
    expect(withContext.status).toBe(200);
    expect(withContext.headers.get('content-type')).toContain('text/css');
    const ctxRoot = await call(flinkUiRoute.GET, 'GET', `/api/clusters/${ns}/app-b/flink-ui/@ctx`, params(['@ctx']));
    expect(ctxRoot.headers.get('location')).toBe(`/api/clusters/${ns}/app-b/flink-ui/@ctx/index.html`);
    const noContext = await json(flinkUiRoute.GET, 'GET', `/x`, params(['@no-such-context', 'index.html']));
    expect(noContext.status).toBe(404);
    expect(noContext.body.error.message).toContain('no-such-context');

    const up = await call(flinkUiRoute.GET, 'GET', `/x`, params(['..', 'config']));
    expect(up.status).toBe(400);
    const none = await json(flinkUiRoute.GET, 'GET', `/x`, { namespace: ns, id: 'nowhere', path: ['index.html'] });
    expect(none.status).toBe(404);
  });
  it('the Flink web UI keeps working when the leading JobManager goes away (HA, 2 JobManagers)', async () => {
    const res = await createRoute.POST(
      new Request('http://dashboard.test/api/clusters', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          clusterId: 'ha',
          namespace: ns,
          jobManager: { replicas: 2 },
          ha: { enabled: true, storageDir: 'file:///flink/ha', leaseDuration: '3 s', renewDeadline: '2 s', retryPeriod: '500 ms' },
        }),
      }),
      {},
    );
    expect(res.status).toBe(201);
    const config = () => call(flinkUiRoute.GET, 'GET', `/x`, { namespace: ns, id: 'ha', path: ['config'] });
    await expect.poll(async () => (await config()).status, { timeout: 90_000, interval: 250 }).toBe(200);

    // The leader, from the HA ConfigMap's REST server address (as Flink's clients find it).
    const cm = (await sim.request('GET', `/api/v1/namespaces/${ns}/configmaps/ha-cluster-config-map`)) as { data: Record<string, string> };
    const address = Object.entries(cm.data).find(([k]) => k.includes('restserver'))?.[1] ?? '';
    const pods = (await sim.request('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=app%3Dha,component%3Djobmanager`)) as { items: { metadata: { name: string }; status: { podIP?: string } }[] };
    expect(pods.items).toHaveLength(2);
    const leader = pods.items.find((p) => p.status.podIP && address.includes(p.status.podIP));
    expect(leader, `leader address ${address}`).toBeDefined();
    await sim.request('DELETE', `/api/v1/namespaces/${ns}/pods/${leader!.metadata.name}?gracePeriodSeconds=0`);

    // The REST Service routes to the JobManager that is left: the UI answers again with no change on our side.
    await expect
      .poll(
        async () => {
          const r = await config();
          return r.status === 200 ? (((await r.json()) as { 'flink-version': string })['flink-version']) : r.status;
        },
        { timeout: 60_000, interval: 250 },
      )
      .toMatch(/^1\.20/);
    // (until the Endpoints drop the deleted pod, the proxy may still pick it now and then)
    await expect.poll(async () => (await call(flinkUiRoute.GET, 'GET', `/x`, { namespace: ns, id: 'ha', path: ['index.html'] })).status, { timeout: 30_000, interval: 250 }).toBe(200);
  });
});
