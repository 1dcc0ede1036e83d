import type { Page } from '@playwright/test';
import { expect, saveScreenshot, test } from './fixtures';
import { jobManagerDeployment } from './support/flink-deployment';
import { kubectl } from './support/kubectl';
import { startPrivateStack, type PrivateStack } from './support/private-stack';

// 20 tabs in one browser context (one SharedWorker, one connection limit). The test counts the
// dashboard's open /api/live streams, so it gets an app server (and sim) of its own that no other
// test's browser talks to.
let stack: PrivateStack;
test.beforeAll(async () => {
  test.setTimeout(180_000);
  stack = await startPrivateStack();
});
test.afterAll(async () => {
  await stack?.stop();
});

type LiveStats = { streams: number; subscriptions: number; informers: number };
async function liveStats(): Promise<LiveStats> {
  const res = await fetch(`${stack.baseURL}/api/live/stats`);
  return (await res.json()) as LiveStats;
}

const LIST_TABS = 10;
const CLUSTER_TABS = 10;
const CLUSTERS = 3;

/** Live topics of a list tab (the clusters, their HA health) and of a cluster page (its objects, its jobs). */
const LIST_TOPICS = 2;
const PAGE_TOPICS = 2;

test('20 tabs on the list and on cluster pages stay live over one connection; a kubectl change reaches all; any tab reloads', async ({
  context,
  uniqueName,
}) => {
  test.setTimeout(600_000);
  const namespace = uniqueName('tabs');
  const kc = (args: string[], input?: string) => kubectl(args, input, stack.kubeconfig);
  await kc(['create', 'namespace', namespace]);
  const clusters = Array.from({ length: CLUSTERS }, (_, i) => `c${i}-${namespace.slice(-4)}`);
  for (const clusterId of clusters) await kc(['create', '-f', '-'], JSON.stringify(jobManagerDeployment({ clusterId, namespace })));

  const listUrl = `${stack.baseURL}/clusters?namespace=${namespace}`;
  const tabs: { page: Page; clusterId?: string }[] = [];
  const live = (page: Page) => page.getByRole('status').filter({ hasText: 'Live' });

  await test.step('open 10 list tabs and 10 cluster-page tabs, one after another, each goes Live', async () => {
    for (let i = 0; i < LIST_TABS + CLUSTER_TABS; i++) {
      const page = await context.newPage();
      const clusterId = i < LIST_TABS ? undefined : clusters[i % CLUSTERS];
      // A tab that cannot get a connection (the 7th, with one stream per tab) never loads: fail in a minute.
      await page.goto(clusterId ? `${stack.baseURL}/clusters/${namespace}/${clusterId}` : listUrl, { timeout: 60_000 });
      await expect(live(page)).toBeVisible();
      tabs.push({ page, clusterId });
    }
    // One stream from the browser to the dashboard: the list's topics and each cluster page's.
    await expect.poll(liveStats).toMatchObject({ streams: 1, subscriptions: LIST_TOPICS + PAGE_TOPICS * CLUSTERS });
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
    for (const { page, clusterId } of tabs) {
      if (clusterId) await expect(page.getByText(`extra-${clusterId}`)).toBeVisible();
      else await expect(page.getByRole('row', { name: new RegExp(fresh) })).toBeVisible();
      await expect(live(page)).toBeVisible();
      expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    }
  });

  await test.step('every tab reloads and is live again; still one stream', async () => {
    for (const { page, clusterId } of tabs) {
      await page.reload({ timeout: 60_000 });
      await expect(live(page)).toBeVisible();
      if (clusterId) await expect(page.getByText(`extra-${clusterId}`)).toBeVisible();
      else await expect(page.getByRole('row', { name: new RegExp(clusters[0]) })).toBeVisible();
    }
    await expect.poll(liveStats).toMatchObject({ streams: 1, subscriptions: LIST_TOPICS + PAGE_TOPICS * CLUSTERS });
  });

  await test.step('tabs that close, the first one among them, hand over: the others stay live and get changes', async () => {
    // The list tabs close, and the cluster pages of clusters[0]: their topics leave the stream.
    const closing = tabs.filter((t) => !t.clusterId || t.clusterId === clusters[0]);
    for (const { page } of closing) await page.close();
    const open = tabs.filter((t) => !closing.includes(t));
    await expect.poll(liveStats).toMatchObject({ streams: 1, subscriptions: PAGE_TOPICS * (CLUSTERS - 1) });
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
    await expect.poll(liveStats, { timeout: 30_000 }).toMatchObject({ streams: 0, subscriptions: 0 });
  });
});
