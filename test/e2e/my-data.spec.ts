import { readFile } from 'node:fs/promises';
import { type RunningServer, startServer } from '../server-process.ts';
import { expectNoAxeViolations } from './accessibility.ts';
import { expect, test } from './fixtures.ts';
import { applyAsNewApplicant } from './journey-steps.ts';
import { madeUpIdNumber } from './made-up-person.ts';
import { addStaffAccount } from './staff-steps.ts';

/**
 * 我的信息 as the person meets it: after the journey a reviewer opens the application; the person's
 * 我的信息 lists that read under 谁查看了我的申请, 下载我的数据 saves the application in a JSON file, and
 * 注销账号 is refused, naming the application, while it is in progress.
 */

// A server of its own: `npm run staff` must reach the same database as the server.
let server: RunningServer;
test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server?.stop();
});

test('谁查看了我的申请 lists the reviewer’s read; 下载我的数据 downloads it all; 注销账号 waits for the application', async ({ browser, playwright }) => {
  test.setTimeout(150_000);
  const context = await browser.newContext({ baseURL: server.url, locale: 'zh-CN', viewport: { width: 360, height: 640 }, acceptDownloads: true });
  const phone = await context.newPage();
  const idNumber = madeUpIdNumber();
  const receiptNumber = await applyAsNewApplicant(phone, idNumber);
  const { submissions } = await (await phone.request.get('/api/submissions')).json();
  const submissionId: string = submissions[0].id;

  // A reviewer made with the command signs in (the one-time password changed with an authenticator's
  // code) and opens the application, as the console's detail does.
  const account = await addStaffAccount(server.dataDir, 'shencha-wd', 'reviewer');
  const reviewer = await playwright.request.newContext({ baseURL: server.url });
  const signedIn = await reviewer.post('/api/staff/password', {
    data: { username: account.username, password: account.password, newPassword: 'Shencha2026', code: await account.authenticator.code() },
  });
  expect(signedIn.status(), await signedIn.text()).toBe(200);
  const detail = await reviewer.get(`/api/staff/submissions/${submissionId}`);
  expect(detail.status(), await detail.text()).toBe(200);

  // From 我的申请, where the journey ends, to 我的信息.
  await phone.getByRole('button', { name: '我的信息' }).click();
  await expect(phone.getByRole('heading', { name: '我的信息', level: 1 })).toBeVisible();
  const accessLog = phone.getByRole('region', { name: '谁查看了我的申请' }).getByRole('listitem');
  await expect(accessLog).toHaveCount(1);
  await expect(accessLog.first()).toContainText('审查人员');
  await expect(accessLog.first()).toContainText('查看了申请');
  await expect(accessLog.first()).toContainText(receiptNumber);
  await expect(phone.getByRole('region', { name: '谁查看了我的申请' })).not.toContainText('shencha-wd');
  await expectNoAxeViolations(phone, 'my data');

  const downloading = phone.waitForEvent('download');
  await phone.getByRole('button', { name: '下载我的数据' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^我的数据-\d{4}-\d{2}-\d{2}\.json$/);
  const file = JSON.parse(await readFile(await download.path(), 'utf8'));
  expect(file.account.idNumber).toBe(idNumber);
  expect(file.applications[0].receiptNumber).toBe(receiptNumber);
  expect(file.applications[0].versions[0].application.idNumber).toBe(idNumber);
  expect(file.accessLog[0]).toMatchObject({ role: 'reviewer', action: 'submission.read', receiptNumber });

  // The application is still in progress: closing is refused, naming it.
  await phone.getByRole('button', { name: '注销账号' }).click();
  await phone.getByRole('button', { name: '确认注销' }).click();
  await expect(phone.getByRole('alert').filter({ hasText: '办结或撤回后才能注销账号' })).toContainText(receiptNumber);

  // The large-text mode too.
  await phone.getByRole('button', { name: '大字模式' }).click();
  await expectNoAxeViolations(phone, 'my data, large text');
  await context.close();
  await reviewer.dispose();
});
