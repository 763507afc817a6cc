import { test as base, expect, type Page } from '@playwright/test';

/** The base URL is known only after global setup started the server, so it is read per test. */
export const test = base.extend({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this pattern.
  baseURL: async ({}, use) => {
    await use(process.env.E2E_BASE_URL);
  },
});

export { expect } from '@playwright/test';

/**
 * Waits until the service worker is active (its precache complete) and controls the page, so what
 * follows may go offline.
 */
export async function untilServiceWorkerControls(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
}
