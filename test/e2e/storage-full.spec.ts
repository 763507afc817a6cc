import { type BrowserContext, type CDPSession, chromium, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STORAGE_FULL_MESSAGE } from '../../client/pages/application-form/storage-full.ts';
import { LOCKED_NOTE } from '../../client/pages/application-form-page.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium.mjs';
import { expect, test, untilServiceWorkerControls } from './fixtures.ts';
import {
  acceptNotice,
  drawSignature,
  expectApplicationStored,
  fillApplicationForm,
  openMyApplications,
  passFaceVerification,
  registerNewApplicant,
  submitApplication,
} from './journey-steps.ts';
import sharp from 'sharp';
import { madeUpIdNumber, portraitJpeg } from './made-up-person.ts';

/**
 * A phone whose storage is full: the origin's quota is cut through the DevTools Protocol
 * (Storage.overrideQuotaForOrigin), so IndexedDB itself answers QuotaExceededError. Two things of
 * Chromium's shape the setup: an incognito context (Playwright's default) keeps IndexedDB in memory and
 * never checks the quota, so this runs in a profile on disk; and IndexedDB lends itself space from the
 * last answer of the quota manager for up to 30 s, so a small quota from the start keeps that loan
 * small, and one write too large for it makes IndexedDB ask again once the quota is cut.
 */

/** The quota until the phone fills up: enough for the app and its offline copy (≈ 0.8 MB). */
const QUOTA_BEFORE = 1_500_000;

/**
 * A portrait as a phone camera takes it, with grain that JPEG cannot squeeze: its 295×413 copy is
 * tens of kilobytes, as real ones are, and half of that still holds the face. The border stays white.
 */
async function grainyPortrait(): Promise<Buffer> {
  const [width, height] = [700, 1100];
  const grain = Buffer.alloc(width * height * 3);
  for (let i = 0; i < grain.length; i++) grain[i] = 40 + Math.floor(Math.random() * 120);
  const noise = await sharp(grain, { raw: { width, height, channels: 3 } }).png().toBuffer();
  return sharp(await portraitJpeg()).composite([{ input: noise, left: 250, top: 300 }]).jpeg({ quality: 95 }).toBuffer();
}

interface Phone {
  context: BrowserContext;
  page: Page;
  cdp: CDPSession;
  origin: string;
  close(): Promise<void>;
}

async function phoneWithProfile(baseURL: string): Promise<Phone> {
  const dir = mkdtempSync(join(tmpdir(), 'storage-full-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    baseURL,
    locale: 'zh-CN',
    viewport: { width: 360, height: 640 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const cdp = await context.newCDPSession(page);
  const origin = new URL(baseURL).origin;
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: QUOTA_BEFORE });
  return {
    context,
    page,
    cdp,
    origin,
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The phone fills up, as when other apps took the space: the quota is cut to what is used plus a
 * little, and the test writes into a database of its own until IndexedDB refuses.
 */
async function fillStorage(phone: Phone) {
  const { usage } = await phone.cdp.send('Storage.getUsageAndQuota', { origin: phone.origin });
  const quota = usage + 64_000;
  await phone.cdp.send('Storage.overrideQuotaForOrigin', { origin: phone.origin, quotaSize: quota });
  const refusals = await phone.page.evaluate(
    async (chunks) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('other-apps', 1);
        request.onupgradeneeded = () => request.result.createObjectStore('filler', { autoIncrement: true });
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const put = (bytes: number) =>
        new Promise<string>((resolve) => {
          const transaction = db.transaction('filler', 'readwrite');
          transaction.objectStore('filler').put(new Blob([crypto.getRandomValues(new Uint8Array(bytes))]));
          transaction.oncomplete = () => resolve('written');
          transaction.onabort = () => resolve(transaction.error?.name ?? 'aborted');
        });
      const refusals: string[] = [];
      // The first write after the cut may still be granted from IndexedDB's earlier allowance: go on until refused.
      for (const bytes of chunks) {
        for (let i = 0; i < 200; i++) {
          const outcome = await put(bytes);
          if (outcome !== 'written') {
            refusals.push(outcome);
            break;
          }
        }
      }
      db.close();
      return refusals;
    },
    [16_384, 1_024, 128],
  );
  expect(refusals).toEqual(['QuotaExceededError', 'QuotaExceededError', 'QuotaExceededError']);
}

/** The person cleared space on the phone. */
async function clearSpace(phone: Phone) {
  await phone.cdp.send('Storage.overrideQuotaForOrigin', { origin: phone.origin });
}

/** 申报信息 up to the photo: every typed and picked field, saved on the device and on the server. */
async function typeTheFields(page: Page, idNumber: string) {
  await expect(page.getByRole('heading', { name: '基本信息' })).toBeVisible();
  await expect(page.getByLabel('证件号码')).toHaveValue(idNumber);
  await page.getByLabel('民族').selectOption({ label: '汉族' });
  await page.getByLabel('学历').selectOption({ label: '大学本科' });
  await page.getByLabel('学位').selectOption({ label: '学士' });
  await page.getByLabel('毕业院校').fill('山东大学');
  await page.getByLabel('所学专业').fill('土木工程');
  await page.getByLabel('毕业时间').fill('2012-07-01');
  await page.getByLabel('企业名称').fill('监理');
  await page.getByRole('listbox', { name: '匹配的企业' }).getByRole('option').first().click();
  await expect(page.getByLabel('所选企业')).toContainText('统一信用代码');
  await page.getByLabel('申请注册专业1').selectOption({ label: '房屋建筑工程' });
  await page.getByLabel('申请注册专业2').selectOption({ label: '市政公用工程' });
  await expect(page.locator('#save-status')).toContainText('已同步');
}

async function expectFieldsKept(page: Page) {
  await expect(page.getByLabel('毕业院校')).toHaveValue('山东大学');
  await expect(page.getByLabel('所学专业')).toHaveValue('土木工程');
  await expect(page.getByLabel('申请注册专业2')).toHaveValue(/./);
}

/** The size the form shows for the photo in use, in KB (照片已生成（295×413 像素，N KB）). */
async function photoKilobytes(page: Page): Promise<number> {
  const text = await page.getByText(/照片已生成/).textContent();
  return Number(/(\d+) KB/.exec(text ?? '')?.[1]);
}

/** The draft as IndexedDB holds it now: its values, and the size of its photo if one is kept. */
function storedDraft(page: Page): Promise<{ values: string; photoBytes: number | undefined }> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const request = indexedDB.open('jianli-registration');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const read = request.result.transaction('drafts').objectStore('drafts').getAll();
          read.onsuccess = () => {
            const [draft] = read.result as { values: object; photo?: Blob }[];
            request.result.close();
            resolve({ values: JSON.stringify(draft?.values), photoBytes: draft?.photo?.size });
          };
        };
      }),
  );
}

