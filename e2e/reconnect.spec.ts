import { expect, saveScreenshot, test } from './fixtures';
import { jobManagerDeployment } from './support/flink-deployment';
import { kubectl } from './support/kubectl';
import { startPrivateStack, type PrivateStack } from './support/private-stack';

// This test takes its API server down, so it gets a sim and an app server of its own.
let stack: PrivateStack;
test.beforeAll(async () => {
  test.setTimeout(180_000);
  stack = await startPrivateStack();
});
test.afterAll(async () => {
  await stack?.stop();
});

test('when the API server restarts the list says Reconnecting, then recovers by itself', async ({ page, uniqueName }) => {
  const namespace = uniqueName('reconnect');
  await kubectl(['create', 'namespace', namespace], undefined, stack.kubeconfig);
  const before = uniqueName('before');
  await kubectl(['create', '-f', '-'], JSON.stringify(jobManagerDeployment({ clusterId: before, namespace })), stack.kubeconfig);
  await page.goto(`${stack.baseURL}/clusters?namespace=${namespace}`);
  await expect(page.getByRole('row', { name: new RegExp(before) })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();

  await stack.sim.request('POST', '/_sim/apiserver/restart', { downMs: 6000 });
  await expect(page.getByRole('status').filter({ hasText: 'Reconnecting…' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Connection to the cluster lost' })).toContainText(
    'Cannot reach the API server',
  );
  await saveScreenshot(page, 'reconnecting');

  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible({ timeout: 90_000 });
  const after = uniqueName('after');
  await kubectl(['create', '-f', '-'], JSON.stringify(jobManagerDeployment({ clusterId: after, namespace })), stack.kubeconfig);
  await expect(page.getByRole('row', { name: new RegExp(after) })).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(before) })).toBeVisible();
  await saveScreenshot(page, 'recovered');
});
