import { expect as baseExpect, type Page } from '@playwright/test';
import sharp from 'sharp';
import { portraitJpeg } from './made-up-person.ts';

/**
 * The applicant's journey, screen by screen, as a person would go through it. journey.spec.ts runs it
 * with an accessibility check on every screen; throttled.spec.ts runs it on a slow, laggy link.
 */

/** Called once each screen is ready, with its name (e.g. axe over the page). */
export type ScreenCheck = (screen: string) => Promise<void>;

export interface JourneyOptions {
  check?: ScreenCheck;
  /** How long each expectation may wait (Playwright's default is 5 s; a slow link needs more). */
  patience?: number;
}

interface Step {
  page: Page;
  check: ScreenCheck;
  expect: typeof baseExpect;
  patience: number;
}

const DEFAULT_PATIENCE = 5_000;

function step(page: Page, options: JourneyOptions): Step {
  const patience = options.patience ?? DEFAULT_PATIENCE;
  return { page, check: options.check ?? (async () => {}), expect: baseExpect.configure({ timeout: patience }), patience };
}

/** From the service page through 身份核验 and 用户注册 to the face-verification screen. */
export async function registerNewApplicant(page: Page, idNumber: string, options: JourneyOptions = {}) {
  const { check, expect } = step(page, options);
  await page.goto('/');
  await expect(page.getByRole('button', { name: '在线办理' })).toBeVisible();
  await check('service page');
  await page.getByRole('button', { name: '在线办理' }).click();

  await expect(page.getByRole('heading', { name: '身份核验' })).toBeVisible();
  await page.getByLabel('姓名').fill('张伟');
  await page.getByLabel('身份证号码').fill(idNumber);
  await check('identity check');
  await page.getByRole('button', { name: '确定' }).click();

  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('未查询到该用户，是否前往注册？');
  await dialog.getByRole('button', { name: '确定' }).click();

  await expect(page.getByRole('heading', { name: '用户注册' })).toBeVisible();
  await expect(page.getByLabel('身份证号码')).toHaveValue(idNumber);
  await page.getByLabel('手机号码').fill('13800138000');
  await page.getByLabel('设置密码').fill('jianli2026');
  await check('registration');
  await page.getByRole('button', { name: '注册' }).click();
}

/** 人脸识别: consent, the (development) check, on to 注册须知. */
export async function passFaceVerification(page: Page, options: JourneyOptions = {}) {
  const { check, expect } = step(page, options);
  await expect(page.getByRole('heading', { name: '人脸识别' })).toBeVisible();
  const next = page.getByRole('button', { name: '下一步' });
  await expect(next).toBeDisabled();
  await page.getByLabel(/授权/).check();
  await check('face verification consent');
  await next.click();
  await page.getByRole('button', { name: '开始识别' }).click();
  await expect(page.getByText('已通过')).toBeVisible();
}

/** 注册须知: read, 全选, 下一步. */
export async function acceptNotice(page: Page, options: JourneyOptions = {}) {
  const { check, expect } = step(page, options);
  await expect(page.getByRole('heading', { name: '注册须知' })).toBeVisible();
  await check('notice');
  await page.getByLabel('全选').check();
  await page.getByRole('button', { name: '下一步' }).click();
}

/** 申报信息: what the account knows is filled in; the rest as a person would type it. */
export async function fillApplicationForm(page: Page, idNumber: string, options: JourneyOptions = {}) {
  const { check, expect } = step(page, options);
  await expect(page.getByRole('heading', { name: '基本信息' })).toBeVisible();
  await expect(page.getByLabel('证件号码')).toHaveValue(idNumber);
  // Read from the ID number: digits 7-14 are the birth date.
  await expect(page.getByLabel('出生日期')).toHaveValue(`${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`);
  await page.getByLabel('民族').selectOption({ label: '汉族' });
  await page.getByLabel('学历').selectOption({ label: '大学本科' });
  await page.getByLabel('学位').selectOption({ label: '学士' });
  await page.getByLabel('毕业院校').fill('山东大学');
  await page.getByLabel('所学专业').fill('土木工程');
  await page.getByLabel('毕业时间').fill('2012-07-01');

  await page.getByLabel('企业名称').fill('监理');
  await page.getByRole('listbox', { name: '匹配的企业' }).getByRole('option').first().click();
  const enterprise = page.getByLabel('所选企业');
  await expect(enterprise).toContainText('统一信用代码');

  await page.getByLabel('申请注册专业1').selectOption({ label: '房屋建筑工程' });
  await page.getByLabel('申请注册专业2').selectOption({ label: '市政公用工程' });

  await page.getByLabel('上传一寸免冠照片').setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: await portraitJpeg() });
  await page.getByRole('button', { name: '使用此照片' }).click();

  await drawSignature(page);

  await page.getByRole('button', { name: '查看承诺书' }).click();
  const commitment = page.getByRole('dialog', { name: '个人承诺' });
  await expect(commitment).toContainText('本人姓名：张伟');
  await commitment.getByLabel('本人作出上述承诺').check();
  await commitment.getByRole('button', { name: '确认' }).click();
  await expect(page.getByText('已作出承诺')).toBeVisible();
  await check('application form');
}

