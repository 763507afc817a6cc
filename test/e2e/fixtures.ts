import { test as base } from '@playwright/test';

/** The base URL is known only after global setup started the server, so it is read per test. */
export const test = base.extend({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this pattern.
  baseURL: async ({}, use) => {
    await use(process.env.E2E_BASE_URL);
  },
});

export { expect } from '@playwright/test';
