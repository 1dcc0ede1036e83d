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
