import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSim, stopProcess } from '@/e2e/support/processes';
import { SimClient } from '@/e2e/support/sim-client';
import type { ClusterObject } from '@/lib/flink/cluster-detail-objects';
import { failoversFromObjects, leadershipFromObjects } from '@/components/ha/leadership-from-objects';
import { deriveTimeline, toTimelineEntry } from '@/lib/flink/ha/failover-timeline';

vi.mock('server-only', () => ({}));

// Test failover against a simulated cluster this file starts: an HA session cluster with two
// JobManagers (a short lease so the failover takes seconds), then the route deletes the leader.
const failoverRoute = await import('./route');
const detailRoute = await import('../route');
const createRoute = await import('../../../route');

type Ctx = { params: Promise<{ namespace: string; id: string }> };
let dataDir: string;
let simProcess: ChildProcess;
let sim: SimClient;
const ns = `failover-${Date.now().toString(36)}`;
const id = 'ha';

function request(suffix: string, init?: RequestInit, context?: string): [Request, Ctx] {
  const q = context ? `?context=${context}` : '';
  return [new Request(`http://dashboard.test/api/clusters/${ns}/${id}${suffix}${q}`, init), { params: Promise.resolve({ namespace: ns, id }) }];
}
async function leadership() {
  const res = await detailRoute.GET(...request(''));
  const { items } = (await res.json()) as { items: ClusterObject[] };
  const l = leadershipFromObjects(items, id, Date.now());
  return l?.ha === 'on' ? l : undefined;
}
async function leaderAndStandby(): Promise<{ leader: string; standby: string } | undefined> {
  const l = await leadership();
  if (!l?.leading || !l.leaderPod || l.standbys.length !== 1) return undefined;
  return { leader: l.leaderPod.name, standby: l.standbys[0].name };
}
function post(body: unknown, context?: string) {
  return failoverRoute.POST(...request('/failover', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, context));
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'flink-dash-failover-'));
  const started = await startSim(path.join(dataDir, 'sim'));
  simProcess = started.child;
  sim = new SimClient(started.info.url, started.info.kubeconfig);
  await sim.createNamespace(ns);
  process.env.FLINK_DASHBOARD_KUBECONFIG = started.info.kubeconfig;
  const created = await createRoute.POST(
    new Request('http://dashboard.test/api/clusters', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        clusterId: id,
        namespace: ns,
        jobManager: { replicas: 2 },
        ha: { enabled: true, storageDir: 's3://flink/ha', leaseDuration: '3 s', renewDeadline: '3 s', retryPeriod: '1 s' },
      }),
    }),
    {},
  );
  expect(created.status).toBe(201);
}, 180_000);

afterAll(async () => {
  await stopProcess(simProcess);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('POST /api/clusters/:namespace/:id/failover', () => {
  it('a user who may not delete pods is told so, and nothing is deleted', async () => {
    const review = await failoverRoute.GET(...request('/failover', undefined, 'sim-viewer'));
    expect(await review.json()).toEqual({ allowed: false, reason: `You may not delete pods in namespace ${ns}, and Test failover deletes the leader JobManager pod.` });
    const res = await post({}, 'sim-viewer');
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
  });

  it('deletes the leader pod; the standby becomes the leader', async () => {
    await expect.poll(leaderAndStandby, { timeout: 90_000, interval: 500 }).toBeDefined();
    const before = (await leaderAndStandby())!;
    expect(await (await failoverRoute.GET(...request('/failover'))).json()).toEqual({ allowed: true });

    // A stale view (another pod named as leader) deletes nothing.
    const stale = await post({ pod: before.standby });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { error: { message: string } }).error.message).toBe(
      `The leader is ${before.leader} now, not ${before.standby}: nothing was deleted. Look again and retry.`,
    );
    const bad = await post({ pod: 'Not A Pod' });
    expect(bad.status).toBe(422);

    const res = await post({ pod: before.leader });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ deletedPod: before.leader, recorded: true });
    await expect
      .poll(async () => {
        const l = await leadership();
        return l?.leading ? l.leaderPod?.name : undefined;
      }, { timeout: 60_000, interval: 250 })
      .toBe(before.standby);

    // The failover is kept in Kubernetes (an Event on the Deployment), with its recovery time.
    const items = ((await (await detailRoute.GET(...request(''))).json()) as { items: ClusterObject[] }).items;
    const failovers = failoversFromObjects(items, leadershipFromObjects(items, id, Date.now()));
    expect(failovers).toEqual([
      expect.objectContaining({ deletedPod: before.leader, recovery: expect.objectContaining({ newLeaderPod: before.standby, ms: expect.any(Number) }) }),
    ]);
    // The old leader released the lease, so the standby took it within a retry period or so, not a lease duration.
    expect(failovers[0].recovery!.ms).toBeGreaterThan(0);
    expect(failovers[0].recovery!.ms).toBeLessThan(3_000);
    const events = (await sim.request('GET', `/api/v1/namespaces/${ns}/events?fieldSelector=reason%3DTestFailover`)) as { items: { reportingComponent?: string; involvedObject: { kind: string; name: string } }[] };
    expect(events.items.map((e) => [e.reportingComponent, e.involvedObject.kind, e.involvedObject.name])).toEqual([['flink-native-dashboard', 'Deployment', id]]);

    // With no page open, Test failover keeps the timeline's recorder running: the loss of the leader
    // pod, the new leader and the recovery are written as Events on the Deployment.
    const timelineFacts = async () => {
      const list = (await sim.request('GET', `/api/v1/namespaces/${ns}/events?fieldSelector=involvedObject.name%3D${id}`)) as { items: unknown[] };
      return list.items.flatMap((e) => toTimelineEntry(e, id)?.fact ?? []);
    };
    await expect.poll(async () => (await timelineFacts()).map((f) => f.type).sort(), { timeout: 60_000, interval: 500 }).toEqual(
      expect.arrayContaining(['FailoverRecovered', 'JobManagerLost', 'LeaderChanged', 'TestFailover']),
    );
    const facts = await timelineFacts();
    // (The recorder starts with the delete, so whether it saw the old holder first is a race: not asserted.)
    expect(facts).toContainEqual(expect.objectContaining({ type: 'JobManagerLost', pod: before.leader, how: 'deleted' }));
    expect(facts).toContainEqual(expect.objectContaining({ type: 'LeaderChanged', leaderPod: before.standby }));
    const [failover] = deriveTimeline(facts).failovers;
    expect(failover).toMatchObject({ cause: `Test failover deleted ${before.leader}`, newLeader: { pod: before.standby } });
    expect(facts.find((f) => f.type === 'FailoverRecovered')).toMatchObject({ toLeaderMs: failover.newLeader!.ms, newLeaderPod: before.standby });
  }, 180_000);
});
