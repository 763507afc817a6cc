import type { Page } from '@playwright/test';
import { AGE_LIMIT_MESSAGE } from '../../shared/age.ts';
import { addDays, isoDateOf, parseIsoDate } from '../../shared/calendar-date.ts';
import { CLOCK_NOTE_TEXT } from '../../client/components/clock-note.ts';
import { expect, test } from './fixtures.ts';
import {
  acceptNotice,
  expectApplicationStored,
  fillApplicationForm,
  openMyApplications,
  passFaceVerification,
  submitApplication,
} from './journey-steps.ts';
import { madeUpIdNumber } from './made-up-person.ts';

/** The phone's clock runs this many days behind; the server (this machine) is right. */
const DAYS_BEHIND = 30;

/** Every `Date` the page makes without arguments, and `Date.now()`, read the phone's wrong clock. */
async function setClockBehind(page: Page, days: number) {
  await page.addInitScript((shiftMs) => {
    const RealDate = Date;
    class PhoneDate extends RealDate {
      constructor(...args: ConstructorParameters<DateConstructor> | []) {
        if (args.length === 0) super(RealDate.now() + shiftMs);
        else super(...(args as ConstructorParameters<DateConstructor>));
      }
      static override now() {
        return RealDate.now() + shiftMs;
      }
    }
    globalThis.Date = PhoneDate as DateConstructor;
  }, -days * 24 * 60 * 60 * 1000);
}

/** A resident ID of someone who turned 66 `daysAgo` days before `today`: over the age limit today. */
function turned66(today: string, daysAgo: number): string {
  let day = addDays(today, -daysAgo);
  // 66 years back, 29 February falls in a common year: take the day before.
  while (!parseIsoDate(`${Number(day.slice(0, 4)) - 66}${day.slice(4)}`)) day = addDays(day, -1);
  return madeUpIdNumber(`${Number(day.slice(0, 4)) - 66}${day.slice(5, 7)}${day.slice(8)}`);
}

test("with the phone's clock days behind, dates are judged by the server's day", async ({ page }) => {
  test.setTimeout(90_000);
  await setClockBehind(page, DAYS_BEHIND);
  const serverToday = isoDateOf(new Date());
  const idNumber = madeUpIdNumber();
  await page.goto('/');
  expect(await page.evaluate(() => Date.now() - performance.timeOrigin - performance.now())).toBeLessThan(
    -(DAYS_BEHIND - 1) * 24 * 60 * 60 * 1000,
  );

  // 身份核验: the first answer from the server tells its time.
  await page.getByRole('button', { name: '在线办理' }).click();
  await page.getByLabel('姓名').fill('张伟');
  await page.getByLabel('身份证号码').fill(idNumber);
  await page.getByRole('button', { name: '确定' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '确定' }).click();
  await expect(page.getByRole('heading', { name: '用户注册' })).toBeVisible();
  // One sentence says the phone's clock is off and the server's day is used.
  await expect(page.getByText(CLOCK_NOTE_TEXT)).toBeVisible();

  // Turned 66 ten days ago by the server's day; by the phone's day still 65 for another 20 days.
  const idField = page.getByLabel('身份证号码');
  await idField.fill(turned66(serverToday, 10));
  await idField.blur();
  const ageProblem = page.locator('#idNumber-error', { hasText: AGE_LIMIT_MESSAGE });
  await expect(ageProblem).toBeVisible();
  await idField.fill(idNumber);
  await idField.blur();
  await expect(ageProblem).toHaveCount(0);
  await page.getByLabel('手机号码').fill('13800138000');
  await page.getByLabel('设置密码').fill('jianli2026');
  await page.getByRole('button', { name: '注册' }).click();

  await passFaceVerification(page);
  await acceptNotice(page);
  await fillApplicationForm(page, idNumber);
  // The date pickers end at the server's today, and three days ago is not "in the future".
  await expect(page.getByLabel('毕业时间')).toHaveAttribute('max', serverToday);
  await expect(page.getByLabel('出生日期')).toHaveAttribute('max', serverToday);
  await page.getByLabel('毕业时间').fill(addDays(serverToday, -3));
  await page.getByLabel('毕业时间').blur();
  await expect(page.getByText('毕业时间不能晚于今天')).toHaveCount(0);

  const receiptNumber = await submitApplication(page);
  await expect(page.getByText('回执签名：已验证')).toBeVisible();
  // 提交时间 is the server's, on the server's day, whatever the phone's clock says.
  const [year, month, day] = serverToday.split('-').map(Number);
  const submitted = page.locator('receipt-page dt:text("提交时间") + dd');
  await expect(submitted).toContainText(`${year}/${month}/${day}`);

  await expectApplicationStored(page, receiptNumber, idNumber);
  const detail = await (await page.request.get('/api/submissions')).json();
  const stored = await (await page.request.get(`/api/submissions/${detail.submissions[0].id}`)).json();
  expect(stored.application.graduationDate).toBe(addDays(serverToday, -3));
  // The commitment is dated by the server's clock too.
  expect(isoDateOf(new Date(stored.application.commitment.acceptedAt))).toBe(serverToday);
  await openMyApplications(page, receiptNumber);
});
