import { expectNoAxeViolations } from './accessibility.ts';
import { expect, test } from './fixtures.ts';
import { acceptNotice, passFaceVerification, registerNewApplicant } from './journey-steps.ts';
import { madeUpIdNumber, portraitJpeg } from './made-up-person.ts';

test('signing in on a second device brings the draft there, photo included', async ({ page, browser }) => {
  test.setTimeout(90_000);
  const idNumber = madeUpIdNumber();
  await registerNewApplicant(page, idNumber);
  await passFaceVerification(page);
  await acceptNotice(page);
  await page.getByLabel('毕业院校').fill('哈尔滨工业大学');
  await page.getByLabel('学历').selectOption({ label: '硕士研究生' });
  await page.getByLabel('上传一寸免冠照片').setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: await portraitJpeg() });
  await page.getByRole('button', { name: '使用此照片' }).click();
  await expect(page.locator('sync-status')).toContainText('已同步', { timeout: 15_000 });

  // Another phone: a fresh browser profile, nothing on the device.
  const other = await browser.newContext({ baseURL: process.env.E2E_BASE_URL, locale: 'zh-CN', viewport: { width: 360, height: 640 } });
  const phone = await other.newPage();
  await phone.goto('/identity');
  await phone.getByLabel('姓名').fill('张伟');
  await phone.getByLabel('身份证号码').fill(idNumber);
  await phone.getByRole('button', { name: '确定' }).click();
  await expect(phone.getByRole('heading', { name: '登录' })).toBeVisible();
  await expectNoAxeViolations(phone, 'sign-in');
  await phone.getByLabel('密码').fill('jianli2026');
  await phone.getByRole('button', { name: '登录' }).click();
  await expect(phone.getByRole('heading', { name: '人脸识别' })).toBeVisible();
  await phone.goto('/apply/form');
  await expect(phone.getByLabel('毕业院校')).toHaveValue('哈尔滨工业大学');
  await expect(phone.getByLabel('学历')).not.toHaveValue('');
  await expect(phone.getByRole('img', { name: '当前使用的一寸免冠照片' })).toBeVisible();
  await other.close();
});
