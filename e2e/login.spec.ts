import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { kubectl } from './support/kubectl';
import { root } from './support/processes';
import { startPrivateStack, type PrivateStack } from './support/private-stack';

// Static-token sign-in in a browser, with an app server of its own in token mode and the tokens
// Secret created in its sim with kubectl from scripts/mint-token.mjs's output.
const ns = 'dashboard-auth';
let stack: PrivateStack;
let token: string;

test.beforeAll(async () => {
  stack = await startPrivateStack({
    env: {
      FLINK_DASHBOARD_AUTH: 'token',
      FLINK_DASHBOARD_SESSION_SECRET: 'e2e-login-session-secret-0123456789abcdef',
      FLINK_DASHBOARD_TOKENS_SECRET: `${ns}/dashboard-tokens`,
    },
    readyPath: '/api/auth/session',
  });
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(root, 'scripts', 'mint-token.mjs'), 'alice', '--group', 'team-a', '--group', 'viewers', '--secret', `${ns}/dashboard-tokens`]);
  token = /^\s+(fdt_[A-Za-z0-9_-]{43})$/m.exec(stdout)![1];
  const entry = /^\s+(\{"user":.*\})$/m.exec(stdout)![1];
  await kubectl(['create', 'namespace', ns], undefined, stack.kubeconfig);
  await kubectl(['-n', ns, 'create', 'secret', 'generic', 'dashboard-tokens', `--from-literal=alice=${entry}`], undefined, stack.kubeconfig);
});

test.afterAll(async () => {
  await stack?.stop();
});

test('sign in with a static token, use the API, sign out', async ({ page, browser }) => {
  await page.goto(`${stack.baseURL}/clusters`);
  await expect(page).toHaveURL(`${stack.baseURL}/login?next=%2Fclusters`);
  await expect(page.getByRole('heading', { name: 'Sign in to Flink Native Dashboard' })).toBeVisible();
  expect((await page.request.get(`${stack.baseURL}/api/contexts`)).status()).toBe(401);

  // A wrong token gets a plain error.
  await page.getByLabel('Access token').fill('fdt_this-is-not-a-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('#token-error')).toHaveText('That token is not valid. Check that you copied it whole, or ask for a new one.');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: test.info().outputPath('login-1280.png') });
  await page.setViewportSize({ width: 390, height: 800 });
  await page.screenshot({ path: test.info().outputPath('login-390.png') });
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${stack.baseURL}/clusters`);
  const me = page.getByRole('region', { name: 'Signed in user' });
  await expect(me.getByTestId('user-name')).toHaveText('alice');
  await expect(me).toContainText('Groups: team-a, viewers');
  await page.screenshot({ path: test.info().outputPath('signed-in-1280.png') });

  const contexts = await page.request.get(`${stack.baseURL}/api/contexts`);
  expect(contexts.status()).toBe(200);
  expect(((await contexts.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
  const cookie = (await page.context().cookies()).find((c) => c.name === 'fd_session');
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

  await me.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(`${stack.baseURL}/login`);
  expect((await page.request.get(`${stack.baseURL}/api/contexts`)).status()).toBe(401);
  await page.goto(`${stack.baseURL}/clusters/new`);
  await expect(page).toHaveURL(`${stack.baseURL}/login?next=%2Fclusters%2Fnew`);

  // A copy of the signed-out cookie is useless too.
  const other = await browser.newContext();
  try {
    await other.addCookies([{ name: 'fd_session', value: cookie!.value, url: stack.baseURL }]);
    const res = await other.request.get(`${stack.baseURL}/api/contexts`);
    expect(res.status()).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: 'This session was signed out. Sign in at /login.' } });
  } finally {
    await other.close();
  }
});

test('the mobile sidebar shows the user behind Menu', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto(`${stack.baseURL}/login`);
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${stack.baseURL}/clusters`);
  await page.getByRole('button', { name: 'Menu' }).click();
  await expect(page.getByRole('region', { name: 'Signed in user' }).getByTestId('user-name')).toHaveText('alice');
  await page.screenshot({ path: test.info().outputPath('signed-in-390.png') });
});

test('without sign-in (mode none, against the sim) the sidebar says that everyone acts as the dashboard', async ({ page }) => {
  const base = process.env.E2E_BASE_URL!;
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${base}/clusters`);
  await expect(page).toHaveURL(`${base}/clusters`);
  const note = page.getByRole('note', { name: 'No login' });
  await expect(note).toHaveText("No loginEveryone who reaches this page acts with the dashboard's own Kubernetes credentials.");
  await expect(page.getByRole('region', { name: 'Signed in user' })).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('none-1280.png') });
  await page.goto(`${base}/login`);
  await expect(page).toHaveURL(`${base}/clusters`);
});
