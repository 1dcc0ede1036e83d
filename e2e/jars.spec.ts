import AxeBuilder from '@axe-core/playwright';
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, saveScreenshot, test } from './fixtures';
import { testJar } from './support/jar-files';
import { kubectl, simControl } from './support/kubectl';
import { printOnlyJar } from './support/test-jars';

// Jars on session clusters, against the simulated cluster: upload through the dashboard's backend
// (streamed to the leader JobManager), run, and the refusals. Each flow waits for real pods.
test.describe.configure({ timeout: 240_000 });

type FlinkJars = { files: { id: string; name: string }[] };
type FlinkJobs = { jobs: { jid: string; name: string; state: string }[] };

async function createCluster(request: APIRequestContext, body: Record<string, unknown>): Promise<void> {
  const res = await request.post('/api/clusters', { data: body });
  expect(res.status(), await res.text()).toBe(201);
}

/** Flink's REST API through the API server's service proxy, out of band of the UI. */
async function flinkRest<T>(namespace: string, clusterId: string, path: string): Promise<T> {
  return JSON.parse(await kubectl(['get', '--raw', `/api/v1/namespaces/${namespace}/services/${clusterId}-rest:rest/proxy${path}`])) as T;
}

async function openClusterPage(page: Page, namespace: string, clusterId: string) {
  await page.goto(`/clusters/${namespace}/${clusterId}`);
  await expect(page.getByRole('heading', { name: 'Jars' })).toBeVisible({ timeout: 90_000 });
  await expect(page.getByRole('button', { name: 'Choose a jar…' })).toBeVisible();
}

async function uploadFile(page: Page, name: string, buffer: Buffer) {
  await page.getByLabel('Jar file').setInputFiles({ name, mimeType: 'application/java-archive', buffer });
}

async function expectUploaded(page: Page, name: string) {
  await expect(page.getByRole('status').filter({ hasText: `Uploaded ${name}` })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('row', { name: `Jar ${name}` })).toBeVisible();
}

test('upload a jar with a progress bar, run it with args and parallelism 2: TaskManagers appear and the job runs', async ({ page, request, namespace, uniqueName }) => {
  const clusterId = uniqueName('jars');
  await createCluster(request, { clusterId, namespace });
  await openClusterPage(page, namespace, clusterId);

  // 24 MiB at 4 MiB/s, and this cluster's JobManager answering 3 s late (the sim's REST latency):
  // the browser really sends for several seconds, and the bar follows it.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 4 * 1024 * 1024 });
  await simControl(`/_sim/flink/rest/${namespace}/${clusterId}`, { latencyMs: 3000 });
  try {
    await uploadFile(page, 'streaming-job.jar', testJar('com.example.StreamingJob', { padding: 24 * 1024 * 1024 }));
    const bar = page.getByRole('progressbar', { name: 'Upload of streaming-job.jar' });
    await expect(bar).toHaveAttribute('aria-valuenow', /^[1-9]\d?$/);
    await expect(page.getByText(/^Uploading streaming-job\.jar: .+ of 24\.0 MiB$/)).toBeVisible();
    await saveScreenshot(page, 'jars-uploading');
    await expectUploaded(page, 'streaming-job.jar');
    await expect(bar).toHaveAttribute('aria-valuenow', '100');
  } finally {
    await simControl(`/_sim/flink/rest/${namespace}/${clusterId}`, {});
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  }
  const row = page.getByRole('row', { name: 'Jar streaming-job.jar' });
  await expect(row).toContainText('com.example.StreamingJob');

  await page.getByRole('button', { name: 'Run streaming-job.jar' }).click();
  const form = page.getByRole('form', { name: 'Run streaming-job.jar' });
  await expect(form.getByLabel('Entry class')).toHaveValue('com.example.StreamingJob');
  await form.getByRole('button', { name: 'Add argument' }).click();
  await form.getByLabel('Argument 1', { exact: true }).fill('--input');
  await form.getByRole('button', { name: 'Add argument' }).click();
  await form.getByLabel('Argument 2', { exact: true }).fill('s3://bucket/in put');
  await form.getByLabel('Parallelism').fill('2');
  await form.getByRole('button', { name: 'Run', exact: true }).click();
  const submitted = form.getByRole('status').filter({ hasText: /Job [0-9a-f]{32} submitted/ });
  await expect(submitted).toBeVisible({ timeout: 60_000 });
  const jobId = /Job ([0-9a-f]{32})/.exec((await submitted.textContent()) ?? '')![1];

  const pods = page.getByRole('table', { name: 'Pods' });
  await expect(pods.getByRole('row').filter({ hasText: 'TaskManager' })).toHaveCount(2, { timeout: 90_000 });
  await expect(page.getByLabel('Job StreamingJob: RUNNING')).toBeVisible({ timeout: 90_000 });
  const config = await flinkRest<{ 'execution-config': { 'job-parallelism': number } }>(namespace, clusterId, `/jobs/${jobId}/config`);
  expect(config['execution-config']['job-parallelism']).toBe(2);
  await saveScreenshot(page, 'jars-job-running');
});

