import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { Locator, Page } from '@playwright/test';
import { expect, saveScreenshot, test } from './fixtures';
import { testJar } from './support/jar-files';
import { kubectl } from './support/kubectl';
import { freePort, root, spawnGroup, startSim, stopProcess, waitForHttp } from './support/processes';

// High availability from the browser: an HA session cluster with two JobManagers made with the form,
// running a job; the leader card naming the leader and the standby; "Test failover" moving the
// leadership, live; the failover timeline measuring the recovery; and the timeline still there after
// the dashboard restarts (it is kept in Kubernetes). The sim runs Flink's real election timings
// (lease 15 s, retry 5 s, JobManager start-up 10 s). The test owns its sim and app server (the
// build the global setup made, `next start`), so it can restart the dashboard.
test.describe.configure({ timeout: 480_000 });

type Stack = { kubeconfig: string; port: number; baseURL: string; app?: ChildProcess; sim: ChildProcess; dataDir: string };

async function startApp(stack: Stack): Promise<void> {
  const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
  stack.app = spawnGroup(process.execPath, [nextBin, 'start', '-p', String(stack.port)], { ...process.env, FLINK_DASHBOARD_KUBECONFIG: stack.kubeconfig });
  await waitForHttp(`${stack.baseURL}/api/contexts`, stack.app, 120_000);
}

async function startStack(): Promise<Stack> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'flink-dash-ha-'));
  const started = await startSim(path.join(dataDir, 'sim'));
  const port = await freePort();
  const stack: Stack = { kubeconfig: path.resolve(root, started.info.kubeconfig), port, baseURL: `http://127.0.0.1:${port}`, sim: started.child, dataDir };
  try {
    await startApp(stack);
  } catch (err) {
    await stopStack(stack);
    throw err;
  }
  return stack;
}

async function stopStack(stack: Stack): Promise<void> {
  await stopProcess(stack.app);
  await stopProcess(stack.sim);
  rmSync(stack.dataDir, { recursive: true, force: true });
}

/** The pod whose IP the restserver leader entry of the HA ConfigMap names (what Flink publishes). */
async function leaderPodFromKubernetes(kubeconfig: string, namespace: string, clusterId: string): Promise<string | undefined> {
  const entry = await kubectl(['get', 'configmap', `${clusterId}-cluster-config-map`, '-n', namespace, '-o', 'jsonpath={.data.org\\.apache\\.flink\\.k8s\\.leader\\.restserver}'], undefined, kubeconfig).catch(() => '');
  const ip = /^[^,]+,http:\/\/([^:]+):/.exec(entry)?.[1];
  if (!ip) return undefined;
  const pods = await kubectl(['get', 'pods', '-n', namespace, '-l', `app=${clusterId},component=jobmanager`, '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.podIP}{"\\n"}{end}'], undefined, kubeconfig);
  return pods.split('\n').map((l) => l.split(' ')).find(([, podIP]) => podIP === ip)?.[0];
}

/** The jobs Flink itself lists (its REST API through the API server's service proxy), out of band of the UI. */
async function flinkJobs(kubeconfig: string, namespace: string, clusterId: string): Promise<{ jid: string; state: string }[]> {
  const raw = await kubectl(['get', '--raw', `/api/v1/namespaces/${namespace}/services/${clusterId}-rest:rest/proxy/jobs/overview`], undefined, kubeconfig).catch(() => '{"jobs":[]}');
  return (JSON.parse(raw) as { jobs: { jid: string; state: string }[] }).jobs.map(({ jid, state }) => ({ jid, state }));
}

/** The dashboard's timeline Events on the Deployment, by reason. */
async function timelineEvents(kubeconfig: string, namespace: string, clusterId: string): Promise<Record<string, number>> {
  const raw = await kubectl(['get', 'events', '-n', namespace, '--field-selector', `involvedObject.name=${clusterId},involvedObject.kind=Deployment`, '-o', 'json'], undefined, kubeconfig);
  const counts: Record<string, number> = {};
  for (const e of (JSON.parse(raw) as { items: { reason: string; reportingComponent?: string }[] }).items) {
    if (e.reportingComponent === 'flink-native-dashboard') counts[e.reason] = (counts[e.reason] ?? 0) + 1;
  }
  return counts;
}

