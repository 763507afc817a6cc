import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from '@playwright/test';
import { verifyReceipt } from '../../shared/receipt-signature.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium.mjs';
import { expect, test } from './fixtures.ts';
import { acceptNotice, drawSignature, passFaceVerification, registerNewApplicant } from './journey-steps.ts';
import { madeUpIdNumber, portraitJpeg } from './made-up-person.ts';

/**
 * The promise of the app, tried as a person would on a phone: fill half the form, the browser is
 * killed, it comes back with no network, the person finishes and submits offline, and once the
 * network returns there is one submission and one receipt that verifies with the published key.
 */

function launch(userDataDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
    baseURL: process.env.E2E_BASE_URL,
    locale: 'zh-CN',
    viewport: { width: 360, height: 640 },
    permissions: ['camera'],
  });
}

/** Like pulling the battery: SIGKILL to every process of this browser profile, no chance to tidy up. */
function killBrowser(userDataDir: string) {
  try {
    execFileSync('pkill', ['-KILL', '-f', userDataDir]);
  } catch {
    // pkill exits 1 when nothing matched: the browser is already gone.
  }
}

async function signInAgain(page: Page, idNumber: string) {
  await page.getByRole('button', { name: '返回' }).first().click();
  await page.getByLabel('姓名').fill('张伟');
  await page.getByLabel('身份证号码').fill(idNumber);
  await page.getByRole('button', { name: '确定' }).click();
  await page.getByLabel('密码').fill('jianli2026');
  await page.getByRole('button', { name: '登录' }).click();
  await passFaceVerification(page);
  await acceptNotice(page);
}

test('fill half, kill the browser, finish and submit offline, back online: one submission, one verified receipt', async () => {
  test.setTimeout(150_000);
  const userDataDir = await mkdtemp(join(tmpdir(), 'jl-phone-'));
  const idNumber = madeUpIdNumber();
  try {
    // Online: register, verify, and fill about half of 申报信息, the photo included.
    let context = await launch(userDataDir);
    let page = context.pages()[0] ?? (await context.newPage());
    await registerNewApplicant(page, idNumber);
    await passFaceVerification(page);
    await acceptNotice(page);
    await expect(page.getByRole('heading', { name: '基本信息' })).toBeVisible();
    await page.getByLabel('民族').selectOption({ label: '汉族' });
    await page.getByLabel('学历').selectOption({ label: '大学本科' });
    await page.getByLabel('学位').selectOption({ label: '学士' });
    await page.getByLabel('毕业院校').fill('山东大学');
    await page.getByLabel('企业名称').fill('监理');
    await page.getByRole('listbox', { name: '匹配的企业' }).getByRole('option').first().click();
    const enterpriseName = await page.getByLabel('企业名称').inputValue();
    await page.getByLabel('上传一寸免冠照片').setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: await portraitJpeg() });
    await page.getByRole('button', { name: '使用此照片' }).click();
    await expect(page.getByText(/照片已生成/)).toBeVisible();
    await expect(page.locator('sync-status')).toContainText(/已保存到本机|已同步/);
    await page.evaluate(() => navigator.serviceWorker.ready);
    killBrowser(userDataDir);
    await context.close().catch(() => undefined);

    // Back, with no network at all.
    context = await launch(userDataDir);
    await context.setOffline(true);
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto('/apply/form');
    await expect(page.getByLabel('毕业院校')).toHaveValue('山东大学');
    await expect(page.getByLabel('民族')).toHaveValue(/.+/);
    await expect(page.getByLabel('企业名称')).toHaveValue(enterpriseName);
    await expect(page.getByRole('img', { name: '当前使用的一寸免冠照片' })).toBeVisible();

    await page.getByLabel('所学专业').fill('土木工程');
    await page.getByLabel('毕业时间').fill('2012-07-01');
    await page.getByLabel('申请注册专业1').selectOption({ label: '房屋建筑工程' });
    await page.getByLabel('申请注册专业2').selectOption({ label: '市政公用工程' });
    await drawSignature(page);
    await page.getByRole('button', { name: '查看承诺书' }).click();
    const commitment = page.getByRole('dialog', { name: '个人承诺' });
    await commitment.getByLabel('本人作出上述承诺').check();
    await commitment.getByRole('button', { name: '确认' }).click();
    await page.getByRole('button', { name: '下一步' }).click();
    await expect(page.getByText('等待网络，恢复后自动提交').first()).toBeVisible();

    // Still queued after a reload with no network, every value and both attachments still there.
    await page.reload();
    await expect(page.getByText('等待网络，恢复后自动提交').first()).toBeVisible();
    await expect(page.getByLabel('所学专业')).toHaveValue('土木工程');
    await expect(page.getByLabel('毕业时间')).toHaveValue('2012-07-01');
    await expect(page.getByRole('img', { name: '当前使用的一寸免冠照片' })).toBeVisible();
    await expect(page.getByRole('img', { name: '当前使用的签名' })).toBeVisible();

    // The network returns: the outbox sends it, and the receipt is shown. A browser killed soon after
    // signing in may not have written its session cookie to disk; then the person signs in again and
    // the queued submission goes out by itself, nothing retyped.
    await context.setOffline(false);
    const done = page.getByText('您所申请的事项已经提交成功！');
    const expired = page.getByText('登录已过期，请重新核验身份后再提交。填写的内容仍保存在本机。').first();
    await expect(done.or(expired)).toBeVisible({ timeout: 30_000 });
    if (await expired.isVisible()) {
      test.info().annotations.push({ type: 'session', description: 'cookie lost with the killed browser: signed in again' });
      await signInAgain(page, idNumber);
    }
    await expect(done).toBeVisible({ timeout: 30_000 });
    const receiptNumber = (await page.locator('receipt-page .receipt-number').textContent())?.trim();
    await expect(page.getByText('回执签名：已验证')).toBeVisible();

    const { submissions } = await (await page.request.get('/api/submissions')).json();
    expect(submissions).toHaveLength(1);
    expect(submissions[0].receiptNumber).toBe(receiptNumber);
    const detail = await (await page.request.get(`/api/submissions/${submissions[0].id}`)).json();
    expect(detail.application).toMatchObject({ idNumber, school: '山东大学', major: '土木工程' });
    const { publicKey } = await (await page.request.get('/api/receipts/public-key')).json();
    expect(await verifyReceipt(detail.receipt, publicKey)).toBe(true);

    // Nothing personal stays on the device once the receipt is in: no draft, no outbox item.
    const left = await page.evaluate(async () => {
      const open = indexedDB.open('jianli-registration');
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const count = (store: string) =>
        new Promise<number>((resolve) => {
          const request = db.transaction(store).objectStore(store).count();
          request.onsuccess = () => resolve(request.result);
        });
      const result = { drafts: await count('drafts'), outbox: await count('outbox'), receipts: await count('receipts') };
      db.close();
      return result;
    });
    expect(left).toEqual({ drafts: 0, outbox: 0, receipts: 1 });
    await context.close();
  } finally {
    killBrowser(userDataDir);
    await rm(userDataDir, { recursive: true, force: true });
  }
});
