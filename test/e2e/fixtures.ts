import { test as base, expect, type Page } from '@playwright/test';

let phones = 0;

/**
 * Each test is another person's phone, with an address of its own (198.18.0.0/15, kept for tests), passed
 * on as a trusted proxy would (global-setup.ts): the server's limits per address (20 registrations an
 * hour) then count each test apart, as they would count separate people.
 */
function nextPhoneAddress(): string {
  const n = phones++;
  return `198.18.${Math.floor(n / 250) % 256}.${(n % 250) + 1}`;
}

/** The base URL is known only after global setup started the server, so it is read per test. */
export const test = base.extend({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this pattern.
  baseURL: async ({}, use) => {
    await use(process.env.E2E_BASE_URL);
  },
  extraHTTPHeaders: async ({ extraHTTPHeaders }, use) => {
    await use({ ...extraHTTPHeaders, 'X-Forwarded-For': nextPhoneAddress() });
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