/** The measured times of the FailoverRecovered Event the dashboard wrote (its annotation). */
async function recoveredEvent(kubeconfig: string, namespace: string, clusterId: string): Promise<{ toLeaderMs: number; toRunningMs: number } | undefined> {
  const raw = await kubectl(['get', 'events', '-n', namespace, '--field-selector', `involvedObject.name=${clusterId},reason=FailoverRecovered`, '-o', 'json'], undefined, kubeconfig);
  const item = (JSON.parse(raw) as { items: { metadata: { annotations?: Record<string, string> } }[] }).items[0];
  const text = item?.metadata.annotations?.['flink-native-dashboard/ha-timeline'];
  return text ? (JSON.parse(text) as { toLeaderMs: number; toRunningMs: number }) : undefined;
}

/** As the timeline shows a duration. */
function shown(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

async function sectionScreenshot(section: Locator, name: string) {
  await section.screenshot({ path: path.join(root, 'test-results', 'screenshots', `${name}.png`) });
}

/** The timeline's one failover with both recovery times measured. */
async function expectOneRecoveredFailover(timeline: Locator, leaderPod: string, newLeaderPod: string) {
  const failovers = timeline.getByRole('list', { name: 'Failovers' });
  await expect(failovers.locator(':scope > li')).toHaveCount(1, { timeout: 60_000 });
  await expect(failovers).toContainText(`Leader lost: Test failover deleted ${leaderPod}`);
  await expect(timeline.getByLabel('Time to new leader')).toHaveText(new RegExp(`^\\d+(\\.\\d)? s · ${newLeaderPod}$`), { timeout: 60_000 });
  await expect(timeline.getByLabel('Time to every job RUNNING')).toHaveText(/^\d+(\.\d)? s · 1 job$/, { timeout: 90_000 });
}

/** Nothing of the timeline is wider than the window. */
async function expectTimelineFits(page: Page) {
  const wide = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const section = document.querySelector('section[aria-labelledby="failover-timeline-heading"]')!;
    return [...section.querySelectorAll('*')].filter((e) => e.getBoundingClientRect().right > width + 1).map((e) => e.outerHTML.slice(0, 80));
  });
  expect(wide).toEqual([]);
}

test('an HA cluster running a job: Test failover moves the leadership without a reload, the timeline measures the recovery and survives a dashboard restart', async ({ page, uniqueName }) => {
  const stack = await startStack();
  try {
    await haFlow(page, stack, uniqueName('ha'));
  } finally {
    await stopStack(stack);
  }
});

