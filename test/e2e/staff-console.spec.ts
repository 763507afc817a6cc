import { mkdir } from 'node:fs/promises';
import type { APIResponse, Browser, BrowserContext, Page } from '@playwright/test';
import { startServer, type RunningServer } from '../server-process.ts';
import { expectNoAxeViolations } from './accessibility.ts';
import { expect, test } from './fixtures.ts';
import { applyAsNewApplicant } from './journey-steps.ts';
import { madeUpIdNumber } from './made-up-person.ts';
import { addApiToken, addStaffAccount, FeedFollower, focusedName, parseCsv, signInByKeyboard, tabTo } from './staff-steps.ts';

const SHOTS = 'test-results/console-shots';
const DESKTOP = { width: 1280, height: 800 };

// A server of its own: the command must reach the same database as the console.
let server: RunningServer;
test.beforeAll(async () => {
  server = await startServer();
  await mkdir(SHOTS, { recursive: true });
});
test.afterAll(async () => {
  await server?.stop();
});

/** A desktop browser for one member of staff: no applicant state, no service worker of the app. */
async function desk(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: server.url, locale: 'zh-CN', viewport: DESKTOP });
  return { context, page: await context.newPage() };
}

const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });

test('staff made with the command take the journey’s application from submission to 准予注册', async ({ browser, playwright }) => {
  test.setTimeout(240_000);
  const dataDir = server.dataDir;

  // The operator makes the reviewer, an admin and the province's token; the token's client follows the feed from the start.
  const reviewer = await addStaffAccount(dataDir, 'shencha01', 'reviewer');
  const admin = await addStaffAccount(dataDir, 'guanli01', 'admin');
  const token = await addApiToken(dataDir, 'province-sd');
  const feed = new FeedFollower(server.url, token);

  // The applicant, on a phone of their own.
  const phone = await browser.newContext({ baseURL: server.url, locale: 'zh-CN', viewport: { width: 360, height: 640 } });
  const applicant = await phone.newPage();
  const idNumber = madeUpIdNumber();
  const receiptNumber = await applyAsNewApplicant(applicant, idNumber);
  const { submissions } = await (await applicant.request.get('/api/submissions')).json();
  const submissionId: string = submissions[0].id;
  const { application } = await (await applicant.request.get(`/api/submissions/${submissionId}`)).json();
  const uscc: string = application.enterprise.uscc;
  expect(uscc).toMatch(/^[0-9A-Z]{18}$/);
  await phone.close();

  // The employer the applicant named gets an account and confirms.
  const employer = await addStaffAccount(dataDir, 'danwei01', 'employer', uscc);
  const employerDesk = await desk(browser);
  await employerDesk.page.goto('/staff');
  await expect(employerDesk.page.getByRole('heading', { name: '工作人员登录' })).toBeVisible();
  await employerDesk.page.getByLabel('用户名').fill(employer.username);
  await employerDesk.page.getByLabel('密码').fill(employer.password);
  const employerCode = await employer.authenticator.code();
  await employerDesk.page.getByLabel('动态验证码').fill(employerCode);
  await employerDesk.page.getByRole('button', { name: '登录' }).click();
  await expect(employerDesk.page.getByRole('heading', { name: '设置新密码' })).toBeVisible();
  await shot(employerDesk.page, 'password-change');
  await employerDesk.page.getByRole('textbox', { name: '新密码', exact: true }).fill('Danwei2026');
  await employerDesk.page.getByLabel('再次输入新密码').fill('Danwei2026');
  await employerDesk.page.getByLabel('动态验证码').fill(employerCode);
  await employerDesk.page.getByRole('button', { name: '设置新密码并登录' }).click();
  // Signed in, the employer's own list answers (the staff cookie must reach /api/employer too).
  await expect(employerDesk.page.getByRole('heading', { name: '本单位人员的注册申请' }), 'the employer stays signed in').toBeVisible();
  const row = employerDesk.page.getByRole('row').filter({ hasText: receiptNumber });
  await expect(row).toContainText('已提交，待单位确认');
  await expectNoAxeViolations(employerDesk.page, 'employer list');
  await shot(employerDesk.page, 'employer-list');
  await row.getByRole('button', { name: '确认', exact: true }).click();
  await expect(row).toContainText('单位已确认');
  await employerDesk.context.close();

  // The reviewer: first sign-in and password change by keyboard, then out and in again with the new password.
  const reviewerDesk = await desk(browser);
  const page = reviewerDesk.page;
  await page.goto('/staff');
  await expect(page.getByRole('heading', { name: '工作人员登录' })).toBeVisible();
  await expectNoAxeViolations(page, 'staff sign-in');
  await shot(page, 'sign-in');
  await signInByKeyboard(page, reviewer, 'Shencha2026');
  await expect(page.getByRole('heading', { name: '申请办理' })).toBeVisible();
  await tabTo(page, '退出登录');
  await page.keyboard.press('Enter');
  await signInByKeyboard(page, reviewer);

  // The queue shows the application with its count; it opens by keyboard.
  await expect(page.getByRole('heading', { name: '申请办理' })).toBeVisible();
  const link = page.getByRole('link', { name: receiptNumber });
  await expect(link).toBeVisible();
  await expect(page.getByRole('button', { name: '单位已确认 1' })).toBeVisible();
  await expectNoAxeViolations(page, 'queue');
  await shot(page, 'queue');
  await tabTo(page, receiptNumber);
  await page.keyboard.press('Enter');

  // The detail, photo and signature loaded from the staff-only links.
  await expect(page.getByRole('heading', { name: '张伟 的注册申请' })).toBeVisible();
  for (const name of ['申请人的一寸免冠照片', '申请人的签名']) {
    const image = page.getByRole('img', { name });
    await expect(image).toBeVisible();
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  }
  const facts = page.locator('staff-detail-page dl.facts');
  await expect(facts).toContainText('单位已确认');
  await expectNoAxeViolations(page, 'detail');
  await shot(page, 'detail');

  // 受理 with the keyboard only: Tab to it, Enter, and the confirming button has the focus.
  await tabTo(page, '受理');
  await page.keyboard.press('Enter');
  await expect.poll(() => focusedName(page)).toBe('确认受理');
  await shot(page, 'decision-form');
  await page.keyboard.press('Enter');
  await expect(facts).toContainText('已受理');

  for (const [decision, status] of [
    ['开始审查', '审查中'],
    ['公示', '公示中'],
    ['准予注册', '准予注册'],
  ] as const) {
    await page.getByRole('button', { name: decision, exact: true }).click();
    await page.getByRole('button', { name: `确认${decision}` }).click();
    await expect(facts).toContainText(status);
  }
  await expect(page.getByText('该申请当前的状态无需工作人员办理。')).toBeVisible();
  await expectNoAxeViolations(page, 'detail after 准予注册');
  await shot(page, 'detail-approved');

  // The province's client saw each change once, in the order committed.
  const events = await feed.stop();
  expect(events.map((event) => event.status)).toEqual(['submitted', 'employer_confirmed', 'accepted', 'under_review', 'publicised', 'approved']);
  expect(new Set(events.map((event) => event.submissionId))).toEqual(new Set([submissionId]));
  expect(events.every((event) => event.receiptNumber === receiptNumber && event.version === 1)).toBe(true);
  const seqs = events.map((event) => event.seq);
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  expect(new Set(seqs).size).toBe(seqs.length);

  // The export, with the reviewer's cookie: BOM first, the ID number and USCC kept as text.
  const csv = await page.request.get('/api/staff/submissions.csv');
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
  const bytes = await csv.body();
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString('utf8');
  expect(text.endsWith('\r\n')).toBe(true);
  const [heading, ...rows] = parseCsv(text);
  const line = rows.find((cells) => cells.includes(receiptNumber));
  expect(line, 'the application’s row').toBeDefined();
  const cell = (title: string) => line![heading!.indexOf(title)];
  expect(cell('证件号码')).toBe(`="${idNumber}"`);
  expect(cell('统一社会信用代码')).toBe(`="${uscc}"`);
  expect(cell('姓名')).toBe('张伟');
  expect(cell('状态')).toBe('准予注册');
  await reviewerDesk.context.close();

  // The admin reads the audit: every sign-in, read, decision, confirmation, export and token use.
  const adminApi = await playwright.request.newContext({ baseURL: server.url });
  const firstTry = await adminApi.post('/api/staff/session', { data: { username: admin.username, password: admin.password, code: await admin.authenticator.code() } });
  expect(firstTry.status()).toBe(403);
  expect(await firstTry.json()).toMatchObject({ passwordChangeRequired: true });
  const changed = await adminApi.post('/api/staff/password', {
    data: { username: admin.username, password: admin.password, newPassword: 'Guanli2026', code: await admin.authenticator.code() },
  });
  expect(changed.status()).toBe(200);
  const audit: { actor: string; actorRole: string | null; organisation: string | null; action: string; subject: string; address: string | null }[] = [];
  let cursor: string | null = null;
  do {
    const answer: APIResponse = await adminApi.get('/api/staff/audit', { params: { limit: '200', ...(cursor ? { cursor } : {}) } });
    expect(answer.status()).toBe(200);
    const entries: { entries: typeof audit; nextCursor: string | null } = await answer.json();
    audit.push(...entries.entries);
    cursor = entries.nextCursor;
  } while (cursor);
  await adminApi.dispose();

  const subject = `submission:${submissionId}`;
  const has = (action: string, role: string, about?: string) =>
    audit.some((entry) => entry.action === action && entry.actorRole === role && (about === undefined || entry.subject === about));
  const expected: [string, string, string?][] = [
    ['staff.password-change', 'employer'],
    ['submissions.list', 'employer'],
    ['submission.confirmation.confirm', 'employer', subject],
    ['staff.password-change', 'reviewer'],
    ['staff.sign-in', 'reviewer'],
    ['submissions.list', 'reviewer'],
    ['submission.read', 'reviewer', subject],
    ['submission.attachment.photo', 'reviewer', subject],
    ['submission.attachment.signature', 'reviewer', subject],
    ['submission.decision.accept', 'reviewer', subject],
    ['submission.decision.start_review', 'reviewer', subject],
    ['submission.decision.publicise', 'reviewer', subject],
    ['submission.decision.approve', 'reviewer', subject],
    ['submissions.export', 'reviewer'],
    ['feed.read', 'token'],
    ['staff.password-change', 'admin'],
  ];
  expect(expected.filter(([action, role, about]) => !has(action, role, about)), 'audit entries missing').toEqual([]);
  expect(audit.some((entry) => entry.action === 'submission.submit' && entry.subject === subject && entry.actor.startsWith('account:'))).toBe(true);
  expect(audit.find((entry) => entry.action === 'submission.confirmation.confirm')?.organisation).toBe(uscc);
  expect(audit.find((entry) => entry.action === 'feed.read')?.organisation).toBe('province-sd');
  expect(audit.filter((entry) => entry.action.startsWith('staff.')).every((entry) => entry.address === '127.0.0.1')).toBe(true);
});
