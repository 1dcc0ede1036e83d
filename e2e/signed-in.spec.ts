import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, request as playwrightRequest, test, type Page } from '@playwright/test';
import { kubectl } from './support/kubectl';
import { root } from './support/processes';
import { startPrivateStack, type PrivateStack } from './support/private-stack';

// Issue 13 signed in, end to end: one private sim and app server in token mode. RBAC is bound in the
// sim with kubectl as a cluster administrator would: group flink-admins gets the built-in ClusterRole
// admin in the namespace (enough to create a cluster and its ServiceAccount flink, lib/k8s/clusters/RBAC.md),
// group flink-viewers gets view. Every Kubernetes request runs as the signed-in user, so the sim's RBAC
// decides, and the audit Events name the user.
test.describe.configure({ mode: 'default', timeout: 180_000 });

const ns = 'signed-in';
const authNs = 'dashboard-auth';
const shared = 'shared-session';
let stack: PrivateStack;
const tokens: Record<string, string> = {};

async function mint(user: string, group: string): Promise<{ token: string; entry: string }> {
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(root, 'scripts', 'mint-token.mjs'), user, '--group', group, '--secret', `${authNs}/dashboard-tokens`]);
  return { token: /^\s+(fdt_[A-Za-z0-9_-]{43})$/m.exec(stdout)![1], entry: /^\s+(\{"user":.*\})$/m.exec(stdout)![1] };
}

const k = (args: string[]) => kubectl(args, undefined, stack.kubeconfig);

async function signIn(page: Page, user: string) {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${stack.baseURL}/login?next=${encodeURIComponent(`/clusters?namespace=${ns}`)}`);
  await page.getByLabel('Access token').fill(tokens[user]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${stack.baseURL}/clusters?namespace=${ns}`);
  await expect(page.getByRole('region', { name: 'Signed in user' }).getByTestId('user-name')).toHaveText(user);
}

/** The anti-forgery header a page of the dashboard sends, read from the page's cookie. */
async function csrfHeader(page: Page): Promise<Record<string, string>> {
  const cookie = (await page.context().cookies(stack.baseURL)).find((c) => c.name === 'flink-dashboard-csrf');
  expect(cookie, 'the page has its anti-forgery cookie').toBeDefined();
  return { 'x-csrf-token': cookie!.value };
}

