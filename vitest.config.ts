import { defineConfig } from 'vitest/config';
import path from 'node:path';

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    include: ['**/*.test.ts', '**/*.test.tsx'],
    exclude: ['node_modules/**', 'e2e/**', '.next/**', '.data/**'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Route handlers are called in-process, with no listener: as a dashboard on loopback, mode none
    // (the default) needs no /version probe of the test's API server (lib/auth/none-mode.ts; its own
    // test unsets this).
    env: { FLINK_DASHBOARD_HOST: '127.0.0.1' },
  },
});