/** A signature written with the finger (here the mouse) on the pad, then 完成. */
export async function drawSignature(page: Page) {
  const pad = page.getByLabel('签名板，请用手指或鼠标在此处书写签名');
  // Centre it: the fixed bar with 下一步 covers the bottom of the screen.
  await pad.evaluate((canvas) => canvas.scrollIntoView({ block: 'center' }));
  const box = (await pad.boundingBox())!;
  await page.mouse.move(box.x + 20, box.y + box.height / 2);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++) await page.mouse.move(box.x + 20 + i * 15, box.y + box.height / 2 + (i % 2 ? -18 : 18));
  await page.mouse.up();
  await page.getByRole('button', { name: '完成' }).click();
}

/** 下一步 on the form until 您所申请的事项已经提交成功！; returns the receipt number shown. */
export async function submitApplication(page: Page, options: JourneyOptions = {}): Promise<string> {
  const { check, expect, patience } = step(page, options);
  await page.getByRole('button', { name: '下一步' }).click();
  await expect(page.getByText('您所申请的事项已经提交成功！')).toBeVisible({ timeout: Math.max(20_000, patience) });
  const receiptNumber = (await page.locator('receipt-page .receipt-number').textContent())?.trim();
  expect(receiptNumber).toMatch(/^JL\d{14}$/);
  await check('receipt');
  return receiptNumber!;
}

/** What staff will find: one complete application, its photo re-encoded to 295×413. */
export async function expectApplicationStored(page: Page, receiptNumber: string, idNumber: string) {
  const expect = baseExpect;
  const list = await page.request.get('/api/submissions');
  const { submissions } = await list.json();
  expect(submissions).toHaveLength(1);
  expect(submissions[0].receiptNumber).toBe(receiptNumber);
  const detail = await (await page.request.get(`/api/submissions/${submissions[0].id}`)).json();
  expect(detail.application).toMatchObject({ name: '张伟', idNumber, education: expect.any(String), specialty1: expect.any(String) });
  const photo = await page.request.get(`/api/attachments/${detail.application.photo}`);
  expect(photo.headers()['content-type']).toBe('image/jpeg');
  const meta = await sharp(await photo.body()).metadata();
  expect([meta.width, meta.height, meta.exif]).toEqual([295, 413, undefined]);
}

/** 我的申请 lists the application just submitted. */
export async function openMyApplications(page: Page, receiptNumber: string, options: JourneyOptions = {}) {
  const { check, expect } = step(page, options);
  await page.getByRole('button', { name: '我的申请' }).last().click();
  await expect(page.getByText(`申请编号：${receiptNumber}`)).toBeVisible();
  await expect(page.getByText('已提交，待单位确认')).toBeVisible();
  await check('my applications');
}

/** The whole journey of a new applicant, from the service page to 我的申请. */
export async function applyAsNewApplicant(page: Page, idNumber: string, options: JourneyOptions = {}) {
  await registerNewApplicant(page, idNumber, options);
  await passFaceVerification(page, options);
  await acceptNotice(page, options);
  await fillApplicationForm(page, idNumber, options);
  const receiptNumber = await submitApplication(page, options);
  await expectApplicationStored(page, receiptNumber, idNumber);
  await openMyApplications(page, receiptNumber, options);
  return receiptNumber;
}
