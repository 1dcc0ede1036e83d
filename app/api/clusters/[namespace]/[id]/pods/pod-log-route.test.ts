import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { podsOf, startLogCluster } from '@/app/api/_testing/log-cluster';
import type { Harness } from '@/lib/k8s/clusters/testing/route-harness';

vi.mock('server-only', () => ({}));

// GET /api/clusters/:ns/:id/pods/:pod/log against a sim this file starts: an application cluster
// (StateMachineExample, checkpoints every second, so its JobManager keeps logging), and the refusals.
const logRoute = await import('./[pod]/log/route');

let h: Harness;
let ns: string;
let cid: string;
let jmPod: string;

function get(pod: string, query = '', options: { id?: string; signal?: AbortSignal } = {}): Promise<Response> {
  const id = options.id ?? cid;
  return logRoute.GET(new Request(`http://dashboard.test/api/clusters/${ns}/${id}/pods/${pod}/log${query}`, { signal: options.signal }), {
    params: Promise.resolve({ namespace: ns, id, pod }),
  });
}

async function errorOf(res: Response): Promise<{ status: number; code: string; message: string; issues?: { path: string }[] }> {
  const body = (await res.json()) as { error: { code: string; message: string; issues?: { path: string }[] } };
  return { status: res.status, ...body.error };
}

const pods = (selector: string) => podsOf(h, ns, selector);

/** Reads a streamed body until `until` holds for the text so far (the stream stays open otherwise). */
async function readUntil(body: ReadableStream<Uint8Array>, until: (text: string) => boolean): Promise<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (!until(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel();
  }
  return text;
}

beforeAll(async () => {
  ({ h, ns, cid, jm: jmPod } = await startLogCluster('podlog', {
    mode: 'application',
    application: { jarUri: 'local:///opt/flink/examples/streaming/StateMachineExample.jar', parallelism: 1 },
    flinkConfig: [{ key: 'execution.checkpointing.interval', value: '1s' }],
  }));
}, 120_000);

afterAll(async () => {
  await h?.stop();
});

