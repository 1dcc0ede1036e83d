import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, saveScreenshot, test } from './fixtures';

// axe-core (WCAG 2.0/2.1 A and AA, and best practices) on the three pages a new user sees first,
// with real content from the sim: the cluster list with a cluster, the create form, and the
// cluster page with its pods and events. Then the layout at 800 px (the sidebar collapses to a
// menu button; nothing scrolls sideways) and at 390 px.
test.describe.configure({ timeout: 180_000 });

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

type AxeResults = Awaited<ReturnType<AxeBuilder['analyze']>>;
type Violation = AxeResults['violations'][number];

/** One readable block per violation: impact, rule, help, and each offending element. */
function describeViolations(where: string, violations: Violation[]): string {
  const lines = [`${violations.length} serious/critical accessibility violation(s) on ${where}:`];
  for (const v of violations) {
    lines.push('', `[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`);
    for (const node of v.nodes) {
      lines.push(`  at ${node.target.join(' ')}`, `    ${node.html.slice(0, 200)}`);
      const summary = node.failureSummary?.split('\n').map((l) => `    ${l.trim()}`);
      if (summary) lines.push(...summary);
    }
  }
  return lines.join('\n');
}

async function expectNoSeriousViolations(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  // Soft: one run reports every page's findings.
  expect.soft(serious.length, describeViolations(where, serious)).toBe(0);
}

/** The page itself never scrolls sideways (wide content scrolls inside its own container). */
async function expectNoHorizontalPageScroll(page: Page, where: string): Promise<void> {
  const { scrollWidth, clientWidth, widest } = await page.evaluate(() => {
    const clientWidth = document.documentElement.clientWidth;
    // The outermost elements that reach past the window's right edge, to name the culprit.
    const widest = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > clientWidth + 1 && !(el.parentElement && el.parentElement.getBoundingClientRect().right > clientWidth + 1))
      .slice(0, 3)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (right edge ${Math.round(el.getBoundingClientRect().right)} px)`);
    return { scrollWidth: document.documentElement.scrollWidth, clientWidth, widest };
  });
  expect
    .soft(scrollWidth, `${where}: the page is ${scrollWidth}px wide in a ${clientWidth}px window; too wide: ${widest.join('; ')}`)
    .toBeLessThanOrEqual(clientWidth);
}

async function openList(page: Page, namespace: string, clusterId: string) {
  await page.goto(`/clusters?namespace=${namespace}`);
  await expect(page.getByRole('row', { name: new RegExp(clusterId) })).toContainText('1/1');
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
}

/** The form with a cluster id filled in, so its YAML preview and CLI command show. */
async function openForm(page: Page, namespace: string, clusterId: string) {
  await page.goto(`/clusters/new?namespace=${namespace}`);
  await expect(page.getByRole('heading', { name: 'New Flink cluster' })).toBeVisible();
  await page.getByLabel('Cluster id').fill(clusterId);
  await expect(page.getByLabel('YAML preview')).toContainText(`name: ${clusterId}`);
}

async function openClusterPage(page: Page, namespace: string, clusterId: string) {
  await page.goto(`/clusters/${namespace}/${clusterId}`);
  await expectClusterPageLoaded(page);
}

async function expectClusterPageLoaded(page: Page) {
  await expect(page.getByLabel('JobManager phase: Running')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('table', { name: 'Pods' }).getByRole('row')).not.toHaveCount(1);
  await expect(page.getByRole('list', { name: 'Events' }).getByRole('listitem').first()).toBeVisible();
}

test('the list, the form and the cluster page pass axe and fit 800 px and 390 px', async ({ page, namespace, uniqueName }) => {
  const clusterId = uniqueName('a11y');
  await page.setViewportSize({ width: 1280, height: 900 });

  await test.step('the create form at 1280 px', async () => {
    await openForm(page, namespace, clusterId);
    await expectNoSeriousViolations(page, 'the create form');
    await saveScreenshot(page, 'a11y-form-1280');
  });

  await test.step('the cluster page at 1280 px, with pods and events', async () => {
    await page.getByRole('button', { name: 'Create session cluster' }).click();
    await expect(page).toHaveURL(new RegExp(`/clusters/${namespace}/${clusterId}`), { timeout: 45_000 });
    await expectClusterPageLoaded(page);
    await expectNoSeriousViolations(page, 'the cluster page');
    await saveScreenshot(page, 'a11y-cluster-1280');
  });

  await test.step('the cluster list at 1280 px', async () => {
    await openList(page, namespace, clusterId);
    await expectNoSeriousViolations(page, 'the cluster list');
    await saveScreenshot(page, 'a11y-list-1280');
  });

  for (const width of [800, 390]) {
    await test.step(`the three pages at ${width} px`, async () => {
      await page.setViewportSize({ width, height: 900 });
      await openList(page, namespace, clusterId);
      await expectNoHorizontalPageScroll(page, `the cluster list at ${width}px`);
      await expectNoSeriousViolations(page, `the cluster list at ${width}px`);
      await saveScreenshot(page, `a11y-list-${width}`);

      await openForm(page, namespace, `${clusterId}-2`);
      await expectNoHorizontalPageScroll(page, `the create form at ${width}px`);
      await expectNoSeriousViolations(page, `the create form at ${width}px`);
      await saveScreenshot(page, `a11y-form-${width}`);

      await openClusterPage(page, namespace, clusterId);
      await expectNoHorizontalPageScroll(page, `the cluster page at ${width}px`);
      await expectNoSeriousViolations(page, `the cluster page at ${width}px`);
      await saveScreenshot(page, `a11y-cluster-${width}`);
    });
  }
});

test('below the breakpoint the sidebar is a menu button that opens it by keyboard', async ({ page, namespace }) => {
  await page.setViewportSize({ width: 800, height: 700 });
  await page.goto(`/clusters?namespace=${namespace}`);
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  const menu = page.getByRole('button', { name: 'Menu', exact: true });
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(nav).toBeHidden();

  // Keyboard only: the menu button is the second stop, after the logo link.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(menu).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await expect(nav).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Clusters', exact: true })).toBeFocused();
  await expectNoSeriousViolations(page, 'the open menu at 800px');
  await saveScreenshot(page, 'a11y-menu-open-800');

  // Escape closes it and gives focus back to the button.
  await page.keyboard.press('Escape');
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(nav).toBeHidden();
  await expect(menu).toBeFocused();

  // Tabbing past the last link closes it too.
  await page.keyboard.press('Enter');
  await expect(nav.getByRole('link', { name: 'Clusters', exact: true })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(nav.getByRole('link', { name: 'New cluster' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(nav.getByRole('link', { name: 'Leftover HA data' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(nav).toBeHidden();

  // A link in the open menu navigates and closes the menu.
  await menu.click();
  await nav.getByRole('link', { name: 'New cluster' }).click();
  await expect(page.getByRole('heading', { name: 'New Flink cluster' })).toBeVisible();
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(nav).toBeHidden();

  // At 1280 px the sidebar is always there and there is no menu button.
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(nav).toBeVisible();
  await expect(menu).toBeHidden();
});
