import type { Page, Response } from '@playwright/test';
import { expect, saveScreenshot, test } from './fixtures';
import { kubectl, simControl } from './support/kubectl';

// A create that fails, as the form shows it, and what is left in the cluster afterwards (nothing).
test.describe.configure({ timeout: 180_000 });

async function openForm(page: Page, namespace: string, context?: string) {
  await page.goto(`/clusters/new?${new URLSearchParams({ namespace, ...(context ? { context } : {}) })}`);
  await expect(page.getByRole('heading', { name: 'New Flink cluster' })).toBeVisible();
}

/** The names of the cluster's objects (and of anything else that names it) in the namespace. */
async function objectsNaming(namespace: string, clusterId: string): Promise<string[]> {
  const names = await kubectl(['get', 'deployments,replicasets,pods,services,configmaps', '-n', namespace, '-o', 'name']);
  return names.split('\n').filter((n) => n.includes(clusterId));
}

/** The form's create request (POST /api/clusters). */
function isCreate(response: Response): boolean {
  return response.request().method() === 'POST' && new URL(response.url()).pathname === '/api/clusters';
}

test('a user who may not create Deployments is told so in plain words, and nothing is created', async ({ page, namespace, uniqueName }) => {
  // sim-viewer (ClusterRole view) may also create Services and ConfigMaps here: only the Deployment is missing.
  await kubectl(['create', 'role', 'services-and-configmaps', '-n', namespace, '--verb=create', '--resource=services,configmaps']);
  await kubectl(['create', 'rolebinding', 'viewer-creates', '-n', namespace, '--role=services-and-configmaps', '--user=sim-viewer']);
  const clusterId = uniqueName('denied');
  await openForm(page, namespace, 'sim-viewer');
  await page.getByLabel('Cluster id').fill(clusterId);
  const created = page.waitForResponse(isCreate);
  await page.getByRole('button', { name: 'Create session cluster' }).click();
  expect((await created).status()).toBe(403);

  const alert = page.getByRole('alert').filter({ hasText: 'The cluster was not created' });
  await expect(alert).toContainText(`You may not create deployments (apps) in namespace ${namespace}`);
  await expect(alert).not.toContainText(/\bat \S+:\d+|ApiException|HTTP-Code|Forbidden/);
  await expect(page).toHaveURL(/\/clusters\/new/);
  await saveScreenshot(page, 'create-error-forbidden');

  expect(await objectsNaming(namespace, clusterId)).toEqual([]);
  expect(await kubectl(['get', 'serviceaccounts,roles,rolebindings', '-n', namespace, '-o', 'name'])).not.toMatch(/\/flink\b/);
});

test('a create that fails upstream after its Deployment is made shows the error and is rolled back', async ({ page, namespace, uniqueName }) => {
  const clusterId = uniqueName('rollback');
  await openForm(page, namespace);
  await page.getByLabel('Cluster id').fill(clusterId);
  // The preview's dry runs pass: the fault below spares dry runs and reads.
  await expect(page.getByLabel('YAML preview')).toContainText(`name: ${clusterId}-rest`);
  try {
    // Only real creates of Services in this test's namespace fail (500), so the Deployment, its
    // ConfigMaps and the ServiceAccount are created and then the Services are refused.
    await simControl('/_sim/faults', { failureRate: 1, pathPrefix: `/api/v1/namespaces/${namespace}/services`, method: 'POST', dryRun: false });
    const created = page.waitForResponse(isCreate);
    await page.getByRole('button', { name: 'Create session cluster' }).click();
    expect((await created).status()).toBe(502);
  } finally {
    await simControl('/_sim/faults', {});
  }
  const alert = page.getByRole('alert').filter({ hasText: 'The cluster was not created' });
  await expect(alert).toContainText(`Could not create services in namespace ${namespace}`);
  await expect(page).toHaveURL(/\/clusters\/new/);

  // The create got past its checks: the shared ServiceAccount it provisions stays, as designed.
  expect(await kubectl(['get', 'serviceaccount', 'flink', '-n', namespace, '-o', 'name'])).toBe('serviceaccount/flink\n');
  // The form reads the namespace again: the id is free (the rollback finished before the answer)
  // and the ServiceAccount is no longer promised.
  const yaml = page.getByLabel('YAML preview');
  await expect(yaml).toContainText(`name: ${clusterId}-rest`);
  await expect(yaml).not.toContainText('kind: ServiceAccount');
  await expect(page.getByText('Service account flink will be created')).toHaveCount(0);
  await expect(alert).toBeVisible();
  await saveScreenshot(page, 'create-error-upstream');
  // The rollback's Foreground delete removed the Deployment and everything it owned.
  await expect.poll(() => objectsNaming(namespace, clusterId), { timeout: 60_000 }).toEqual([]);
});
