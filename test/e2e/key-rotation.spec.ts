import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { acceptNotice, fillApplicationForm, passFaceVerification, registerNewApplicant, submitApplication } from './journey-steps.ts';
import { madeUpIdNumber } from './made-up-person.ts';

const run = promisify(execFile);
const VERIFIED = '回执签名：已验证';
// Where the device keeps the public keys (RECEIPT_KEY_STORAGE_KEY in client/data/receipt-verification.ts).
const RECEIPT_KEY_STORAGE_KEY = 'jl.receipt-public-key';

/** A new applicant's journey up to the receipt; returns the key id the server signed it with. */
async function applyAndReadKeyId(page: Page): Promise<string> {
  const idNumber = madeUpIdNumber();
  await registerNewApplicant(page, idNumber);
  await passFaceVerification(page);
  await acceptNotice(page);
  await fillApplicationForm(page, idNumber);
  await submitApplication(page);
  await expect(page.getByText(VERIFIED)).toBeVisible();
  const { submissions } = await (await page.request.get('/api/submissions')).json();
  const detail = await (await page.request.get(`/api/submissions/${submissions[0].id}`)).json();
  return detail.receipt.keyId;
}

test('after `npm run keys -- rotate` new receipts use the new key and an earlier one still verifies', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const dataDir = process.env.E2E_DATA_DIR;
  if (!dataDir) throw new Error('E2E_DATA_DIR is not set: global-setup.ts starts the server');

  const firstKeyId = await applyAndReadKeyId(page);
  const receiptAddress = page.url();

  // The operator's command, against the running server's database, as the documentation gives it.
  const { stdout } = await run('npm', ['run', '--silent', 'keys', '--', 'rotate'], {
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', RECEIPT_SIGNING_KEY: '' },
  });
  const newKeyId = /新的回执签名密钥：([0-9a-f]{16})/.exec(stdout)?.[1];
  expect(newKeyId).toBeTruthy();
  expect(newKeyId).not.toBe(firstKeyId);

  // The server notices within its check interval (1 s here).
  await expect
    .poll(async () => (await (await page.request.get('/api/receipts/public-key')).json()).keyId, { timeout: 15_000 })
    .toBe(newKeyId);
  const { keys } = await (await page.request.get('/api/receipts/public-keys')).json();
  const byId = new Map<string, { active: boolean }>(keys.map((key: { keyId: string; active: boolean }) => [key.keyId, key]));
  expect(byId.get(firstKeyId)?.active).toBe(false);
  expect(byId.get(newKeyId!)?.active).toBe(true);

  // A second applicant, on another phone, gets a receipt signed with the new key, verified there.
  const otherContext = await browser.newContext({ baseURL: process.env.E2E_BASE_URL, locale: 'zh-CN', viewport: { width: 360, height: 640 } });
  try {
    const other = await otherContext.newPage();
    expect(await applyAndReadKeyId(other)).toBe(newKeyId);
  } finally {
    await otherContext.close();
  }

  // The first phone forgets the keys it kept (and what its HTTP cache holds): its receipt, signed with
  // the retired key, must be verified with the key list the server publishes now.
  await page.evaluate((storageKey) => localStorage.removeItem(storageKey), RECEIPT_KEY_STORAGE_KEY);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.clearBrowserCache');
  await page.goto(receiptAddress);
  await expect(page.getByText(VERIFIED)).toBeVisible();
  const kept = await page.evaluate((storageKey) => Object.keys(JSON.parse(localStorage.getItem(storageKey) ?? '{}')), RECEIPT_KEY_STORAGE_KEY);
  expect(kept.sort()).toEqual([firstKeyId, newKeyId].sort());
});
