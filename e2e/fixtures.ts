import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { test as base, type Page } from '@playwright/test';
import { kubectl } from './support/kubectl';
import { root } from './support/processes';

export { expect } from '@playwright/test';

const screenshotDir = path.join(root, 'test-results', 'screenshots');

/** Saves a full-page screenshot of a state under test-results/screenshots (looked at by people). */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

function uniqueName(prefix: string, workerIndex: number): string {
  return `${prefix}-w${workerIndex}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

export const test = base.extend<{ namespace: string; uniqueName: (prefix: string) => string }>({
  baseURL: async ({}, provide) => {
    const url = process.env.E2E_BASE_URL;
    if (!url) throw new Error('E2E_BASE_URL is not set: the global setup did not run');
    await provide(url);
  },
  uniqueName: async ({}, provide, testInfo) => {
    await provide((prefix) => uniqueName(prefix, testInfo.workerIndex));
  },
  /** A fresh namespace per test, deleted afterwards, so tests never see each other's clusters. */
  namespace: async ({}, provide, testInfo) => {
    const name = uniqueName('e2e', testInfo.workerIndex);
    await kubectl(['create', 'namespace', name]);
    await provide(name);
    // The API server may be restarting (the disruptive test): retry for a while.
    for (let attempt = 1; ; attempt++) {
      try {
        await kubectl(['delete', 'namespace', name, '--wait=false']);
        break;
      } catch (err) {
        if (attempt >= 15) throw err;
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
  },
});
