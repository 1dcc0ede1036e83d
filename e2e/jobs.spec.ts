import AxeBuilder from '@axe-core/playwright';
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, saveScreenshot, test } from './fixtures';

// Jobs, live: the cluster page's job table, the job page and its actions, and the Flink web UI
// through the dashboard, on application clusters running the image's StateMachineExample.
test.describe.configure({ timeout: 180_000 });

/** An application cluster through the dashboard's own create route (as the form sends it). */
async function createAppCluster(request: APIRequestContext, namespace: string, clusterId: string) {
  const res = await request.post('/api/clusters', {
    data: {
      clusterId,
      namespace,
      mode: 'application',
      application: { jarUri: 'local:///opt/flink/examples/streaming/StateMachineExample.jar', parallelism: 1 },
      // keep the cluster after its job ends, so the ended job can still be read
      flinkConfig: [{ key: 'execution.shutdown-on-application-finish', value: 'false' }],
    },
  });
  expect(res.status(), await res.text()).toBe(201);
}

/** axe-core (WCAG 2.x A/AA and best practices): no serious or critical finding. */
async function expectAccessible(page: Page, where: string) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), where).toEqual([]);
}

/** From the cluster page's job table to the job page, once every vertex runs. */
async function openRunningJob(page: Page, namespace: string, clusterId: string) {
  await page.goto(`/clusters/${namespace}/${clusterId}`);
  const table = page.getByRole('table', { name: 'Jobs' });
  await expect(table.getByLabel('Job State machine job: RUNNING')).toBeVisible({ timeout: 90_000 });
  await table.getByRole('link', { name: 'State machine job' }).click();
  await expect(page).toHaveURL(new RegExp(`/clusters/${namespace}/${clusterId}/jobs/[0-9a-f]{32}`));
  await expect(page.getByLabel('Job status: RUNNING')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Vertices' }).getByText('RUNNING', { exact: true })).toHaveCount(2);
}

test('trigger a savepoint and see its path; stop with a savepoint and see FINISHED; open the Flink web UI', async ({ page, namespace, uniqueName }) => {
  const clusterId = uniqueName('jobs');
  await createAppCluster(page.request, namespace, clusterId);
  await openRunningJob(page, namespace, clusterId);
  await expect(page.getByRole('list', { name: 'Status timeline' })).toContainText('RUNNING');
  await saveScreenshot(page, 'job-page-running');

  // A savepoint path without a scheme is refused in the dialog, in plain words.
  await page.getByRole('button', { name: 'Trigger savepoint' }).click();
  const dialog = page.getByRole('dialog', { name: 'Trigger a savepoint' });
  await dialog.getByLabel('Target directory').fill('/flink/savepoints');
  await dialog.getByRole('button', { name: 'Trigger savepoint' }).click();
  await expect(dialog.getByRole('alert')).toHaveText(/^The target directory must be a URI with a scheme/);
  await saveScreenshot(page, 'job-savepoint-dialog-error');

  await dialog.getByLabel('Target directory').fill('file:///flink/savepoints');
  await dialog.getByRole('button', { name: 'Trigger savepoint' }).click();
  await expect(dialog).toBeHidden();
  const savepoint = page.getByRole('listitem', { name: 'Savepoint (canonical): Completed' });
  await expect(savepoint).toContainText(/file:\/+flink\/savepoints\/savepoint-/);
  const path = (await savepoint.locator('.font-mono').textContent())!;
  // The job page's checkpoint statistics show it as the latest savepoint.
  await expect(page.getByRole('region', { name: 'Checkpoints' })).toContainText(path);
  await saveScreenshot(page, 'job-savepoint-completed');

  // The Flink web UI, through the dashboard: its relative assets and REST calls work.
  const [ui] = await Promise.all([page.waitForEvent('popup'), page.getByRole('link', { name: /Open the Flink web UI/ }).click()]);
  // the job page names its kubeconfig context in the path, so the UI's relative links keep it
  await expect(ui).toHaveURL(new RegExp(`/api/clusters/${namespace}/${clusterId}/flink-ui/@[^/]+/index.html$`));
  await expect(ui.getByRole('heading', { name: 'Apache Flink Web Dashboard' })).toBeVisible();
  await expect(ui.getByText(/^Version: 1\.20\./)).toBeVisible();
  await expect(ui.locator('h1')).toHaveCSS('color', 'rgb(230, 82, 111)');
  await saveScreenshot(ui, 'flink-web-ui');
  await ui.close();
  // Typed by hand, with or without the trailing slash, the UI's address lands on its index.html.
  for (const suffix of ['flink-ui', 'flink-ui/']) {
    const res = await page.request.get(`/api/clusters/${namespace}/${clusterId}/${suffix}`);
    expect(res.status()).toBe(200);
    expect(res.url()).toMatch(new RegExp(`/api/clusters/${namespace}/${clusterId}/flink-ui/index.html$`));
    expect(await res.text()).toContain('href="styles.css"');
  }

  await page.getByRole('button', { name: 'Stop with savepoint' }).click();
  const stop = page.getByRole('dialog', { name: 'Stop the job with a savepoint' });
  await stop.getByLabel('Target directory').fill('s3://bucket/savepoints');
  await stop.getByRole('checkbox', { name: /Drain/ }).check();
  await saveScreenshot(page, 'job-stop-dialog');
  await stop.getByRole('button', { name: 'Stop job' }).click();
  await expect(page.getByRole('listitem', { name: 'Stop with a savepoint (drain): Completed' })).toContainText('s3://bucket/savepoints/savepoint-');
  await expect(page.getByLabel('Job status: FINISHED')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cancel job' })).toBeDisabled();
  await saveScreenshot(page, 'job-finished');
});

test('cancel a job: confirmed, then CANCELED on the job page and in the table', async ({ page, namespace, uniqueName }) => {
  const clusterId = uniqueName('cancel');
  await createAppCluster(page.request, namespace, clusterId);
  await openRunningJob(page, namespace, clusterId);
  await expectAccessible(page, 'the job page');
  // At phone width the page itself does not scroll sideways (wide tables scroll in their own box).
  await page.setViewportSize({ width: 390, height: 900 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
  await saveScreenshot(page, 'job-page-390');
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.getByRole('button', { name: 'Cancel job' }).click();
  const dialog = page.getByRole('dialog', { name: 'Cancel the job' });
  await expect(dialog).toContainText('without a savepoint');
  await expectAccessible(page, 'the cancel dialog');
  await saveScreenshot(page, 'job-cancel-dialog');
  await dialog.getByRole('button', { name: 'Cancel job' }).click();
  await expect(page.getByLabel('Job status: CANCELED')).toBeVisible();
  await expect(page.getByRole('listitem', { name: 'Cancel: Completed' })).toBeVisible();

  await page.getByRole('link', { name: `← Cluster ${clusterId}` }).click();
  await expect(page.getByRole('table', { name: 'Jobs' }).getByLabel('Job State machine job: CANCELED')).toBeVisible();
  await saveScreenshot(page, 'cluster-page-jobs');
});