async function haFlow(page: Page, stack: Stack, clusterId: string) {
  const { kubeconfig, baseURL } = stack;
  const namespace = `ha-${Date.now().toString(36)}`;
  await kubectl(['create', 'namespace', namespace], undefined, kubeconfig);
  await page.goto(`${baseURL}/clusters/new?namespace=${namespace}`);
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
  await expect.poll(() => leaderPodFromKubernetes(kubeconfig, namespace, clusterId)).toBe(before.leader);
  await expect(page.getByLabel('JobManager pod name')).toHaveText(before.leader);
  await expect(card.getByRole('alert')).toHaveCount(0);
  await saveScreenshot(page, 'ha-leader-card');

  // A job runs on the cluster: a jar uploaded to the leader and run from the page.
  await page.getByLabel('Jar file').setInputFiles({ name: 'ha-job.jar', mimeType: 'application/java-archive', buffer: testJar('com.example.HaJob') });
  await expect(page.getByRole('status').filter({ hasText: 'Uploaded ha-job.jar' })).toBeVisible({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Run ha-job.jar' }).click();
  const form = page.getByRole('form', { name: 'Run ha-job.jar' });
  await form.getByRole('button', { name: 'Run', exact: true }).click();
  const submitted = form.getByRole('status').filter({ hasText: /Job [0-9a-f]{32} submitted/ });
  await expect(submitted).toBeVisible({ timeout: 60_000 });
  const jobId = /Job ([0-9a-f]{32})/.exec((await submitted.textContent()) ?? '')![1];
  const jobRunning = page.getByRole('table', { name: 'Jobs' }).getByLabel('Job HaJob: RUNNING');
  await expect(jobRunning).toBeVisible({ timeout: 90_000 });
  const timeline = page.getByRole('region', { name: 'Failover timeline' });
  await expect(timeline).toContainText('No failover recorded.');
  // The recorder has seen the job run and the first election (it records what it finds when it starts).
  await expect(timeline.getByRole('list', { name: 'Other observations' })).toContainText(/Job HaJob: (\w+ → )?RUNNING/);
  await expect(timeline.getByRole('list', { name: 'Other observations' })).toContainText(`${before.leader} became the leader`);

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
  await expect.poll(() => leaderPodFromKubernetes(kubeconfig, namespace, clusterId)).toBe(before.standby);
  await expect(page.getByLabel('JobManager pod name')).toHaveText(before.standby);
  await saveScreenshot(page, 'ha-after-failover');

  // The timeline: one failover, from the deletion to the new leader and to the job RUNNING again.
  await expectOneRecoveredFailover(timeline, before.leader, before.standby);
  // The job kept its id (recovered from the HA store by the new leader) and runs again.
  await expect(jobRunning).toBeVisible({ timeout: 60_000 });
  await expect.poll(() => flinkJobs(kubeconfig, namespace, clusterId), { timeout: 60_000 }).toEqual([{ jid: jobId, state: 'RUNNING' }]);
  await timeline.scrollIntoViewIfNeeded();
  await saveScreenshot(page, 'ha-failover-timeline');
  await expectTimelineFits(page);
  await sectionScreenshot(timeline, 'ha-failover-timeline-section');
  await page.setViewportSize({ width: 390, height: 900 });
  await expectTimelineFits(page);
  await sectionScreenshot(timeline, 'ha-failover-timeline-390');
  await page.setViewportSize({ width: 1280, height: 900 });
  // The Deployment's replacement pod becomes the new standby once its JobManager runs.
  await expect(standby).toHaveText(podName, { timeout: 90_000 });
  await expect(standby).not.toHaveText(before.leader);
  expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
  await saveScreenshot(page, 'ha-new-standby');
  // Kept in Kubernetes: one Event per observation on the Deployment, including the summary.
  await expect.poll(() => timelineEvents(kubeconfig, namespace, clusterId), { timeout: 30_000 }).toMatchObject({ TestFailover: 1, LeaderChanged: 2, FailoverRecovered: 1 });
  // The summary Event measured the same recovery as the page (from the Test failover, not the pod's whole-second deletionTimestamp).
  const recovered = (await recoveredEvent(kubeconfig, namespace, clusterId))!;
  await expect(timeline.getByLabel('Time to new leader')).toHaveText(`${shown(recovered.toLeaderMs)} · ${before.standby}`);
  await expect(timeline.getByLabel('Time to every job RUNNING')).toHaveText(`${shown(recovered.toRunningMs)} · 1 job`);

  // Restart the dashboard: the new process has no memory of the failover; the timeline is still there.
  await stopProcess(stack.app);
  await startApp(stack);
  await page.goto(`${baseURL}/clusters/${namespace}/${clusterId}`);
  await expect(card.getByLabel('Leadership: leading')).toBeVisible({ timeout: 60_000 });
  await expectOneRecoveredFailover(timeline, before.leader, before.standby);
  await sectionScreenshot(timeline, 'ha-failover-timeline-after-restart');
  // The restarted recorder saw the same things again and wrote nothing twice (409 AlreadyExists).
  expect(await timelineEvents(kubeconfig, namespace, clusterId)).toMatchObject({ TestFailover: 1, LeaderChanged: 2, FailoverRecovered: 1 });

  // The cluster list marks the cluster: HA, a leader and one standby.
  await page.goto(`${baseURL}/clusters?namespace=${namespace}`);
  const row = page.getByRole('row', { name: new RegExp(clusterId) });
  await expect(row.getByLabel('HA: leader and 1 standby')).toBeVisible({ timeout: 30_000 });
  await saveScreenshot(page, 'ha-cluster-list');
}
