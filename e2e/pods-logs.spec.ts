import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, saveScreenshot, test } from './fixtures';
import { kubectl, simControl } from './support/kubectl';
import { root } from './support/processes';

// The pods table and the pod log view against the simulated cluster: one application cluster
// (StateMachineExample, a checkpoint every second, so the JobManager keeps logging), shared by the
// flows below in order.
test.describe.configure({ mode: 'serial', timeout: 180_000 });

const namespace = `e2e-pods-${Date.now().toString(36)}`;
const clusterId = 'pods';

async function podNames(component: 'jobmanager' | 'taskmanager'): Promise<string[]> {
  const out = await kubectl(['get', 'pods', '-n', namespace, '-l', `app=${clusterId},component=${component}`, '-o', 'jsonpath={.items[*].metadata.name}']);
  return out.split(' ').filter(Boolean).sort();
}

/** The highest checkpoint id among the log lines in the DOM. */
async function lastCheckpointShown(page: Page): Promise<number> {
  const texts = await page.getByRole('log').locator('[data-log-line]').allTextContents();
  return Math.max(0, ...texts.map((t) => Number(/Completed checkpoint (\d+)/.exec(t)?.[1] ?? 0)));
}

/** Marks the document: a reload or a navigation would lose the mark. */
async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => ((window as unknown as { e2eMark: boolean }).e2eMark = true));
}
async function sameDocument(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { e2eMark?: boolean }).e2eMark === true);
}

test.beforeAll(async ({ request, baseURL }) => {
  await kubectl(['create', 'namespace', namespace]);
  const res = await request.post(`${baseURL}/api/clusters`, {
    data: {
      clusterId,
      namespace,
      mode: 'application',
      application: { jarUri: 'local:///opt/flink/examples/streaming/StateMachineExample.jar', parallelism: 1 },
      flinkConfig: [{ key: 'execution.checkpointing.interval', value: '1s' }],
    },
  });
  expect(res.status(), await res.text()).toBe(201);
});

test.afterAll(async () => {
  await kubectl(['delete', 'namespace', namespace, '--wait=false']);
});

