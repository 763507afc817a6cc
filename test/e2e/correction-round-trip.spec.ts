import { mkdir } from 'node:fs/promises';
import type { APIRequestContext, Page, PlaywrightWorkerArgs } from '@playwright/test';
import { type RunningServer, startServer } from '../server-process.ts';
import { expect, test } from './fixtures.ts';
import { applyAsNewApplicant } from './journey-steps.ts';
import { madeUpIdNumber, portraitJpeg } from './made-up-person.ts';
import { addStaffAccount, type NewStaffAccount } from './staff-steps.ts';

/**
 * 补正 there and back, as the people involved meet it: the applicant submits on a phone, the employer
 * confirms, the reviewer asks for another photo; the applicant sees 需补正 in 我的申请, fixes the photo
 * beside the reviewer's note and resubmits; the reviewer takes version 2 on to 准予注册, and the phone
 * shows it.
 */

const SHOTS = 'test-results/correction-shots';
const PHOTO_NOTE = '照片头部比例过小，请上传近期一寸免冠正面照片';

// A server of its own: `npm run staff` must reach the same database as the server.
let server: RunningServer;
test.beforeAll(async () => {
  server = await startServer();
  await mkdir(SHOTS, { recursive: true });
});
test.afterAll(async () => {
  await server?.stop();
});

/**
 * An account made with the command, signed in through the API as a desk client would: the one-time
 * password is changed with an authenticator's code, which signs in; the cookie stays with the context.
 */
async function signedInStaff(
  playwright: PlaywrightWorkerArgs['playwright'],
  account: NewStaffAccount,
  newPassword: string,
): Promise<APIRequestContext> {
  const api = await playwright.request.newContext({ baseURL: server.url });
  const changed = await api.post('/api/staff/password', {
    data: { username: account.username, password: account.password, newPassword, code: await account.authenticator.code() },
  });
  expect(changed.status(), await changed.text()).toBe(200);
  return api;
}

/** A reviewer's decision on the version the reviewer has in front of them. */
async function decide(reviewer: APIRequestContext, submissionId: string, version: number, decision: string, extra: object = {}) {
  const answer = await reviewer.post(`/api/staff/submissions/${submissionId}/decisions`, { data: { decision, version, ...extra } });
  expect(answer.status(), `${decision}: ${await answer.text()}`).toBe(200);
  return answer.json();
}

/**
 * 我的申请 opened again later, as the person would: from 我的申请 itself by way of 返回首页, from a receipt
 * by its own button. The device asks the server each time it opens.
 */
async function reopenMyApplications(phone: Page, receiptNumber: string) {
  const home = phone.getByRole('button', { name: '返回首页' });
  if (await home.isVisible()) await home.click();
  await phone.getByRole('button', { name: '我的申请' }).last().click();
  await expect(phone.getByText(`申请编号：${receiptNumber}`)).toBeVisible();
}

