import { defineConfig } from '@playwright/test';

/**
 * The production layout (deploy/): nginx with TLS in front of two server instances on one PostgreSQL,
 * driven in Debian's Chromium over https://. The spec starts and stops every part itself.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 180_000,
  reporter: [['list'], ['../reporters/playwright-summary.ts']],
  // Beside the e2e run's, in the ignored folder at the root.
  outputDir: '../../test-results/deploy',
  use: { screenshot: 'only-on-failure' },
});