/** The states of the items in the device's outbox. */
function queuedItems(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const request = indexedDB.open('jianli-registration');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const read = request.result.transaction('outbox').objectStore('outbox').getAll();
          read.onsuccess = () => {
            request.result.close();
            resolve((read.result as { state: string }[]).map((item) => item.state));
          };
        };
      }),
  );
}

async function pickPhoto(page: Page, photo: Buffer) {
  await page.getByLabel('上传一寸免冠照片').setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: photo });
  await page.getByRole('button', { name: '使用此照片' }).click();
  await expect(page.getByText(/照片已生成/)).toBeVisible();
}

test('storage full at the photo: the typed fields are kept, a smaller photo is offered, the journey finishes', async ({
  baseURL,
}) => {
  test.setTimeout(120_000);
  const phone = await phoneWithProfile(baseURL!);
  const { page } = phone;
  try {
    const idNumber = madeUpIdNumber();
    await registerNewApplicant(page, idNumber);
    await passFaceVerification(page);
    await acceptNotice(page);
    await untilServiceWorkerControls(page);
    await typeTheFields(page, idNumber);

    await fillStorage(phone);
    const photo = await grainyPortrait();
    await pickPhoto(page, photo);
    const notice = page.locator('#storage-full');
    await expect(notice.getByText(STORAGE_FULL_MESSAGE)).toBeVisible();
    await expect(notice.getByRole('button', { name: '使用较小的照片' })).toBeVisible();
    await page.screenshot({ path: 'test-results/storage-full-photo.png', fullPage: true });

    // On the device meanwhile: what was typed, not the photo that did not fit.
    const photoKb = await photoKilobytes(page);
    const kept = await storedDraft(page);
    expect(kept.values).toContain('山东大学');
    expect(kept.values).toContain('土木工程');
    expect(kept.photoBytes).toBeUndefined();

    // With some space cleared, the smaller copy offered (at most half the size) is kept, and is there
    // when the page is opened again.
    await clearSpace(phone);
    await notice.getByRole('button', { name: '使用较小的照片' }).click();
    await expect(notice).toHaveCount(0);
    await expect.poll(async () => (await storedDraft(page)).photoBytes).toBeLessThanOrEqual(photoKb * 512);
    await page.reload();
    await expectFieldsKept(page);
    await expect(page.getByRole('img', { name: '当前使用的一寸免冠照片' })).toBeVisible();

    await drawSignature(page);
    await page.getByRole('button', { name: '查看承诺书' }).click();
    const commitment = page.getByRole('dialog', { name: '个人承诺' });
    await commitment.getByLabel('本人作出上述承诺').check();
    await commitment.getByRole('button', { name: '确认' }).click();
    await expect(page.getByText('已作出承诺')).toBeVisible();

    const receiptNumber = await submitApplication(page, {
      check: async (screen) => {
        if (screen === 'receipt') await expect(page.getByText('回执签名：已验证')).toBeVisible();
      },
    });
    await expectApplicationStored(page, receiptNumber, idNumber);
    await openMyApplications(page, receiptNumber);
  } finally {
    await phone.close();
  }
});

test('a submission queued offline stays whole while the storage is full, and is sent once there is room', async ({ baseURL }) => {
  test.setTimeout(120_000);
  const phone = await phoneWithProfile(baseURL!);
  const { context, page } = phone;
  try {
    const idNumber = madeUpIdNumber();
    await registerNewApplicant(page, idNumber);
    await passFaceVerification(page);
    await acceptNotice(page);
    await untilServiceWorkerControls(page);
    await fillApplicationForm(page, idNumber);
    await expect(page.locator('#save-status')).toContainText('已同步');

    await context.setOffline(true);
    await page.getByRole('button', { name: '下一步' }).click();
    await expect(page.getByText(LOCKED_NOTE)).toBeVisible();
    await fillStorage(phone);
    await context.setOffline(false);
    // Full, the outbox cannot mark it as being sent: it stays queued, whole, under its key.
    await expect.poll(() => queuedItems(page)).toEqual(['queued']);
    await expect(page.getByText(LOCKED_NOTE)).toBeVisible();

    await clearSpace(phone);
    await expect(page.getByText('您所申请的事项已经提交成功！')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText('回执签名：已验证')).toBeVisible();
    const receiptNumber = (await page.locator('receipt-page .receipt-number').textContent())?.trim();
    await expectApplicationStored(page, receiptNumber!, idNumber);
  } finally {
    await phone.close();
  }
});