test('补正 on the photo: the phone shows it, the person resubmits, the reviewer takes version 2 to 准予注册', async ({ browser, playwright }) => {
  test.setTimeout(180_000);

  // The applicant, on a phone: the whole journey, ending in 我的申请.
  const phoneContext = await browser.newContext({ baseURL: server.url, locale: 'zh-CN', viewport: { width: 360, height: 640 } });
  const phone = await phoneContext.newPage();
  const receiptNumber = await applyAsNewApplicant(phone, madeUpIdNumber());
  const { submissions } = await (await phone.request.get('/api/submissions')).json();
  const submissionId: string = submissions[0].id;
  const { application } = await (await phone.request.get(`/api/submissions/${submissionId}`)).json();
  const uscc: string = application.enterprise.uscc;
  const firstPhoto: string = application.photo;

  // The employer the application names, made with the command, confirms through the API.
  const employer = await signedInStaff(playwright, await addStaffAccount(server.dataDir, 'danwei-bz', 'employer', uscc), 'Danwei2026');
  const own = await employer.get('/api/employer/submissions');
  expect(own.status(), await own.text()).toBe(200);
  expect((await own.json()).submissions).toMatchObject([{ id: submissionId, receiptNumber, canConfirm: true }]);
  const confirmed = await employer.post(`/api/employer/submissions/${submissionId}/confirmation`, { data: { confirmed: true } });
  expect(confirmed.status(), await confirmed.text()).toBe(200);
  await employer.dispose();

  // The reviewer asks 补正 on the photo, on version 1.
  const reviewer = await signedInStaff(playwright, await addStaffAccount(server.dataDir, 'shencha-bz', 'reviewer'), 'Shencha2026');
  const detail = async () => {
    const answer = await reviewer.get(`/api/staff/submissions/${submissionId}`);
    expect(answer.status(), await answer.text()).toBe(200);
    return answer.json();
  };
  expect(await detail()).toMatchObject({ version: 1, status: 'employer_confirmed' });
  expect(await decide(reviewer, submissionId, 1, 'request_correction', { corrections: [{ field: 'photo', note: PHOTO_NOTE }] })).toMatchObject({
    status: 'correction_requested',
  });

  // The app brings the news itself on its next start: the banner, whose button leads to 我的申请 with
  // 需补正, the note with its field, and 补正.
  await phone.goto('/');
  await expect(phone.getByText('您的申请需要补正')).toBeVisible();
  await phone.getByRole('button', { name: '查看补正意见' }).click();
  await expect(phone.getByText(`申请编号：${receiptNumber}`)).toBeVisible();
  const item = phone.locator('my-applications-page li').filter({ hasText: receiptNumber });
  await expect(item).toContainText('办理状态：需补正');
  await expect(item.getByRole('listitem')).toHaveText([`一寸免冠照片：${PHOTO_NOTE}`]);
  await phone.screenshot({ path: `${SHOTS}/my-applications-needs-correction.png`, fullPage: true });
  await item.getByRole('button', { name: '补正' }).click();

  // The form, reopened with what was submitted: the note at the top and beside the photo.
  await expect(phone).toHaveURL(new RegExp(`/apply/form\\?correction=${submissionId}$`));
  await expect(phone.getByRole('heading', { name: '需补正' })).toBeVisible();
  await expect(phone.getByLabel('毕业院校')).toHaveValue('山东大学');
  await expect(phone.getByRole('img', { name: '当前使用的一寸免冠照片' })).toBeVisible();
  const attachments = phone.locator('application-attachments-section');
  const besidePhoto = attachments.locator('.correction-note');
  await expect(besidePhoto).toHaveText(`补正意见：${PHOTO_NOTE}`);
  // Beside the photo: just before the photo tool, and nowhere near the signature.
  expect(await besidePhoto.evaluate((note) => note.nextElementSibling?.localName)).toBe('photo-tool');
  await besidePhoto.scrollIntoViewIfNeeded();
  await phone.screenshot({ path: `${SHOTS}/form-with-photo-note.png` });

  // Another photo, then 下一步: the outbox sends version 2 and the receipt is shown.
  await phone.getByLabel('上传一寸免冠照片').setInputFiles({ name: 'photo-2.jpg', mimeType: 'image/jpeg', buffer: await portraitJpeg('#f7f7f7') });
  await phone.getByRole('button', { name: '使用此照片' }).click();
  await expect(phone.getByText(/照片已生成/)).toBeVisible();
  await phone.getByRole('button', { name: '下一步' }).click();
  await expect(phone.getByText('您所申请的事项已经提交成功！')).toBeVisible({ timeout: 30_000 });
  await expect(phone.locator('receipt-page .receipt-number')).toHaveText(receiptNumber);
  await expect(phone.getByText('回执签名：已验证')).toBeVisible();

  // Back with the reviewer as version 2, the first version kept, the photo the new one.
  const resubmitted = await detail();
  expect(resubmitted).toMatchObject({ version: 2, status: 'employer_confirmed', receiptNumber });
  expect(resubmitted.versions.map((each: { version: number }) => each.version)).toEqual([1, 2]);
  expect(resubmitted.versions[0].application.photo).toBe(firstPhoto);
  expect(resubmitted.application.photo).not.toBe(firstPhoto);
  expect(resubmitted.history.map((entry: { kind: string; status: string }) => `${entry.kind}:${entry.status}`)).toEqual([
    'submitted:submitted',
    'status:employer_confirmed',
    'status:correction_requested',
    'resubmitted:employer_confirmed',
  ]);
  const photo = await reviewer.get(`/api/staff/submissions/${submissionId}/attachments/photo`);
  expect(photo.status()).toBe(200);
  expect(photo.headers()['content-type']).toBe('image/jpeg');

  // A decision on the superseded version is refused; on version 2 it goes through to 准予注册.
  const stale = await reviewer.post(`/api/staff/submissions/${submissionId}/decisions`, { data: { decision: 'accept', version: 1 } });
  expect(stale.status()).toBe(409);
  for (const [decision, status] of [
    ['accept', 'accepted'],
    ['start_review', 'under_review'],
    ['publicise', 'publicised'],
    ['approve', 'approved'],
  ] as const) {
    expect(await decide(reviewer, submissionId, 2, decision)).toMatchObject({ status, version: 2 });
  }
  await reviewer.dispose();

  // The phone, on its next look: 准予注册, and nothing left to correct.
  await reopenMyApplications(phone, receiptNumber);
  await expect(item).toContainText('办理状态：准予注册');
  await expect(item.getByRole('button', { name: '补正' })).toHaveCount(0);
  await expect(phone.getByText('您的申请需要补正')).toHaveCount(0);
  await phoneContext.close();
});