/** axe (WCAG 2/2.1 A and AA, best practices) on the Jars section, and nothing of it is wider than the window. */
async function expectJarsSectionAccessible(page: Page, where: string) {
  const results = await new AxeBuilder({ page })
    .include('section[aria-labelledby="jars-heading"]')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), where).toEqual([]);
  // Nothing of the section sticks out of the window (the jar table scrolls inside its own region).
  const wide = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const section = document.querySelector('section[aria-labelledby="jars-heading"]')!;
    const out = [...section.querySelectorAll('*')].filter((e) => e.getBoundingClientRect().right > width + 1 && !e.closest('[aria-label="Uploaded jars"]'));
    if (section.getBoundingClientRect().right > width + 1) out.unshift(section);
    return out.slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].slice(0, 3).join('.')} "${(e.textContent ?? '').slice(0, 40)}"`);
  });
  expect(wide, `${where}: elements of the Jars section wider than the window`).toEqual([]);
}

test('an HA cluster with 2 JobManagers: upload and run work whichever pod the Service would pick', async ({ page, request, namespace, uniqueName }) => {
  const clusterId = uniqueName('jars-ha');
  await createCluster(request, {
    clusterId,
    namespace,
    jobManager: { replicas: 2 },
    ha: { enabled: true, storageDir: `file:///flink-ha/${namespace}`, leaseDuration: '4 s', renewDeadline: '3 s', retryPeriod: '500 ms' },
  });
  await expect
    .poll(async () => (await kubectl(['get', 'pods', '-n', namespace, '-l', `app=${clusterId},component=jobmanager`, '-o', 'jsonpath={.items[*].status.phase}'])).split(' ').filter((p) => p === 'Running').length, { timeout: 90_000 })
    .toBe(2);
  await openClusterPage(page, namespace, clusterId);
  // Three uploads: through the Service, some would land on the standby and be missing from the list.
  for (const name of ['ha-1.jar', 'ha-2.jar', 'ha-3.jar']) {
    await uploadFile(page, name, testJar('com.example.HaJob'));
    await expectUploaded(page, name);
  }
  await expect(page.getByRole('region', { name: 'Uploaded jars' }).getByRole('row')).toHaveCount(4);
  await page.getByRole('button', { name: 'Run ha-3.jar' }).click();
  const form = page.getByRole('form', { name: 'Run ha-3.jar' });
  await form.getByRole('button', { name: 'Add argument' }).click();
  await form.getByRole('button', { name: 'Add option' }).click();
  await expectJarsSectionAccessible(page, 'the Jars section at 1280 px');
  await page.setViewportSize({ width: 390, height: 900 });
  await expectJarsSectionAccessible(page, 'the Jars section at 390 px');
  await saveScreenshot(page, 'jars-390');
  await page.setViewportSize({ width: 1280, height: 900 });
  await form.getByRole('button', { name: 'Remove argument 1' }).click();
  await form.getByRole('button', { name: 'Remove key 1' }).click();
  await form.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(form.getByRole('status').filter({ hasText: /submitted/ })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByLabel('Job HaJob: RUNNING')).toBeVisible({ timeout: 90_000 });
});

