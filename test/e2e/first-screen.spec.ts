import { expect, test } from './fixtures.ts';

test('the service page loads in Chinese with 在线办理', async ({ page }) => {
  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page).toHaveTitle('监理工程师执业资格认定（初始注册）');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('监理工程师执业资格认定（初始注册）');
  await expect(page.getByRole('button', { name: '在线办理' })).toBeVisible();
  await expect(page.getByText('本服务由住房和城乡建设部提供')).toBeVisible();
});

test('the API answers health and unknown paths in JSON', async ({ request }) => {
  const health = await request.get('/api/health');
  expect(health.status()).toBe(200);
  expect(await health.json()).toMatchObject({ status: 'ok', storage: 'sqlite' });
  const missing = await request.get('/api/nothing-here');
  expect(missing.status()).toBe(404);
  expect((await missing.json()).error).toBe('请求的地址不存在');
});
