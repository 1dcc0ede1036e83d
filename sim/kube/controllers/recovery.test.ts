import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespace, deployment, startTestSim, waitFor, type TestSim } from './testing';

let t: TestSim;
const ns = 'rec';

beforeAll(async () => {
  t = await startTestSim();
  await createNamespace(t.client, ns);
});
afterAll(async () => {
  await t?.stop();
});

describe('recovery', () => {
  it('controllers recover after an API server restart: new pods still get scheduled and started', async () => {
    const res = await fetch(`${t.sim.url}/_sim/apiserver/restart`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${t.sim.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ downMs: 300 }),
    });
    expect(res.status).toBeLessThan(300);
    await waitFor(async () => (await t.client.request('GET', '/version')).status === 200, 'API server back');
    await t.client.create(`/apis/apps/v1/namespaces/${ns}/deployments`, deployment('after', { replicas: 2 }));
    await waitFor(async () => {
      const d = await t.client.get(`/apis/apps/v1/namespaces/${ns}/deployments/after`);
      return d.status?.availableReplicas === 2;
    }, 'deployment available after restart');
    const pods = (await t.client.list(`/api/v1/namespaces/${ns}/pods`, { labelSelector: 'app=after' })).items;
    expect(pods.every((p: any) => p.spec.nodeName && p.status.phase === 'Running')).toBe(true);
  });
});

describe('sim restart (state reloaded)', () => {
  it('pods behave as after a node reboot: Always restarts (restartCount+1), Never ends Failed', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { createSim } = await import('../index');
    const { FAST_TIMING, pod } = await import('./testing');
    const dataDir = await mkdtemp(path.join(tmpdir(), 'sim-reboot-'));
    try {
      let sim = createSim({ port: 0, dataDir, timing: FAST_TIMING });
      await sim.start();
      let c = sim.adminClient();
      await createNamespace(c, 'boot');
      await c.create('/api/v1/namespaces/boot/pods', pod('always', { containers: [{ name: 'main', image: 'busybox:1.36', command: ['sleep', '3600'] }] }));
      await c.create('/api/v1/namespaces/boot/pods', pod('never', { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.36', command: ['sleep', '3600'] }] }));
      for (const n of ['always', 'never']) await waitFor(async () => (await c.get(`/api/v1/namespaces/boot/pods/${n}`)).status.phase === 'Running', `${n} running`);
      await sim.stop();

      sim = createSim({ port: 0, dataDir, timing: FAST_TIMING });
      await sim.start();
      c = sim.adminClient();
      try {
        const always = await waitFor(async () => {
          const p = await c.get('/api/v1/namespaces/boot/pods/always');
          const cs = p.status.containerStatuses[0];
          return cs.restartCount === 1 && cs.state.running && p;
        }, 'always restarted');
        expect(always.status.containerStatuses[0].lastState.terminated).toMatchObject({ exitCode: 255, reason: 'Unknown' });
        const never = await waitFor(async () => {
          const p = await c.get('/api/v1/namespaces/boot/pods/never');
          return p.status.phase === 'Failed' && p;
        }, 'never failed');
        expect(never.status.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 255, reason: 'Unknown' });
      } finally {
        await sim.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
