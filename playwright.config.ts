import { defineConfig } from '@playwright/test';

// One app build and one simulated cluster for the whole run (e2e/global-setup.ts). Tests make their own
// namespaces, so they run in parallel; a test that restarts the API server starts a private sim and
// app server (e2e/support/private-stack.ts) so it disturbs nobody.
export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/global-setup.ts',
  outputDir: 'test-results/artifacts',
  fullyParallel: true,
  workers: 2,
  // One retry: a flow that fails once and passes again is reported as flaky in the summary, not hidden
  // (npm test prints it); e2e/delete-cluster.spec.ts's list row once stayed after its Deployment was gone (issue 11 note).
  retries: 1,
  timeout: 180_000,
  expect: { timeout: 30_000 },
  reporter: [['list']],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
