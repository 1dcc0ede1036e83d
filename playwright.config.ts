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
  // No retries: a flow that fails once fails the run (scripts/test.mjs still prints a flaky count if
  // someone passes --retries).
  retries: 0,
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
