import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { CHECKED_BY_APP_TEXT } from '../../client/pages/receipt-page.ts';
import { expect, test } from './fixtures.ts';
import { applyAsNewApplicant } from './journey-steps.ts';
import { madeUpIdNumber } from './made-up-person.ts';

/**
 * Phones whose WebCrypto lacks what the app uses: Ed25519 for the receipt's signature (Chromium before
 * 137, older WebViews) and SHA-256 for attachment ids where there is no crypto.subtle at all (a page not
 * served over HTTPS, an old WebView). The app then checks with @noble/ed25519 and @noble/hashes, which it
 * downloads only there. Nothing is missing for the person; one plain sentence under the verified
 * signature says that the page checked it itself, so a wary applicant knows why and that it holds.
 */

/** The chunks holding the fallbacks, as the build names them (the Ed25519 one also takes SHA-512 from sha2). */
const FALLBACK_CHUNKS = { ed25519: /\/assets\/noble-receipt-signature-[\w-]+\.js$/, sha256: /\/assets\/sha2-[\w-]+\.js$/ };

/** Addresses of every script the page asks for, from now on. */
function scriptsRequested(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') urls.push(new URL(request.url()).pathname);
  });
  return urls;
}

/** The receipt is shown right after 提交成功: its signature must check out on this phone too, and say how. */
async function expectReceiptVerified(page: Page, screen: string) {
  if (screen !== 'receipt') return;
  await expect(page.getByText('回执签名：已验证')).toBeVisible();
  await expect(page.locator('#receipt-signature-note')).toHaveText(CHECKED_BY_APP_TEXT);
}

/** Code found only in the libraries: ed25519's field prime, SHA-256's first round constant. */
const LIBRARY_MARKS = ['57896044618658097711785492504343953926634992332820282019728792003956564819949', '1116352408'];

test('the libraries sit in chunks of their own, which the first screen does not download', async ({ page }) => {
  const assets = 'dist/client/assets';
  const withLibraries: string[] = [];
  for (const name of (await readdir(assets)).filter((file) => file.endsWith('.js'))) {
    const code = await readFile(join(assets, name), 'utf8');
    if (LIBRARY_MARKS.some((mark) => code.includes(mark))) withLibraries.push(`/assets/${name}`);
  }
  expect(withLibraries.length).toBe(2);
  expect(withLibraries.every((path) => FALLBACK_CHUNKS.ed25519.test(path) || FALLBACK_CHUNKS.sha256.test(path))).toBe(true);

  const scripts = scriptsRequested(page);
  await page.goto('/');
  await expect(page.getByRole('button', { name: '在线办理' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(scripts.length).toBeGreaterThan(0);
  expect(scripts.filter((path) => withLibraries.includes(path))).toEqual([]);
});

test('WebCrypto refusing Ed25519: the journey finishes and the receipt verifies', async ({ page }) => {
  await page.addInitScript(() => {
    const subtle = crypto.subtle;
    const importKey = subtle.importKey;
    // As Chromium before 137 answers: the algorithm is not known.
    subtle.importKey = function (this: SubtleCrypto, ...args: unknown[]) {
      const algorithm = args[2] as AlgorithmIdentifier;
      const name = typeof algorithm === 'string' ? algorithm : algorithm?.name;
      if (String(name).toLowerCase() === 'ed25519') return Promise.reject(new DOMException('Unrecognized name.', 'NotSupportedError'));
      return Reflect.apply(importKey, this, args);
    } as SubtleCrypto['importKey'];
  });
  const scripts = scriptsRequested(page);
  await applyAsNewApplicant(page, madeUpIdNumber(), {
    check: async (screen) => {
      // Fetched while the form is open, so a receipt first shown offline can still be checked.
      if (screen === 'application form') await expect.poll(() => scripts.some((path) => FALLBACK_CHUNKS.ed25519.test(path))).toBe(true);
      await expectReceiptVerified(page, screen);
    },
  });
});

test('no crypto.subtle: photos get their ids, the journey finishes and the receipt verifies', async ({ page }) => {
  await page.addInitScript(() => {
    // What a page not served over HTTPS sees: the attribute is not there at all.
    delete (Crypto.prototype as { subtle?: SubtleCrypto }).subtle;
  });
  const scripts = scriptsRequested(page);
  await applyAsNewApplicant(page, madeUpIdNumber(), { check: (screen) => expectReceiptVerified(page, screen) });
  expect(await page.evaluate(() => typeof crypto.subtle)).toBe('undefined');
  expect(scripts.some((path) => FALLBACK_CHUNKS.sha256.test(path))).toBe(true);
  expect(scripts.some((path) => FALLBACK_CHUNKS.ed25519.test(path))).toBe(true);
});
