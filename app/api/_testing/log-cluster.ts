// Test support for the pod log tests (the log route and the log topic of /api/live): a sim the test
// file starts, a namespace of its own, and one Flink cluster in it created through the create route,
// as the dashboard's own credentials, up to its running JobManager.
import { expect, vi } from 'vitest';
import { startHarness, type Harness } from '@/lib/k8s/clusters/testing/route-harness';

export type LogPod = { metadata: { name: string }; status?: { phase?: string; containerStatuses?: { restartCount: number; state?: Record<string, unknown> }[] } };

export type LogCluster = { h: Harness; ns: string; cid: string; jm: string };

/** The pods of `ns` that match the label selector, as the sim has them now. */
export async function podsOf(h: Harness, ns: string, selector: string): Promise<LogPod[]> {
  return ((await h.sim.request('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(selector)}`)) as { items: LogPod[] }).items;
}

/**
 * Starts the sim, makes namespace `<prefix>-<time>` and creates cluster `logs` there with `spec`
 * (the create form's body less clusterId and namespace; the test file mocks server-only before
 * calling this). Answers once its one JobManager pod runs and `ready` (if given) resolves for it,
 * both retried until `timeoutMs`. The caller stops the harness (`h.stop()`); if this fails, it
 * stops it itself.
 */
export async function startLogCluster(
  prefix: string,
  spec: Record<string, unknown>,
  { ready, timeoutMs = 60_000, interval = 500 }: { ready?: (cluster: LogCluster) => Promise<unknown>; timeoutMs?: number; interval?: number } = {},
): Promise<LogCluster> {
  const createRoute = await import('@/app/api/clusters/route');
  const h = await startHarness();
  const ns = `${prefix}-${Date.now().toString(36)}`;
  const cid = 'logs';
  try {
    await h.sim.createNamespace(ns);
    const created = await createRoute.POST(
      new Request('http://dashboard.test/api/clusters', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ clusterId: cid, namespace: ns, ...spec }),
      }),
      {} as never,
    );
    expect(created.status, await created.clone().text()).toBe(201);
    // expect.poll is for tests; vi.waitFor retries until the JobManager runs (and is ready).
    const jm = await vi.waitFor(
      async () => {
        const jms = await podsOf(h, ns, `app=${cid},component=jobmanager`);
        if (jms.length !== 1 || jms[0].status?.phase !== 'Running') throw new Error(`JobManager pods: ${jms.map((p) => p.status?.phase)}`);
        await ready?.({ h, ns, cid, jm: jms[0].metadata.name });
        return jms[0].metadata.name;
      },
      { timeout: timeoutMs, interval },
    );
    return { h, ns, cid, jm };
  } catch (err) {
    // The test file never got the harness: stop it here.
    await h.stop();
    throw err;
  }
}
