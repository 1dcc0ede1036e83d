import { expect, saveScreenshot, test } from '../fixtures';
import { jobManagerDeployment } from '../support/flink-deployment';
import { kubectl, simControl } from '../support/kubectl';

// Runs alone (project "disruptive", after the others): it takes the API server down for everyone.
test('when the API server restarts the list says Reconnecting, then recovers by itself', async ({
  page,
  namespace,
  uniqueName,
}) => {
  const before = uniqueName('before');
  await kubectl(['create', '-f', '-'], JSON.stringify(jobManagerDeployment({ clusterId: before, namespace })));
  await page.goto(`/clusters?namespace=${namespace}`);
  await expect(page.getByRole('row', { name: new RegExp(before) })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();

  await simControl('/_sim/apiserver/restart', { downMs: 6000 });
  await expect(page.getByRole('status').filter({ hasText: 'Reconnecting…' })).toBeVisible();
  await saveScreenshot(page, 'reconnecting');

  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible({ timeout: 60_000 });
  const after = uniqueName('after');
  await kubectl(['create', '-f', '-'], JSON.stringify(jobManagerDeployment({ clusterId: after, namespace })));
  await expect(page.getByRole('row', { name: new RegExp(after) })).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(before) })).toBeVisible();
  await saveScreenshot(page, 'recovered');
});
