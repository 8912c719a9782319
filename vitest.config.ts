import { defineConfig } from 'vitest/config';

// Three suites, one command (`npm test`):
//  unit         pure rules and helpers, no database
//  integration  HTTP through app.inject() against a real database engine
//               (PGlite by default, PostgreSQL when TEST_DATABASE_URL is set)
//  e2e          real Debian Chromium via playwright-core, axe-core on every page
// Two workers for unit and integration files (each integration file copies its own database):
// the CI machine has two CPUs, and Vitest's default leaves one of them to itself.
const WORKERS = 2;

export default defineConfig({
  test: {
    maxWorkers: WORKERS,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', 'node_modules/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['src/**/*.int.test.ts', 'test/**/*.int.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          globalSetup: ['e2e/global-setup.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 300_000,
          // One at a time, against the one app e2e/global-setup.ts starts: with axe run in the
          // page (support.ts), two side by side saved only 15% on two CPUs.
          fileParallelism: false,
        },
      },
    ],
  },
});
