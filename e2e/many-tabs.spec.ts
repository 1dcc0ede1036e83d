import type { Page } from '@playwright/test';
import { expect, saveScreenshot, test } from './fixtures';
import { jobManagerDeployment } from './support/flink-deployment';
import { kubectl } from './support/kubectl';
import { startPrivateStack, type PrivateStack } from './support/private-stack';

// 20 tabs in one browser context (one SharedWorker, one connection limit), 3 of them following a
// JobManager's log. The test counts the dashboard's open /api/live streams, so it gets an app server
// (and sim) of its own that no other test's browser talks to.
let stack: PrivateStack;
test.beforeAll(async () => {
  test.setTimeout(180_000);
  stack = await startPrivateStack();
});
test.afterAll(async () => {
  await stack?.stop();
});

type LiveStats = { streams: number; subscriptions: number; informers: number; logs: { follows: number } };
async function liveStats(): Promise<LiveStats> {
  const res = await fetch(`${stack.baseURL}/api/live/stats`);
  return (await res.json()) as LiveStats;
}

const LIST_TABS = 10;
const CLUSTER_TABS = 7;
const LOG_TABS = 3;
const CLUSTERS = 3;

/**
 * Live topics of a list tab (the clusters, their HA health), of a cluster page (its objects, its
 * jobs) and of the log tabs (their cluster's objects, and the one log they all follow).
 */
const LIST_TOPICS = 2;
const PAGE_TOPICS = 2;
const LOG_TOPICS = 2;

