import { expect, saveScreenshot, test } from './fixtures';
import { jobManagerDeployment } from './support/flink-deployment';
import { kubectl } from './support/kubectl';

test('a fresh namespace on the simulator shows the badge and a helpful empty state', async ({ page, namespace }) => {
  await page.goto(`/clusters?namespace=${namespace}`);
  await expect(page.getByText('Simulated cluster')).toBeVisible();
  await expect(page.getByRole('heading', { name: `No Flink clusters in namespace ${namespace} yet` })).toBeVisible();
  await expect(page.getByLabel("Start a session cluster with Flink's CLI")).toContainText(
    `-Dkubernetes.namespace=${namespace}`,
  );
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  await saveScreenshot(page, 'empty-state');
});

test('a JobManager Deployment made with kubectl appears without a reload and goes when deleted', async ({
  page,
  namespace,
  uniqueName,
}) => {
  await page.goto(`/clusters?namespace=${namespace}`);
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  // A reload would drop this marker.
  await page.evaluate(() => Object.assign(window, { __sameDocument: true }));

  const clusterId = uniqueName('session');
  await kubectl(['create', '-f', '-'], JSON.stringify(jobManagerDeployment({ clusterId, namespace, image: 'flink:1.20' })));
  const row = page.getByRole('row', { name: new RegExp(clusterId) });
  await expect(row).toBeVisible();
  await expect(row).toContainText('Flink 1.20');
  await expect(row).toContainText('Session');
  await saveScreenshot(page, 'cluster-row');

  await kubectl(['delete', 'deployment', clusterId, '-n', namespace]);
  await expect(row).toHaveCount(0);
  await expect(page.getByRole('heading', { name: `No Flink clusters in namespace ${namespace} yet` })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
});

test('the page lists once and then only listens while it stays open', async ({ page, namespace, uniqueName }) => {
  const calls = { list: 0, watch: 0 };
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname === '/api/clusters') calls.list++;
    // The page opens no stream of its own: the browser's one /api/live stream (lib/live/README.md) carries it.
    if (pathname === '/api/watch/clusters') calls.watch++;
  });
  await page.goto(`/clusters?namespace=${namespace}`);
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();

  const session = uniqueName('sess');
  const app = uniqueName('app');
  await kubectl(['create', '-f', '-'], JSON.stringify(jobManagerDeployment({ clusterId: session, namespace })));
  await kubectl(
    ['create', '-f', '-'],
    JSON.stringify(jobManagerDeployment({ clusterId: app, namespace, mode: 'application', image: 'flink:2.0.0-scala_2.12-java17' })),
  );
  await expect(page.getByRole('row', { name: new RegExp(session) })).toBeVisible();
  const appRow = page.getByRole('row', { name: new RegExp(app) });
  await expect(appRow).toContainText('Application');
  await expect(appRow).toContainText('Flink 2.0.0');
  await saveScreenshot(page, 'two-clusters');
  await kubectl(['delete', 'deployment', session, '-n', namespace]);
  await expect(page.getByRole('row', { name: new RegExp(session) })).toHaveCount(0);

  expect(calls).toEqual({ list: 1, watch: 0 });
});

test('the context and namespace live in the URL, so a link opens the same view', async ({ page, namespace, uniqueName }) => {
  const clusterId = uniqueName('shared');
  await kubectl(['create', '-f', '-'], JSON.stringify(jobManagerDeployment({ clusterId, namespace })));
  await page.goto('/clusters');
  await page.getByLabel('Kubernetes context').selectOption('sim-viewer');
  await expect(page).toHaveURL(/context=sim-viewer/);
  await page.getByLabel('Namespace', { exact: true }).selectOption(namespace);
  await expect(page).toHaveURL(new RegExp(`namespace=${namespace}`));
  await expect(page.getByRole('row', { name: new RegExp(clusterId) })).toBeVisible();

  const shared = await page.context().newPage();
  await shared.goto(page.url());
  await expect(shared.getByLabel('Kubernetes context')).toHaveValue('sim-viewer');
  await expect(shared.getByRole('row', { name: new RegExp(clusterId) })).toBeVisible();
  await saveScreenshot(shared, 'viewer-context');
});

test('an unknown context in the URL is a clear message, not a stack trace', async ({ page }) => {
  await page.goto('/clusters?context=no-such-context');
  const alert = page.getByRole('alert').filter({ hasText: 'This view cannot be opened' });
  await expect(alert).toContainText('There is no context "no-such-context"');
  await expect(alert).not.toContainText(' at ');
  await saveScreenshot(page, 'unknown-context');
});

test('clicking a cluster in the list opens its page, live, without a reload', async ({ page, namespace, uniqueName }) => {
  const clusterId = uniqueName('open');
  await kubectl(['create', '-f', '-'], JSON.stringify(jobManagerDeployment({ clusterId, namespace })));
  const jobManagerPods = async () =>
    (await kubectl(['get', 'pods', '-n', namespace, '-l', `app=${clusterId},component=jobmanager`, '-o', 'jsonpath={.items[*].metadata.name}']))
      .split(' ')
      .filter(Boolean);
  await page.goto(`/clusters?namespace=${namespace}`);
  const row = page.getByRole('row', { name: new RegExp(clusterId) });
  await expect(row).toBeVisible();
  // A full page load would drop this marker.
  await page.evaluate(() => Object.assign(window, { __sameDocument: true }));

  const link = row.getByRole('link', { name: clusterId });
  await expect(link).toBeVisible();
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/clusters/${namespace}/${clusterId}$`));
  await expect(page.getByRole('heading', { level: 1, name: clusterId })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Kubernetes objects' }).getByRole('listitem').filter({ hasText: /^Deployment/ })).toContainText(clusterId);
  let first = '';
  await expect.poll(async () => (first = (await jobManagerPods())[0] ?? '')).not.toBe('');
  const pods = page.getByRole('table', { name: 'Pods' });
  await expect(pods).toContainText(first);
  await saveScreenshot(page, 'cluster-page-from-list');

  // Live: the Deployment replaces a deleted JobManager pod, and the page shows the new one by itself.
  await kubectl(['delete', 'pod', first, '-n', namespace, '--wait=false']);
  let replacement = '';
  await expect.poll(async () => (replacement = (await jobManagerPods()).find((name) => name !== first) ?? '')).not.toBe('');
  await expect(pods).toContainText(replacement);
  await expect.poll(jobManagerPods, { timeout: 60_000 }).toEqual([replacement]);
  await expect(pods).not.toContainText(first);
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
});