test('follow a JobManager log: new lines arrive while the page is open; search narrows what is shown', async ({ page }) => {
  await page.goto(`/clusters/${namespace}/${clusterId}`);
  const pods = page.getByRole('table', { name: 'Pods' });
  await expect(pods.getByLabel('Pod status: Running').first()).toBeVisible({ timeout: 90_000 });
  const [jm] = await podNames('jobmanager');
  await pods.getByRole('link', { name: `Log of ${jm}` }).click();
  await expect(page).toHaveURL(new RegExp(`/clusters/${namespace}/${clusterId}/pods/${jm}/logs`));
  await expect(page.getByRole('heading', { name: `Log of ${jm}` })).toBeVisible();
  await expect(page.getByRole('status', { name: 'Log status' })).toContainText('Following');

  const log = page.getByRole('log', { name: `Log of ${jm}` });
  await expect(log).toContainText(/Completed checkpoint \d+ for job/, { timeout: 90_000 });
  const first = await lastCheckpointShown(page);
  await markDocument(page);
  // Checkpoints complete every second: later ones appear without any reload.
  await expect.poll(() => lastCheckpointShown(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(first + 2);
  expect(await sameDocument(page)).toBe(true);

  // Virtualized: a long log puts only the rows in view into the DOM.
  const rows = await log.locator('[data-log-line]').count();
  expect(rows).toBeLessThanOrEqual(100);
  // Long lines are not cut: the view scrolls sideways.
  expect(await log.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  await saveScreenshot(page, 'pod-log-follow');

  await page.getByLabel('Search in the shown lines').fill('completed checkpoint');
  await expect(page.getByRole('status', { name: 'Log status' })).toContainText(/\d+ of \d+ lines match\./);
  const shown = await log.locator('[data-log-line]').allTextContents();
  expect(shown.length).toBeGreaterThan(0);
  for (const line of shown) expect(line.toLowerCase()).toContain('completed checkpoint');
  await expect(log.locator('mark').first()).toHaveText(/completed checkpoint/i);
  await saveScreenshot(page, 'pod-log-search');

  // Download is the whole log, as an attachment.
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download whole log' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`${jm}-flink-main-container.log`);
  await file.saveAs(path.join(root, 'test-results', 'downloaded-jm.log'));
});

test('delete a TaskManager pod with kubectl: the page shows it terminating and its replacement, without a reload', async ({ page }) => {
  await page.goto(`/clusters/${namespace}/${clusterId}`);
  const pods = page.getByRole('table', { name: 'Pods' });
  await expect.poll(() => podNames('taskmanager'), { timeout: 60_000 }).toHaveLength(1);
  const [tm] = await podNames('taskmanager');
  const row = pods.getByRole('row', { name: `Pod ${tm}` });
  await expect(row.getByLabel('Pod status: Running')).toBeVisible({ timeout: 60_000 });
  await expect(row).toContainText('TaskManager');
  await expect(row).toContainText('1/1');
  await saveScreenshot(page, 'pods-table');
  await page.getByRole('region', { name: /^Pods \(/ }).screenshot({ path: path.join(root, 'test-results', 'screenshots', 'pods-table-card.png') });
  await markDocument(page);

  // A finalizer holds the deleted pod in Terminating long enough to be seen (the kubelet still stops
  // its container, so Flink's ResourceManager replaces the worker), as a slow volume detach would.
  await kubectl(['patch', 'pod', tm, '-n', namespace, '--type', 'merge', '-p', '{"metadata":{"finalizers":["e2e.flink-dashboard/hold"]}}']);
  await kubectl(['delete', 'pod', tm, '-n', namespace, '--wait=false']);
  await expect(row.getByLabel('Pod status: Terminating')).toBeVisible();
  await expect
    .poll(async () => (await podNames('taskmanager')).filter((n) => n !== tm), { timeout: 90_000 })
    .toHaveLength(1);
  const [replacement] = (await podNames('taskmanager')).filter((n) => n !== tm);
  const newRow = pods.getByRole('row', { name: `Pod ${replacement}` });
  await expect(newRow).toBeVisible();
  await expect(newRow.getByLabel('Pod status: Running')).toBeVisible({ timeout: 60_000 });
  await saveScreenshot(page, 'pods-table-replacement');

  await kubectl(['patch', 'pod', tm, '-n', namespace, '--type', 'json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']);
  await expect(row).toHaveCount(0, { timeout: 60_000 });
  expect(await sameDocument(page)).toBe(true);
});

test('kill the JobManager container: the restart count rises, and the previous container log can be read', async ({ page }) => {
  const [jm] = await podNames('jobmanager');
  await page.goto(`/clusters/${namespace}/${clusterId}`);
  const row = page.getByRole('table', { name: 'Pods' }).getByRole('row', { name: `Pod ${jm}` });
  await expect(row.getByLabel('Restarts: 0')).toBeVisible({ timeout: 60_000 });
  await expect(row.getByLabel('Pod status: Running')).toBeVisible({ timeout: 60_000 });
  await markDocument(page);

  await simControl(`/_sim/pods/${namespace}/${jm}/kill`, { mode: 'kill' });
  await expect(row.getByLabel('Restarts: 1')).toBeVisible({ timeout: 60_000 });
  await expect(row.getByLabel(/^Last ended: /)).toBeVisible();
  expect(await sameDocument(page)).toBe(true);
  await saveScreenshot(page, 'pods-table-restarted');

  await row.getByRole('link', { name: `Log of ${jm}` }).click();
  await expect(page.getByLabel('Restarts')).toHaveText('1 restart');
  await page.getByLabel('Previous container').check();
  const log = page.getByRole('log', { name: `Log of ${jm}` });
  await expect(page.getByRole('status', { name: 'Log status' })).toContainText('All the requested lines are shown.');
  await expect(log).toContainText(/Completed checkpoint \d+ for job/);
  // The previous instance's log is what the API server gives for previous=true.
  const previous = await kubectl(['logs', '-n', namespace, jm, '-c', 'flink-main-container', '--previous', '--tail=1']);
  await expect(log).toContainText(previous.trim());
  await expect(page.getByRole('link', { name: 'Download whole log' })).toHaveAttribute('href', /previous=true/);
  await saveScreenshot(page, 'pod-log-previous');
});

test('the objects list shows config.yaml and each object as YAML, without managedFields', async ({ page }) => {
  await page.goto(`/clusters/${namespace}/${clusterId}`);
  const objects = page.getByRole('list', { name: 'Kubernetes objects' });
  await objects.getByRole('button', { name: `Show config.yaml of flink-config-${clusterId}` }).click();
  const config = page.getByLabel(`config.yaml of flink-config-${clusterId}`, { exact: true });
  await expect(config).toContainText(`cluster-id: ${clusterId}`);
  await expect(config).toContainText('interval: 1s');

  await objects.getByRole('button', { name: `YAML of Deployment ${clusterId}` }).click();
  const yaml = page.getByLabel(`YAML of Deployment ${clusterId}`, { exact: true }).and(page.locator('pre'));
  await expect(yaml).toContainText('kind: Deployment');
  await expect(yaml).toContainText('flink-main-container');
  await expect(yaml).not.toContainText('managedFields');
  await expect(objects.getByRole('button', { name: `YAML of Deployment ${clusterId}` })).toHaveAttribute('aria-expanded', 'true');
  await page.getByRole('region', { name: 'Kubernetes objects' }).screenshot({ path: path.join(root, 'test-results', 'screenshots', 'objects-yaml.png') });
});
