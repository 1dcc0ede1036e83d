import type { Page } from '@playwright/test';
import { expect, saveScreenshot, test } from './fixtures';
import { kubectl } from './support/kubectl';

// The create form's messages and aids, against the simulated cluster: a taken id said once on one
// counted field, plain sentences before Kubernetes' and Flink's wording, nothing red before it was
// touched, the CLI preview's lines, and the example jars of the image.

async function openForm(page: Page, namespace: string) {
  await page.goto(`/clusters/new?namespace=${namespace}`);
  await expect(page.getByRole('heading', { name: 'New Flink cluster' })).toBeVisible();
}

test('a taken id is said once, in plain words, and counts as one field', async ({ page, namespace }) => {
  await kubectl(['create', 'deployment', 'taken', '-n', namespace, '--image=flink:1.20']);
  await kubectl(['create', 'service', 'clusterip', 'taken-rest', '-n', namespace, '--tcp=8081:8081']);
  await openForm(page, namespace);
  await page.getByLabel('Cluster id').fill('taken');
  const message = `A cluster named taken already exists in namespace ${namespace}: Deployment taken and Service taken-rest. Choose another cluster id, or delete that cluster first.`;
  await expect(page.getByText(message, { exact: true })).toBeVisible();
  await expect(page.getByLabel('Cluster id')).toHaveAttribute('aria-invalid', 'true');

  await page.getByRole('button', { name: 'Create session cluster' }).click();
  // The create answered (409): its alert is there, and the field still says it once.
  await expect(page.getByRole('alert').filter({ hasText: 'The cluster was not created' })).toBeVisible();
  await expect(page.getByText(message, { exact: true })).toHaveCount(1);
  await expect(page.getByRole('form', { name: 'New Flink cluster' })).not.toContainText(' · ');
  await expect(page.getByText('1 field needs attention.')).toBeVisible();
  await saveScreenshot(page, 'create-form-polish-taken-id');
});

test('errors lead with what to type; the Kubernetes and Flink wording stays as a detail', async ({ page, namespace }) => {
  await openForm(page, namespace);
  const id = page.getByLabel('Cluster id');
  await id.fill('Bad_ID');
  const idErrors = await errorsOf(page, 'Cluster id');
  await expect(idErrors.locator('p').first()).toHaveText(
    /^A cluster id must be lowercase and may not contain '_'\. Use lowercase letters, digits and '-', starting with a letter and ending with a letter or digit, at most 45 characters\.Details: a DNS-1035 label must consist of lower case alphanumeric characters/,
  );

  await page.getByText('TaskManagers', { exact: true }).click();
  const tmMemory = page.getByLabel('TaskManager memory', { exact: true });
  await tmMemory.fill('100Mi');
  const tmErrors = await errorsOf(page, 'TaskManager memory');
  await expect(tmErrors).toContainText('TaskManager memory must be at least 982Mi for these settings.');
  await expect(tmErrors).toContainText('Details: TaskManager memory configuration failed: Sum of configured JVM Metaspace');
  // The named minimum works; one MiB less does not.
  await tmMemory.fill('982Mi');
  await expect(tmMemory).toHaveAttribute('aria-invalid', 'false');
  await tmMemory.fill('981Mi');
  await expect(tmMemory).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('TaskManager memory must be at least 982Mi for these settings.')).toBeVisible();

  await page.locator('summary').filter({ hasText: /^JobManagercpu, memory/ }).click();
  const jmMemory = page.getByLabel('JobManager memory', { exact: true });
  await jmMemory.fill('lots');
  const jmErrors = await errorsOf(page, 'JobManager memory');
  await expect(jmErrors.locator('p')).toHaveText([/^Type a memory size such as 1728Mi or 2Gi\.Details: memory: quantities must match the regular expression/]);
  await expect(page.getByText('3 fields need attention.')).toBeVisible();
  await page.getByRole('button', { name: 'Create session cluster' }).click();
  await expect(page.getByText('3 fields need attention.')).toBeVisible();
  await saveScreenshot(page, 'create-form-polish-session-errors');
  expect(await kubectl(['get', 'deployments', '-n', namespace, '-o', 'name'])).toBe('');
});

