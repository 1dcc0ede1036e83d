import type { Page, Response } from '@playwright/test';
import { expect, test } from './fixtures';
import { kubectl } from './support/kubectl';

// Security headers and the Content-Security-Policy on the dashboard's pages: the list, the create form,
// a cluster page, a pod log and a job page load and work with no CSP violation (no inline script runs
// without the request's nonce), and every answer carries the headers. Changes from another site, or
// from the page without its anti-forgery token, are refused.
test.describe.configure({ timeout: 180_000 });

/** Records CSP violations the page reports (securitypolicyviolation events) and console refusals. */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  const consoleRefusals: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to (execute|load|run|apply|connect|frame|create)/i.test(m.text())) consoleRefusals.push(m.text());
  });
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
  return async () => [...consoleRefusals, ...(await page.evaluate(() => (window as unknown as { cspViolations?: string[] }).cspViolations ?? []))];
}

function expectSecurityHeaders(res: Pick<Response, 'headers'> | null, where: string) {
  expect(res, where).not.toBeNull();
  const h = res!.headers();
  const csp = h['content-security-policy'] ?? '';
  const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src')) ?? '';
  expect(scriptSrc, `${where}: script-src`).toMatch(/'nonce-[A-Za-z0-9+/=]+'/);
  expect(scriptSrc, `${where}: script-src`).not.toContain("'unsafe-inline'");
  expect(csp, where).toContain("frame-ancestors 'none'");
  expect(csp, where).toContain("worker-src 'self'");
  expect(h['x-content-type-options'], where).toBe('nosniff');
  expect(h['referrer-policy'], where).toBe('same-origin');
  expect(h['x-frame-options'], where).toBe('DENY');
}

test('the list, the form, a cluster page, a pod log and a job page run under the CSP with no violation', async ({ page, namespace, uniqueName }) => {
  const clusterId = uniqueName('csp');
  const violations = await watchCsp(page);

  // The list: its live SharedWorker (worker-src 'self') fills the table.
  const list = await page.goto(`/clusters?namespace=${namespace}`);
  expectSecurityHeaders(list, 'list');
  // Each page has its own nonce.
  const again = await page.request.get(`/clusters?namespace=${namespace}`);
  expect(again.headers()['content-security-policy']).not.toBe(list!.headers()['content-security-policy']);
  await expect(page.getByText(`No Flink clusters in namespace ${namespace} yet`)).toBeVisible();

  // The form: create an application cluster through it (a change, with the page's token).
  const form = await page.goto(`/clusters/new?namespace=${namespace}`);
  expectSecurityHeaders(form, 'form');
  await expect(page.getByRole('heading', { name: 'New Flink cluster' })).toBeVisible();
  await page.getByLabel('Cluster id').fill(clusterId);
  await expect(page.getByLabel('YAML preview')).toContainText(`name: ${clusterId}`);
  await page.getByRole('button', { name: 'Create session cluster' }).click();
  await expect(page).toHaveURL(new RegExp(`/clusters/${namespace}/${clusterId}`), { timeout: 60_000 });
  expect(await kubectl(['get', 'deployment', clusterId, '-n', namespace, '-o', 'jsonpath={.metadata.name}'])).toBe(clusterId);

  // A cluster page, live.
  const cluster = await page.goto(`/clusters/${namespace}/${clusterId}`);
  expectSecurityHeaders(cluster, 'cluster page');
  const pods = page.getByRole('table', { name: 'Pods' });
  await expect(pods.getByLabel('Pod status: Running').first()).toBeVisible({ timeout: 90_000 });

  // A pod log, followed.
  const jm = (await kubectl(['get', 'pods', '-n', namespace, '-l', `app=${clusterId},component=jobmanager`, '-o', 'jsonpath={.items[0].metadata.name}'])).trim();
  const log = await page.goto(`/clusters/${namespace}/${clusterId}/pods/${jm}/logs`);
  expectSecurityHeaders(log, 'pod log');
  await expect(page.getByRole('status', { name: 'Log status' })).toContainText('Following');
  await expect(page.getByRole('log', { name: `Log of ${jm}` }).locator('[data-log-line]').first()).toBeVisible({ timeout: 60_000 });

  expect(await violations(), 'CSP violations').toEqual([]);
});

test('a job page runs under the CSP with no violation', async ({ page, namespace, uniqueName }) => {
  const clusterId = uniqueName('cspjob');
  const res = await page.request.post('/api/clusters', {
    data: { clusterId, namespace, mode: 'application', application: { jarUri: 'local:///opt/flink/examples/streaming/StateMachineExample.jar', parallelism: 1 } },
  });
  expect(res.status(), await res.text()).toBe(201);
  const violations = await watchCsp(page);
  await page.goto(`/clusters/${namespace}/${clusterId}`);
  const table = page.getByRole('table', { name: 'Jobs' });
  await expect(table.getByLabel('Job State machine job: RUNNING')).toBeVisible({ timeout: 120_000 });
  const href = await table.getByRole('link', { name: 'State machine job' }).getAttribute('href');
  // A full load of the job page (a new document, which joins the live worker the cluster page's document left).
  const job = await page.goto(href!);
  expectSecurityHeaders(job, 'job page');
  await expect(page.getByText('Live', { exact: true })).toBeVisible();
  await expect(page.getByLabel('Job status: RUNNING')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Vertices' }).getByText('RUNNING', { exact: true })).toHaveCount(2);
  // The Flink web UI through the dashboard keeps its own sandboxed policy, and only that one.
  const ui = await page.request.get(`/api/clusters/${namespace}/${clusterId}/flink-ui/index.html`);
  expect(ui.status()).toBe(200);
  expect(ui.headers()['content-security-policy']).toBe("sandbox allow-scripts allow-forms allow-popups allow-downloads; frame-ancestors 'none'");
  expect(ui.headers()['x-content-type-options']).toBe('nosniff');
  expect(await violations(), 'CSP violations').toEqual([]);
});

test('API answers carry the headers; changes from another site or without the token are refused and change nothing', async ({ page, namespace, uniqueName }) => {
  const api = await page.request.get('/api/contexts');
  expect(api.headers()['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(api.headers()['x-content-type-options']).toBe('nosniff');
  expect(api.headers()['referrer-policy']).toBe('same-origin');

  await page.goto(`/clusters?namespace=${namespace}`);
  const cookie = (await page.context().cookies()).find((c) => c.name === 'flink-dashboard-csrf');
  expect(cookie?.sameSite).toBe('Strict');
  expect(cookie?.httpOnly).toBe(false);

  const id = uniqueName('forged');
  // From another site: the browser says so (Origin, Sec-Fetch-Site).
  const crossSite = await page.request.post('/api/clusters', {
    headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    data: { clusterId: id, namespace },
  });
  expect(crossSite.status()).toBe(403);
  expect((await crossSite.json()).error.message).toMatch(/^Refused a cross-site request/);

  // From the page itself, but without the token (a bare fetch): refused too.
  const bare = await page.evaluate(
    async ([ns, clusterId]) => {
      const r = await fetch('/api/clusters', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clusterId, namespace: ns }) });
      return { status: r.status, body: await r.json() };
    },
    [namespace, id],
  );
  expect(bare.status).toBe(403);
  expect(bare.body.error.message).toMatch(/anti-forgery token/);
  expect(await kubectl(['get', 'deployments', '-n', namespace, '-o', 'jsonpath={.items[*].metadata.name}'])).toBe('');
});