async function deploymentNames(): Promise<string[]> {
  return (await k(['get', 'deployments', '-n', ns, '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ').filter(Boolean).sort();
}

test.beforeAll(async () => {
  stack = await startPrivateStack({
    env: {
      FLINK_DASHBOARD_AUTH: 'token',
      FLINK_DASHBOARD_SESSION_SECRET: 'e2e-signed-in-session-secret-0123456789abcdef',
      FLINK_DASHBOARD_TOKENS_SECRET: `${authNs}/dashboard-tokens`,
    },
    readyPath: '/api/auth/session',
  });
  const alice = await mint('alice', 'flink-admins');
  const victor = await mint('victor', 'flink-viewers');
  tokens.alice = alice.token;
  tokens.victor = victor.token;
  await k(['create', 'namespace', authNs]);
  await k(['-n', authNs, 'create', 'secret', 'generic', 'dashboard-tokens', `--from-literal=alice=${alice.entry}`, `--from-literal=victor=${victor.entry}`]);
  await k(['create', 'namespace', ns]);
  await k(['-n', ns, 'create', 'rolebinding', 'flink-admins', '--clusterrole=admin', '--group=flink-admins']);
  await k(['-n', ns, 'create', 'rolebinding', 'flink-viewers', '--clusterrole=view', '--group=flink-viewers']);

  // A cluster for victor to look at, created by alice through the API (a script's request: no Origin).
  const api = await playwrightRequest.newContext({ baseURL: stack.baseURL });
  try {
    const login = await api.post('/api/auth/login', { data: { token: alice.token } });
    expect(login.status(), await login.text()).toBe(200);
    const created = await api.post('/api/clusters', { data: { clusterId: shared, namespace: ns, mode: 'session' } });
    expect(created.status(), await created.text()).toBe(201);
  } finally {
    await api.dispose();
  }
});

test.afterAll(async () => {
  await stack?.stop();
});

test('alice (flink-admins) creates a session cluster from the form, deletes it, and the audit names her', async ({ page }) => {
  const clusterId = 'alice-session';
  await signIn(page, 'alice');

  await page.getByRole('link', { name: 'New cluster' }).click();
  await expect(page.getByRole('heading', { name: 'New Flink cluster' })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/clusters/new\\?namespace=${ns}$`));
  await page.getByLabel('Cluster id').fill(clusterId);
  await expect(page.getByLabel('Flink command')).toContainText(`-Dkubernetes.cluster-id=${clusterId}`);
  await page.getByRole('button', { name: 'Create session cluster' }).click();

  await expect(page.getByRole('heading', { name: clusterId })).toBeVisible();
  await expect(page.getByLabel('Cluster status: Running')).toBeVisible({ timeout: 90_000 });
  expect(await k(['get', 'deployment', clusterId, '-n', ns, '-o', 'name'])).toContain(`deployment.apps/${clusterId}`);

  await page.getByRole('button', { name: `Delete cluster ${clusterId}` }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('list', { name: 'Objects deleted' }).locator(`li[data-object="Deployment/${clusterId}"]`)).toBeVisible();
  await dialog.getByRole('button', { name: 'Delete cluster', exact: true }).click();
  await expect(page.getByText(`There is no cluster ${clusterId} in namespace ${ns}`)).toBeVisible({ timeout: 60_000 });
  expect(await k(['get', 'deployment', clusterId, '-n', ns, '--ignore-not-found', '-o', 'name'])).toBe('');

  const audit = page.getByRole('list', { name: 'Audit entries' });
  await expect(audit.getByRole('listitem')).toHaveCount(2);
  await expect(audit.getByRole('listitem').filter({ hasText: 'ClusterCreated' })).toContainText('by alice');
  await expect(audit.getByRole('listitem').filter({ hasText: 'ClusterDeleted' })).toContainText('by alice');
  const section = page.getByRole('region', { name: 'Audit (2)' });
  await expect(section).toBeVisible();
  await section.screenshot({ path: test.info().outputPath('audit-1280.png') });
  await page.screenshot({ path: test.info().outputPath('audit-page-1280.png'), fullPage: true });

  // kubectl sees the same records, with the user.
  const events = JSON.parse(await k(['get', 'events', '-n', ns, '--field-selector', `involvedObject.name=${clusterId}`, '-o', 'json'])) as {
    items: { reason: string; message: string; metadata: { annotations?: Record<string, string> } }[];
  };
  const byReason = (reason: string) => events.items.filter((e) => e.reason === reason);
  expect(byReason('ClusterCreated')).toHaveLength(1);
  expect(byReason('ClusterDeleted')).toHaveLength(1);
  for (const e of [...byReason('ClusterCreated'), ...byReason('ClusterDeleted')]) {
    expect(e.metadata.annotations).toMatchObject({ 'flink-native-dashboard/user': 'alice', 'flink-native-dashboard/groups': 'flink-admins' });
  }
  // Deleting the cluster ends its pods: that is no failover, and no "JobManagerLost" entry.
  expect(events.items.filter((e) => /Lost$/.test(e.reason)).map((e) => e.message)).toEqual([]);
  expect(byReason('ClusterCreated')[0].message).toBe(`alice created cluster ${ns}/${clusterId}.`);
  expect(byReason('ClusterDeleted')[0].message).toBe(`alice deleted cluster ${ns}/${clusterId}.`);
  const table = await k(['get', 'events', '-n', ns, '--field-selector', `involvedObject.name=${clusterId}`]);
  expect(table).toMatch(/ClusterCreated[^\n]*alice/);
  expect(table).toMatch(/ClusterDeleted[^\n]*alice/);
});

test('victor (flink-viewers) sees the clusters but no create or delete, and the routes refuse him in plain words', async ({ page }) => {
  await signIn(page, 'victor');
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: shared, exact: true }) });
  await expect(row).toBeVisible();
  // The permissions answer decides: the link and buttons go once it is in.
  await expect(page.getByRole('navigation').getByRole('link', { name: 'Clusters', exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'New cluster' })).toHaveCount(0);
  await expect(row.getByRole('button', { name: /^Delete cluster/ })).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('victor-list-1280.png') });

  await row.getByRole('link', { name: shared, exact: true }).click();
  await expect(page.getByRole('heading', { name: shared })).toBeVisible();
  await expect(page.getByTestId('delete-not-allowed')).toHaveText(`You may not delete deployments in namespace ${ns}.`);
  await expect(page.getByRole('button', { name: /^Delete cluster/ })).toHaveCount(0);
  // The cluster page names its namespace in its path (no ?namespace=): the sidebar asks about that one.
  await expect(page.getByRole('link', { name: 'New cluster' })).toHaveCount(0);
  // The Flink web UI is read through the REST Service's proxy, which view does not grant: no link, the reason.
  await expect(page.getByTestId('flink-ui-not-allowed')).toHaveText(`No Flink web UI: You may not get services/proxy in namespace ${ns}.`);
  await expect(page.getByRole('link', { name: /Open the Flink web UI/ })).toHaveCount(0);
  // The cluster runs without HA; turning it on means creating it again, which victor may not: no way to the form, the words instead.
  await expect(page.getByText('HA is off')).toBeVisible();
  await expect(page.getByTestId('ha-create-not-allowed')).toContainText(
    `You may not create deployments in namespace ${ns}. Creating the cluster again needs the rights to create deployments, services and configmaps in this namespace`,
  );
  await expect(page.getByRole('link', { name: 'Open the form' })).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('victor-cluster-1280.png') });

  const headers = await csrfHeader(page);
  const del = await page.request.delete(`${stack.baseURL}/api/clusters/${ns}/${shared}`, { headers, data: { purgeHaData: false } });
  expect(del.status(), await del.text()).toBe(403);
  expect(((await del.json()) as { error: { message: string } }).error.message).toMatch(new RegExp(`^You may not delete deployments in namespace ${ns}\\.`));
  const create = await page.request.post(`${stack.baseURL}/api/clusters`, { headers, data: { clusterId: 'victor-try', namespace: ns, mode: 'session' } });
  expect(create.status(), await create.text()).toBe(403);
  expect(((await create.json()) as { error: { message: string } }).error.message).toMatch(/^You may not /);
  expect(await deploymentNames()).toEqual([shared]);
});

test('a cross-site POST with alice’s session is refused and creates nothing', async ({ page }) => {
  await signIn(page, 'alice');
  const headers = await csrfHeader(page);
  const res = await page.request.post(`${stack.baseURL}/api/clusters`, {
    headers: { ...headers, origin: 'https://evil.example' },
    data: { clusterId: 'forged', namespace: ns, mode: 'session' },
  });
  expect(res.status(), await res.text()).toBe(403);
  expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
    'Refused a cross-site request from https://evil.example: this dashboard accepts changes only from its own pages. Nothing was changed.',
  );
  // From this origin but without the page's anti-forgery token (a form another site could not have
  // read the cookie for): refused too.
  const noToken = await page.request.post(`${stack.baseURL}/api/clusters`, {
    headers: { origin: stack.baseURL },
    data: { clusterId: 'forged-no-token', namespace: ns, mode: 'session' },
  });
  expect(noToken.status(), await noToken.text()).toBe(403);
  expect(((await noToken.json()) as { error: { message: string } }).error.message).toMatch(/^Refused: the request carries no valid anti-forgery token/);
  const names = await deploymentNames();
  expect(names).not.toContain('forged');
  expect(names).not.toContain('forged-no-token');
});