test('application mode: an honest headline, nothing red before typing, example jars and the CLI lines', async ({ page, namespace }) => {
  await openForm(page, namespace);
  await page.getByRole('radio', { name: /Application cluster/ }).check();
  await expect(page.getByText('An application cluster runs one job: enter a cluster id and the jar URI; every other field has a default.')).toBeVisible();
  await expect(page.getByText('a cluster id is enough')).toHaveCount(0);
  const form = page.getByRole('form', { name: 'New Flink cluster' });
  await expect(form.locator('[aria-invalid="true"]')).toHaveCount(0);
  await expect(form.getByText('Needs attention')).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Preview' })).toContainText('Enter a cluster id and the jar URI to see what will be created.');
  await saveScreenshot(page, 'create-form-polish-application-untouched');

  await page.getByLabel('Cluster id').fill('app-polish');
  await expect(form.locator('[aria-invalid="true"]')).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Preview' })).toContainText('Enter the jar URI to see what will be created.');

  // The example jars of the chosen version's image: offered in the field's list and as buttons.
  const jar = page.getByLabel('Jar URI');
  const listId = await jar.getAttribute('list');
  const offered = () => page.locator(`datalist[id="${listId}"] option`).evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  await expect.poll(offered).toContain('local:///opt/flink/examples/streaming/StateMachineExample.jar');
  await expect.poll(offered).toContain('local:///opt/flink/examples/batch/WordCount.jar');
  await page.getByLabel('Flink version').selectOption('2.1');
  await expect.poll(offered).not.toContain('local:///opt/flink/examples/batch/WordCount.jar');
  await expect.poll(offered).toContain('local:///opt/flink/examples/streaming/TopSpeedWindowing.jar');
  await page.getByRole('group', { name: 'Example jars in the Flink 2.1 image' }).getByRole('button', { name: 'TopSpeedWindowing' }).click();
  await expect(jar).toHaveValue('local:///opt/flink/examples/streaming/TopSpeedWindowing.jar');

  // The CLI: an option and its value on one line, continuation backslashes, nothing cut off.
  await page.getByLabel('Parallelism').fill('2');
  const longJar = `local:///opt/flink/usrlib/${'a-rather-long-directory-name/'.repeat(5)}my-streaming-job-1.0-SNAPSHOT.jar`;
  await jar.fill(longJar);
  const command = page.getByLabel('Flink command');
  await expect(command).toContainText(longJar);
  const lines = (await command.textContent())?.split('\n') ?? [];
  expect(lines[0]).toBe('./bin/flink run \\');
  expect(lines).toContain('    -t kubernetes-application \\');
  expect(lines).toContain('    -p 2 \\');
  expect(lines).toContain('    -Dkubernetes.cluster-id=app-polish \\');
  expect(lines.at(-1)).toBe(`    ${longJar}`);
  // Long values wrap inside the panel: no horizontal overflow, the jar line's box lies inside.
  expect(await command.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  const preview = await page.getByRole('region', { name: 'Preview' }).boundingBox();
  const jarLine = await command.locator('span', { hasText: 'my-streaming-job-1.0-SNAPSHOT.jar' }).boundingBox();
  expect(preview && jarLine && jarLine.x + jarLine.width <= preview.x + preview.width).toBe(true);
  await saveScreenshot(page, 'create-form-polish-application');

  // Touched and emptied, the jar is marked; a submit counts it.
  await jar.fill('');
  await expect(jar).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Enter the jar URI of the job, such as local:///opt/flink/usrlib/my-job.jar, or pick an example jar of the image.')).toBeVisible();
  await page.getByRole('button', { name: 'Create application cluster' }).click();
  await expect(page.getByText('1 field needs attention.')).toBeVisible();
  await saveScreenshot(page, 'create-form-polish-application-errors');
});

/** The error block a labelled control points at (its aria-describedby "…-error"), once it is marked. */
async function errorsOf(page: Page, label: string) {
  const control = page.getByLabel(label, { exact: true });
  await expect(control).toHaveAttribute('aria-invalid', 'true');
  const describedBy = await control.getAttribute('aria-describedby');
  const id = describedBy?.split(' ').find((x) => x.endsWith('-error'));
  if (!id) throw new Error(`${label} has no error block (aria-describedby=${describedBy})`);
  return page.locator(`[id="${id}"]`);
}
