import { expect, saveScreenshot, test } from './fixtures';
import { kubectl } from './support/kubectl';

// High availability from the browser: an HA session cluster with two JobManagers made with the form,
// the leader card naming the leader and the standby, and "Test failover" moving the leadership, live.
// The sim runs Flink's real election timings (lease 15 s, retry 5 s, JobManager start-up 10 s).
test.describe.configure({ timeout: 240_000 });

/** The pod whose IP the restserver leader entry of the HA ConfigMap names (what Flink publishes). */
async function leaderPodFromKubernetes(namespace: string, clusterId: string): Promise<string | undefined> {
  const entry = await kubectl(['get', 'configmap', `${clusterId}-cluster-config-map`, '-n', namespace, '-o', 'jsonpath={.data.org\\.apache\\.flink\\.k8s\\.leader\\.restserver}']).catch(() => '');
  const ip = /^[^,]+,http:\/\/([^:]+):/.exec(entry)?.[1];
  if (!ip) return undefined;
  const pods = await kubectl(['get', 'pods', '-n', namespace, '-l', `app=${clusterId},component=jobmanager`, '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.podIP}{"\\n"}{end}']);
  return pods.split('\n').map((l) => l.split(' ')).find(([, podIP]) => podIP === ip)?.[0];
}

test('an HA cluster shows its leader and standby, and Test failover moves the leadership without a reload', async ({ page, namespace, uniqueName }) => {
  const clusterId = uniqueName('ha');
  await page.goto(`/clusters/new?namespace=${namespace}`);
  await expect(page.getByRole('heading', { name: 'New Flink cluster' })).toBeVisible();
  await page.getByLabel('Cluster id').fill(clusterId);
  await page.locator('summary').filter({ hasText: /^JobManagercpu, memory/ }).click();
  await page.getByLabel('JobManager replicas').fill('2');
  await page.locator('summary').filter({ hasText: /^High availability/ }).click();
  await page.getByLabel('Enable Kubernetes high availability').check();
  await page.getByLabel('HA storage directory').fill('s3://flink/ha');
  await expect(page.getByLabel('YAML preview')).toContainText('s3://flink/ha');
  await page.getByRole('button', { name: 'Create session cluster' }).click();
  await expect(page).toHaveURL(new RegExp(`/clusters/${namespace}/${clusterId}`), { timeout: 45_000 });

  const card = page.getByRole('region', { name: 'High availability' });
  const leader = card.getByLabel('Leader JobManager');
  const standby = card.getByLabel('Standby JobManagers');
  const podName = new RegExp(`^${clusterId}-[a-z0-9]+-[a-z0-9]{5}$`);
  await expect(card.getByLabel('Leadership: leading')).toBeVisible({ timeout: 120_000 });
  await expect(leader).toHaveText(podName);
  await expect(standby).toHaveText(podName, { timeout: 60_000 });
  const before = { leader: (await leader.textContent())!, standby: (await standby.textContent())! };
  expect(before.standby).not.toBe(before.leader);
  // The card agrees with what Flink published in Kubernetes, and the JobManager card shows the leader.
  await expect.poll(() => leaderPodFromKubernetes(namespace, clusterId)).toBe(before.leader);
  await expect(page.getByLabel('JobManager pod name')).toHaveText(before.leader);
  await expect(card.getByRole('alert')).toHaveCount(0);
  await saveScreenshot(page, 'ha-leader-card');

  // Marks this document: a reload or navigation would lose it.
  await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
  await card.getByRole('button', { name: 'Test failover' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete the leader JobManager?' });
  await expect(dialog).toContainText(before.leader);
  await saveScreenshot(page, 'ha-failover-confirm');
  await dialog.getByRole('button', { name: 'Delete leader pod' }).click();
  await expect(card.getByText(`Deleted ${before.leader}`, { exact: true })).toBeVisible();

  // The standby takes the lease (the old leader released it), and the card follows live.
  await expect(leader).toHaveText(before.standby, { timeout: 60_000 });
  await expect(card.getByLabel('Leadership: leading')).toBeVisible();
  await expect.poll(() => leaderPodFromKubernetes(namespace, clusterId)).toBe(before.standby);
  await expect(page.getByLabel('JobManager pod name')).toHaveText(before.standby);
  // The failover and its recovery time (deletion → the new leader's acquireTime).
  const failovers = card.getByRole('list', { name: 'Failovers' });
  await expect(failovers.getByRole('listitem')).toHaveCount(1);
  await expect(failovers).toContainText(`deleted ${before.leader}`);
  await expect(failovers.getByLabel('Recovery')).toContainText(new RegExp(`new leader ${before.standby} after \\d+\\.\\d s`));
  await saveScreenshot(page, 'ha-after-failover');
  // The Deployment's replacement pod becomes the new standby once its JobManager runs.
  await expect(standby).toHaveText(podName, { timeout: 90_000 });
  await expect(standby).not.toHaveText(before.leader);
  expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
  await saveScreenshot(page, 'ha-new-standby');

  // The failover is kept in Kubernetes, not in the page: a fresh load shows it with its recovery.
  await page.reload();
  await expect(card.getByRole('list', { name: 'Failovers' }).getByLabel('Recovery')).toContainText(before.standby);

  // The cluster list marks the cluster: HA, a leader and one standby.
  await page.goto(`/clusters?namespace=${namespace}`);
  const row = page.getByRole('row', { name: new RegExp(clusterId) });
  await expect(row.getByLabel('HA: leader and 1 standby')).toBeVisible({ timeout: 30_000 });
  await saveScreenshot(page, 'ha-cluster-list');
});
