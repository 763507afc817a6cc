import { expectNoAxeViolations } from './accessibility.ts';
import { expect, test } from './fixtures.ts';
import { passFaceVerification, registerNewApplicant } from './journey-steps.ts';
import { madeUpIdNumber } from './made-up-person.ts';

const OLD_PASSWORD = 'jianli2026';
const NEW_PASSWORD = 'xinmima2027';

test('忘记密码: back in through 人脸识别 with a new password; the old one no longer works', async ({ page }) => {
  test.setTimeout(90_000);
  const idNumber = madeUpIdNumber();
  await registerNewApplicant(page, idNumber);
  await passFaceVerification(page);
  await page.request.delete('/api/session');
  expect((await page.request.get('/api/session')).status()).toBe(401);

  await page.goto('/sign-in');
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
  await page.getByRole('button', { name: '忘记密码' }).click();

  await expect(page.getByRole('heading', { name: '找回密码' })).toBeVisible();
  await page.getByLabel('姓名').fill('张伟');
  await page.getByLabel('身份证号码').fill(idNumber);
  await expectNoAxeViolations(page, 'forgot password');
  await page.getByRole('button', { name: '下一步' }).click();

  // The journey's face check, with the development verifier and Chromium's fake camera.
  await expect(page.getByRole('heading', { name: '第二步：人脸识别' })).toBeVisible();
  await page.getByLabel(/授权/).check();
  await page.getByRole('button', { name: '下一步' }).click();
  await page.getByRole('button', { name: '开始识别' }).click();

  await expect(page.getByRole('heading', { name: '第三步：设置新密码' })).toBeVisible();
  await page.getByLabel('新密码').fill(NEW_PASSWORD);
  await expectNoAxeViolations(page, 'new password');
  await page.getByRole('button', { name: '确定' }).click();

  await expect(page.getByRole('heading', { name: '我的申请' })).toBeVisible();
  expect((await page.request.get('/api/session')).status()).toBe(200);
  const signIn = (password: string) => page.request.post('/api/session', { data: { idNumber, password } });
  expect((await signIn(OLD_PASSWORD)).status()).toBe(401);
  expect((await signIn(NEW_PASSWORD)).status()).toBe(200);
});