describe('GET /api/clusters/:ns/:id/pods/:pod/log', () => {
  it('tailLines gives the last N lines of flink-main-container as text', async () => {
    await expect.poll(async () => (await (await get(jmPod)).text()).split('\n').length, { timeout: 30_000 }).toBeGreaterThan(10);
    const res = await get(jmPod, '?tailLines=3');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('cache-control')).toContain('no-transform');
    expect(res.headers.get('x-log-container')).toBe('flink-main-container');
    const lines = (await res.text()).split('\n').filter(Boolean);
    expect(lines).toHaveLength(3);
  });

  it('follow streams new lines as the JobManager writes them (checkpoints every second)', async () => {
    const abort = new AbortController();
    const res = await get(jmPod, '?follow=true&tailLines=1', { signal: abort.signal });
    expect(res.status).toBe(200);
    const seen = new Set<string>();
    const text = await readUntil(res.body!, (t) => {
      for (const m of t.matchAll(/Completed checkpoint (\d+)/g)) seen.add(m[1]);
      return seen.size >= 2;
    });
    abort.abort();
    // Two checkpoints completed while we listened: lines that did not exist when the stream opened.
    expect(seen.size).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/Completed checkpoint \d+ for job/);
  }, 60_000);

  it('download gives the whole log as an attachment, from the first line', async () => {
    const res = await get(jmPod, '?download=1&tailLines=1');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${jmPod}-flink-main-container.log"`);
    const text = await res.text();
    // tailLines is ignored for a download: the log from its start, with the entrypoint's first lines.
    expect(text.split('\n').length).toBeGreaterThan(10);
    expect(text).toContain('Starting KubernetesApplicationClusterEntrypoint');
  });

  it('previous: refused in plain words before a restart, then the killed container’s log after it', async () => {
    const before = await errorOf(await get(jmPod, '?previous=true'));
    expect(before).toMatchObject({ status: 404, message: `Container flink-main-container of pod ${jmPod} has not restarted, so there is no previous log.` });

    await h.sim.request('POST', `/_sim/pods/${ns}/${jmPod}/kill`, { mode: 'kill' });
    await expect
      .poll(async () => (await pods(`app=${cid},component=jobmanager`)).find((p) => p.metadata.name === jmPod)?.status?.containerStatuses?.[0]?.restartCount, {
        timeout: 30_000,
      })
      .toBe(1);
    const res = await get(jmPod, '?previous=true');
    expect(res.status).toBe(200);
    const previous = await res.text();
    expect(previous).toContain('Starting KubernetesApplicationClusterEntrypoint');
    expect(previous).toMatch(/Completed checkpoint \d+/);
  }, 60_000);

  it('a pod that is gone, and a pod that is not this cluster’s, are 404 in plain words', async () => {
    expect(await errorOf(await get(`${cid}-5d8f9c7b6-zzzzz`))).toMatchObject({
      status: 404,
      message: `Pod ${cid}-5d8f9c7b6-zzzzz does not exist in namespace ${ns} (any more): it was deleted or replaced.`,
    });
    await h.sim.request('POST', `/api/v1/namespaces/${ns}/pods`, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'stranger', labels: { app: 'other' } },
      spec: { containers: [{ name: 'main', image: 'busybox', command: ['sleep', 'infinity'] }] },
    });
    expect(await errorOf(await get('stranger'))).toMatchObject({ status: 404, message: `Pod stranger is not a pod of Flink cluster ${cid} in namespace ${ns}.` });
    // The JobManager of this cluster is not a pod of another cluster either.
    expect(await errorOf(await get(jmPod, '', { id: 'other' }))).toMatchObject({ status: 404, message: `Pod ${jmPod} is not a pod of Flink cluster other in namespace ${ns}.` });
  });

  it('a container that never started says why (the API server’s "waiting to start" reason)', async () => {
    await h.sim.request('POST', `/api/v1/namespaces/${ns}/pods`, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `${cid}-taskmanager-9-1`, labels: { app: cid, type: 'flink-native-kubernetes', component: 'taskmanager' } },
      spec: { containers: [{ name: 'flink-main-container', image: 'flink:1.20.99' }] },
    });
    await expect
      .poll(async () => (await pods(`app=${cid},component=taskmanager`)).find((p) => p.metadata.name === `${cid}-taskmanager-9-1`)?.status?.containerStatuses?.[0]?.state?.waiting, {
        timeout: 30_000,
      })
      .toMatchObject({ reason: expect.stringMatching(/^(ErrImagePull|ImagePullBackOff)$/) });
    const err = await errorOf(await get(`${cid}-taskmanager-9-1`));
    expect(err.status).toBe(409);
    expect(err.message).toMatch(
      new RegExp(`^Container flink-main-container of pod ${cid}-taskmanager-9-1 has not started yet \\((image can't be pulled|trying and failing to pull image)\\), so it has no log\\.$`),
    );
  });

  it('a user who may read pods but not their logs gets a 403 naming pods/log', async () => {
    await h.sim.request('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'pods-only' },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }],
    });
    const token = await h.sim.tokenWithoutRights(ns, 'pod-reader');
    await h.sim.request('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'pod-reader' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pods-only' },
      subjects: [{ kind: 'ServiceAccount', name: 'pod-reader', namespace: ns }],
    });
    h.addUsers([{ name: 'pod-reader', token }]);
    expect(await errorOf(await get(jmPod, '?context=pod-reader'))).toEqual({
      status: 403,
      code: 'forbidden',
      message: `You may not read pod logs in namespace ${ns} (it needs get on pods/log).`,
    });
  });

  it('bad input is refused by zod before anything is asked', async () => {
    const bad = await errorOf(await get(jmPod, '?tailLines=ten&container=Main_Container'));
    expect(bad.status).toBe(422);
    expect(bad.issues?.map((i) => i.path).sort()).toEqual(['container', 'tailLines']);
    const missing = await errorOf(await get(jmPod, '?container=sidecar'));
    expect(missing).toMatchObject({ status: 422, message: `Pod ${jmPod} has no container sidecar; it has flink-main-container.` });
    expect(h.proxy).toBeDefined();
  });
});
