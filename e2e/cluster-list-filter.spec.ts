import { expect, saveScreenshot, test } from './fixtures';
import { jobManagerDeployment } from './support/flink-deployment';
import { kubectl } from './support/kubectl';

/** A TaskManager pod as Flink's resource manager creates it (KubernetesTaskManagerFactory's labels). */
function taskManagerPod(clusterId: string, namespace: string, n: number) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${clusterId}-taskmanager-1-${n}`,
      namespace,
      labels: { type: 'flink-native-kubernetes', app: clusterId, component: 'taskmanager' },
    },
    spec: { containers: [{ name: 'flink-main-container', image: 'flink:1.20', args: ['bash', '-c', 'kubernetes-taskmanager.sh'] }] },
  };
}

/** flink-config-<id> as Flink writes it, with Kubernetes HA on. */
function flinkConfig(clusterId: string, namespace: string) {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `flink-config-${clusterId}`, namespace, labels: { type: 'flink-native-kubernetes', app: clusterId } },
    data: { 'config.yaml': `kubernetes.cluster-id: ${clusterId}\nhigh-availability:\n  type: kubernetes\n  storageDir: file:///flink-ha\n` },
  };
}

/**
 * A JobManager Deployment whose pod runs and gets ready. (The sim's Flink JobManager made by kubectl
 * without flink-config-<id> crash-loops, as Flink does; its own container stands in for one that works.)
 */
function runningJobManager(clusterId: string, namespace: string) {
  const d = jobManagerDeployment({ clusterId, namespace });
  const [main] = d.spec.template.spec.containers;
  d.spec.template.spec.containers = [{ ...main, image: 'busybox:1.36', command: ['sleep', '3600'], args: [] }];
  return d;
}

const rowOf = (page: import('@playwright/test').Page, clusterId: string) =>
  page.getByRole('row').filter({ has: page.getByRole('link', { name: clusterId, exact: true }) });

test('each row shows the derived status (Failing for a bad image), the TaskManager count, HA and its leader pod', async ({ page, namespace, uniqueName }) => {
  const good = uniqueName('good');
  const bad = uniqueName('badimg');
  await kubectl(['create', '-f', '-'], JSON.stringify(runningJobManager(good, namespace)));
  await kubectl(['create', '-f', '-'], JSON.stringify(jobManagerDeployment({ clusterId: bad, namespace, image: 'flink:1.20-no-such-tag' })));
  await page.goto(`/clusters?namespace=${namespace}`);
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();

  const badRow = rowOf(page, bad);
  await expect(badRow).toContainText('Failing');
  await expect(badRow).toContainText(/ErrImagePull|ImagePullBackOff/);
  const goodRow = rowOf(page, good);
  await expect(goodRow).toContainText('Running');
  await expect(goodRow.getByLabel('0 TaskManagers')).toBeVisible();
  await expect(goodRow).toContainText('–'); // HA not known yet: no flink-config-<id>

  // TaskManagers and the config arrive after the page: the row follows, without a reload.
  await page.evaluate(() => Object.assign(window, { __sameDocument: true }));
  for (const n of [1, 2]) await kubectl(['create', '-f', '-'], JSON.stringify(taskManagerPod(good, namespace, n)));
  await kubectl(['create', '-f', '-'], JSON.stringify(flinkConfig(good, namespace)));
  await expect(goodRow.getByLabel('2 TaskManagers')).toBeVisible();
  await expect(goodRow).toContainText('HA on');

  // The HA ConfigMap names the REST leader by address: the row names the JobManager pod with that IP.
  const [jmName, jmIp] = (
    await kubectl(['get', 'pods', '-n', namespace, '-l', `app=${good},component=jobmanager`, '-o', 'jsonpath={.items[0].metadata.name} {.items[0].status.podIP}'])
  ).split(' ');
  expect(jmIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  await kubectl(
    ['create', '-f', '-'],
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${good}-cluster-config-map`, namespace, labels: { type: 'flink-native-kubernetes', app: good, 'configmap-type': 'high-availability' } },
      data: { 'org.apache.flink.k8s.leader.restserver': `6b4f5f7e-8a47-4bd1-a3f3-1b2ee1f6f0c1,http://${jmIp}:8081` },
    }),
  );
  await expect(goodRow).toContainText(jmName);
  await saveScreenshot(page, 'cluster-list-status');

  await kubectl(['delete', 'pod', `${good}-taskmanager-1-1`, '-n', namespace, '--wait=false']);
  await expect(goodRow.getByLabel('1 TaskManagers')).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
});