test('20 tabs on the list, on cluster pages and following a log stay live over one connection; a kubectl change and new log lines reach all; any tab reloads', async ({
  context,
  uniqueName,
}) => {
  // 20 tabs opened and reloaded one after another on 2 shared cores.
  test.setTimeout(900_000);
  const namespace = uniqueName('tabs');
  const kc = (args: string[], input?: string) => kubectl(args, input, stack.kubeconfig);
  await kc(['create', 'namespace', namespace]);
  const clusters = Array.from({ length: CLUSTERS }, (_, i) => `c${i}-${namespace.slice(-4)}`);
  for (const clusterId of clusters) await kc(['create', '-f', '-'], JSON.stringify(jobManagerDeployment({ clusterId, namespace })));

  // A session cluster made through the dashboard, so its JobManager runs Flink and logs.
  const logCluster = `logs-${namespace.slice(-4)}`;
  const created = await fetch(`${stack.baseURL}/api/clusters`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ clusterId: logCluster, namespace, mode: 'session' }),
  });
  expect(created.status, await created.text()).toBe(201);
  let jm = '';
  const jmSelector = `app=${logCluster},component=jobmanager`;
  await expect
    .poll(async () => (jm = (await kc(['get', 'pods', '-n', namespace, '-l', jmSelector, '-o', 'jsonpath={.items[*].metadata.name}'])).trim()), {
      timeout: 90_000,
    })
    .toMatch(/^\S+$/);
  /** The JobManager's Flink process writes `lines` lines `<marker> i of <lines>`. */
  const writeLog = (marker: string, lines: number) => stack.sim.request('POST', `/_sim/flink/logs/${namespace}/${jm}`, { lines, message: marker });
  await expect(async () => {
    await writeLog('warm-up', 1);
  }).toPass({ timeout: 90_000 });
  const logUrl = `${stack.baseURL}/clusters/${namespace}/${logCluster}/pods/${jm}/logs`;

  const listUrl = `${stack.baseURL}/clusters?namespace=${namespace}`;
  const tabs: { page: Page; clusterId?: string; log?: boolean }[] = [];
  const live = (page: Page) => page.getByRole('status').filter({ hasText: 'Live' });
  const following = (page: Page) => page.getByRole('status', { name: 'Log status' });
  const logView = (page: Page) => page.getByRole('log', { name: `Log of ${jm}` });
  // A followed log rides the one live connection: no tab asks the log route for a stream of its own.
  const ownLogStreams: string[] = [];
  context.on('request', (req) => {
    if (/\/pods\/[^/]+\/log\?/.test(req.url())) ownLogStreams.push(req.url());
  });

  await test.step('open 10 list tabs, 7 cluster-page tabs and 3 tabs following a log, one after another, each goes Live', async () => {
    for (let i = 0; i < LIST_TABS + CLUSTER_TABS + LOG_TABS; i++) {
      const page = await context.newPage();
      const log = i >= LIST_TABS + CLUSTER_TABS;
      const clusterId = log || i < LIST_TABS ? undefined : clusters[i % CLUSTERS];
      // A tab that cannot get a connection (the 7th, with one stream per tab) never loads: fail in a minute.
      await page.goto(log ? logUrl : clusterId ? `${stack.baseURL}/clusters/${namespace}/${clusterId}` : listUrl, { timeout: 60_000 });
      await expect(live(page)).toBeVisible();
      if (log) {
        await expect(following(page)).toContainText('Following');
        await expect(logView(page)).toContainText('warm-up 1 of 1');
      }
      tabs.push({ page, clusterId, log });
    }
    // One stream from the browser to the dashboard: the list's topics, each cluster page's, and the followed log's.
    await expect
      .poll(liveStats)
      .toMatchObject({ streams: 1, subscriptions: LIST_TOPICS + PAGE_TOPICS * CLUSTERS + LOG_TOPICS, logs: { follows: 1 } });
    expect(ownLogStreams).toEqual([]);
    await saveScreenshot(tabs[0].page, 'many-tabs-list');
  });

  await test.step('a kubectl change reaches every tab without a reload', async () => {
    for (const { page } of tabs) await page.evaluate(() => Object.assign(window, { __sameDocument: true }));
    const fresh = `new-${namespace.slice(-4)}`;
    await kc(['create', '-f', '-'], JSON.stringify(jobManagerDeployment({ clusterId: fresh, namespace })));
    for (const clusterId of clusters) {
      await kc(['create', 'configmap', `extra-${clusterId}`, '-n', namespace, '--from-literal=k=v']);
      await kc(['label', 'configmap', `extra-${clusterId}`, '-n', namespace, `app=${clusterId}`, 'type=flink-native-kubernetes']);
    }
    // New lines of the followed log.
    await writeLog('after-kubectl', 3);
    for (const { page, clusterId, log } of tabs) {
      if (log) await expect(logView(page)).toContainText('after-kubectl 3 of 3');
      else if (clusterId) await expect(page.getByText(`extra-${clusterId}`)).toBeVisible();
      else await expect(page.getByRole('row', { name: new RegExp(fresh) })).toBeVisible();
      await expect(live(page)).toBeVisible();
      expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    }
    // Each line once, in every log tab, though the stream reopened as tabs came and went.
    for (const { page } of tabs.filter((t) => t.log)) {
      await expect(logView(page).locator('[data-log-line]', { hasText: 'after-kubectl 2 of 3' })).toHaveCount(1);
    }
  });

  await test.step('every tab reloads and is live again; still one stream', async () => {
    for (const { page, clusterId, log } of tabs) {
      await page.reload({ timeout: 60_000 });
      await expect(live(page)).toBeVisible();
      if (log) {
        await expect(following(page)).toContainText('Following');
        await expect(logView(page)).toContainText('after-kubectl 3 of 3');
      } else if (clusterId) await expect(page.getByText(`extra-${clusterId}`)).toBeVisible();
      else await expect(page.getByRole('row', { name: new RegExp(clusters[0]) })).toBeVisible();
    }
    await expect
      .poll(liveStats)
      .toMatchObject({ streams: 1, subscriptions: LIST_TOPICS + PAGE_TOPICS * CLUSTERS + LOG_TOPICS, logs: { follows: 1 } });
    // Reloaded log tabs follow on: lines written now reach each of them.
    await writeLog('after-reload', 2);
    for (const { page } of tabs.filter((t) => t.log)) await expect(logView(page)).toContainText('after-reload 2 of 2');
    expect(ownLogStreams).toEqual([]);
  });

  await test.step('tabs that close, the first one among them, hand over: the others stay live and get changes', async () => {
    // The list tabs close, and the cluster pages of clusters[0]: their topics leave the stream.
    const closing = tabs.filter((t) => (!t.clusterId && !t.log) || t.clusterId === clusters[0]);
    for (const { page } of closing) await page.close();
    const open = tabs.filter((t) => !closing.includes(t) && !t.log);
    const logTabs = tabs.filter((t) => t.log);
    // The log tabs close too, but one: the log is still followed, once.
    for (const { page } of logTabs.slice(1)) await page.close();
    await expect
      .poll(liveStats)
      .toMatchObject({ streams: 1, subscriptions: PAGE_TOPICS * (CLUSTERS - 1) + LOG_TOPICS, logs: { follows: 1 } });
    await writeLog('one-left', 1);
    await expect(logView(logTabs[0].page)).toContainText('one-left 1 of 1');
    // The last one closes: its topics leave the stream, and the request to the API server for the log goes.
    await logTabs[0].page.close();
    await expect.poll(liveStats).toMatchObject({ streams: 1, subscriptions: PAGE_TOPICS * (CLUSTERS - 1), logs: { follows: 0 } });
    for (const clusterId of clusters.slice(1)) {
      await kc(['create', 'configmap', `later-${clusterId}`, '-n', namespace, '--from-literal=k=v']);
      await kc(['label', 'configmap', `later-${clusterId}`, '-n', namespace, `app=${clusterId}`, 'type=flink-native-kubernetes']);
    }
    for (const { page, clusterId } of open) {
      await expect(page.getByText(`later-${clusterId}`)).toBeVisible();
      await expect(live(page)).toBeVisible();
    }
    // A list tab opened now gets the list topic back on the same one connection.
    const again = await context.newPage();
    await again.goto(listUrl);
    await expect(live(again)).toBeVisible();
    await expect(again.getByRole('row', { name: new RegExp(clusters[2]) })).toBeVisible();
    await expect.poll(liveStats).toMatchObject({ streams: 1, subscriptions: LIST_TOPICS + PAGE_TOPICS * (CLUSTERS - 1) });
  });

  await test.step('the last tab closes: the connection goes', async () => {
    for (const page of context.pages()) await page.close();
    await expect.poll(liveStats, { timeout: 30_000 }).toMatchObject({ streams: 0, subscriptions: 0, logs: { follows: 0 } });
  });
});