test('refusals on a session cluster: a text file renamed .jar, a wrong entry class, a main that builds no job, a double-clicked Run', async ({ page, request, namespace, uniqueName }) => {
  const clusterId = uniqueName('jars-bad');
  await createCluster(request, { clusterId, namespace });
  await openClusterPage(page, namespace, clusterId);

  await test.step('a text file renamed .jar is refused, and nothing reaches the JobManager', async () => {
    await uploadFile(page, 'notes.jar', Buffer.from('These are my notes, not a jar.\n'.repeat(50)));
    const alert = page.getByRole('alert').filter({ hasText: 'notes.jar was not uploaded' });
    await expect(alert).toContainText('notes.jar is not a jar: a jar is a zip archive, and this file does not start like one. Nothing was sent to Flink.');
    await saveScreenshot(page, 'jars-not-a-jar');
    expect((await flinkRest<FlinkJars>(namespace, clusterId, '/jars')).files).toEqual([]);
    await expect(page.getByText('No jars uploaded to this cluster yet.')).toBeVisible();
  });

  await uploadFile(page, 'job.jar', testJar('com.example.StreamingJob'));
  await expectUploaded(page, 'job.jar');
  await page.getByRole('button', { name: 'Run job.jar' }).click();
  const form = page.getByRole('form', { name: 'Run job.jar' });

  await test.step("a wrong entry class shows Flink's error: a plain line, the whole text on request", async () => {
    await form.getByLabel('Entry class').fill('com.example.Missing');
    await form.getByRole('button', { name: 'Run', exact: true }).click();
    const alert = form.getByRole('alert').filter({ hasText: 'Flink did not run the jar' });
    await expect(alert).toContainText("The program's entry point class 'com.example.Missing' was not found in the jar file.");
    await expect(alert.getByLabel("Flink's error in full")).toBeHidden();
    await alert.getByRole('button', { name: 'Show details' }).click();
    await expect(alert.getByLabel("Flink's error in full")).toContainText('org.apache.flink.client.program.ProgramInvocationException');
    await saveScreenshot(page, 'jars-wrong-entry-class');
    expect((await flinkRest<FlinkJobs>(namespace, clusterId, '/jobs/overview')).jobs).toEqual([]);
  });

  await test.step("a jar whose main builds no job shows Flink's error", async () => {
    await uploadFile(page, 'print-only.jar', Buffer.from(printOnlyJar()));
    await expectUploaded(page, 'print-only.jar');
    await page.getByRole('button', { name: 'Run print-only.jar' }).click();
    const printForm = page.getByRole('form', { name: 'Run print-only.jar' });
    await expect(printForm.getByLabel('Entry class')).toHaveValue('com.example.PrintOnly');
    await printForm.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(printForm.getByRole('alert').filter({ hasText: 'Flink did not run the jar' })).toContainText('No jobs included in application.');
    expect((await flinkRest<FlinkJobs>(namespace, clusterId, '/jobs/overview')).jobs).toEqual([]);
    await page.getByRole('button', { name: 'Run job.jar' }).click();
  });

  await test.step('a double-clicked Run gives one job', async () => {
    await form.getByLabel('Entry class').fill('com.example.StreamingJob');
    await form.getByRole('button', { name: 'Run', exact: true }).dblclick();
    await expect(form.getByRole('status').filter({ hasText: /submitted/ })).toBeVisible({ timeout: 60_000 });
    await expect(page.getByLabel('Job StreamingJob: RUNNING')).toBeVisible({ timeout: 90_000 });
    expect((await flinkRest<FlinkJobs>(namespace, clusterId, '/jobs/overview')).jobs).toHaveLength(1);
    await expect(page.getByRole('table', { name: 'Jobs' }).getByLabel(/^Job .+: [A-Z]+$/)).toHaveCount(1);
  });
});