test('filter by text and status and sort by a column, from the UI and from a shared URL', async ({ page, namespace, uniqueName }) => {
  const alpha = uniqueName('alpha');
  const beta = uniqueName('beta');
  const broken = uniqueName('broken');
  await kubectl(['create', '-f', '-'], JSON.stringify(runningJobManager(alpha, namespace)));
  await kubectl(['create', '-f', '-'], JSON.stringify(runningJobManager(beta, namespace)));
  await kubectl(['create', '-f', '-'], JSON.stringify(jobManagerDeployment({ clusterId: broken, namespace, image: 'flink:1.20-no-such-tag' })));
  await page.goto(`/clusters?namespace=${namespace}`);
  const links = page.getByRole('table', { name: 'Flink clusters' }).getByRole('rowheader');
  await expect(links).toHaveText([alpha, beta, broken]);

  // Text filter: the URL follows.
  await page.getByLabel('Filter clusters by text').fill('beta');
  await expect(links).toHaveText([beta]);
  await expect(page).toHaveURL(/[?&]q=beta(&|$)/);
  await expect(page.getByText('1 of 3 shown')).toBeVisible();

  // Status filter.
  await page.getByLabel('Filter clusters by text').fill('');
  await page.getByLabel('Status').selectOption('Failing');
  await expect(links).toHaveText([broken]);
  await expect(page).toHaveURL(/[?&]status=Failing(&|$)/);
  await expect(page).not.toHaveURL(/[?&]q=/);
  await page.getByLabel('Status').selectOption('');

  // Sort: a click on Cluster sorts it descending, another ascending again.
  const clusterHeader = page.getByRole('columnheader', { name: 'Cluster' });
  await clusterHeader.getByRole('button').click();
  await expect(links).toHaveText([broken, beta, alpha]);
  await expect(clusterHeader).toHaveAttribute('aria-sort', 'descending');
  await expect(page).toHaveURL(/[?&]dir=desc(&|$)/);
  // Status: the worst first; ties by id.
  await expect(page.getByRole('row').filter({ hasText: 'Running' })).toHaveCount(2);
  await page.getByRole('columnheader', { name: 'Status' }).getByRole('button').click();
  await expect(links).toHaveText([broken, alpha, beta]);
  await expect(page).toHaveURL(/[?&]sort=status(&|$)/);
  await page.getByRole('columnheader', { name: 'Status' }).getByRole('button').click();
  await expect(links).toHaveText([alpha, beta, broken]);

  // The same choices from a link: a fresh tab opens filtered and sorted.
  const shared = await page.context().newPage();
  await shared.goto(`/clusters?namespace=${namespace}&status=Running&sort=cluster&dir=desc&q=${encodeURIComponent('w')}`);
  const sharedLinks = shared.getByRole('table', { name: 'Flink clusters' }).getByRole('rowheader');
  // q=w matches every id (-w<worker>-); status=Running leaves the broken one out.
  await expect(sharedLinks).toHaveText([beta, alpha]);
  await expect(shared.getByLabel('Status')).toHaveValue('Running');
  await expect(shared.getByLabel('Filter clusters by text')).toHaveValue('w');
  await expect(shared.getByRole('columnheader', { name: 'Cluster' })).toHaveAttribute('aria-sort', 'descending');
  await saveScreenshot(shared, 'cluster-list-filtered');
});

test('the last context and namespace are remembered per browser; the URL still wins', async ({ page, namespace, uniqueName }) => {
  const id = uniqueName('remembered');
  await kubectl(['create', '-f', '-'], JSON.stringify(jobManagerDeployment({ clusterId: id, namespace })));
  await page.goto(`/clusters?namespace=${namespace}`);
  await expect(rowOf(page, id)).toBeVisible();
  // A visit with no scope in the URL goes back to the namespace last looked at.
  await page.goto('/clusters');
  await expect(page).toHaveURL(new RegExp(`[?&]namespace=${namespace}(&|$)`));
  await expect(rowOf(page, id)).toBeVisible();
  // A URL that names a namespace is not overridden, and is remembered in turn.
  await page.goto('/clusters?namespace=kube-system');
  await expect(page.getByText('Session and application clusters in namespace kube-system')).toBeVisible();
  await expect(page).toHaveURL(/[?&]namespace=kube-system(&|$)/);
  await page.goto('/clusters');
  await expect(page).toHaveURL(/[?&]namespace=kube-system(&|$)/);
  await expect(page.getByText('Session and application clusters in namespace kube-system')).toBeVisible();
});
