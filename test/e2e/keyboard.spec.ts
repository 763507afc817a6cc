import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { madeUpIdNumber, portraitJpeg } from './made-up-person.ts';

/** What has focus, looking through shadow roots: the control's tag and the name a person hears. */
function focused(page: Page) {
  return page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el) return { tag: '', name: '' };
    const input = el as HTMLInputElement;
    const label = input.labels?.[0]?.textContent ?? '';
    const name = (el.getAttribute('aria-label') ?? (label || el.textContent) ?? '').replace(/\s+/g, '').replace(/\*$/, '');
    return { tag: el.tagName.toLowerCase(), name };
  });
}

/** Presses Tab (a bounded number of times) until the control named `name` has focus. */
async function tabTo(page: Page, name: string | RegExp) {
  for (let i = 0; i < 80; i++) {
    const now = await focused(page);
    if (typeof name === 'string' ? now.name === name : name.test(now.name)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`could not reach ${name} with Tab`);
}

async function typeInto(page: Page, name: string, text: string) {
  await tabTo(page, name);
  await page.keyboard.type(text);
}

async function choose(page: Page, name: string, option: string) {
  await tabTo(page, name);
  // Arrow keys move through a focused native select, as a keyboard user would (bounded).
  for (let i = 0; i < 80; i++) {
    const chosen = await page.evaluate(() => {
      let el: Element | null = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      const select = el as HTMLSelectElement;
      return select.selectedOptions?.[0]?.textContent?.trim() ?? '';
    });
    if (chosen === option) return;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`could not choose ${option} in ${name}`);
}

test('the whole journey can be completed with the keyboard alone', async ({ page }) => {
  test.setTimeout(120_000);
  // Playwright intercepts file choosers only while a listener is attached, and turning that on races the
  // key press that opens the chooser; one listener for the whole test keeps it on from the start.
  page.on('filechooser', () => {});
  const idNumber = madeUpIdNumber();
  await page.goto('/');
  await tabTo(page, '在线办理');
  await page.keyboard.press('Enter');

  await typeInto(page, '姓名', '王芳');
  await typeInto(page, '身份证号码', idNumber);
  await tabTo(page, '确定');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog')).toBeVisible();
  await tabTo(page, '确定');
  await page.keyboard.press('Enter');

  await typeInto(page, '手机号码', '13712345678');
  await typeInto(page, '设置密码', 'keyboard2026');
  await page.keyboard.press('Enter');

  await tabTo(page, /授权/);
  await page.keyboard.press('Space');
  await tabTo(page, '下一步');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: '开始识别' })).toBeEnabled();
  await tabTo(page, '开始识别');
  await page.keyboard.press('Enter');
  await expect(page.getByText('已通过')).toBeVisible();

  await expect(page.getByRole('heading', { name: '注册须知' })).toBeVisible();
  await tabTo(page, '全选');
  await page.keyboard.press('Space');
  await tabTo(page, '下一步');
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { name: '基本信息' })).toBeVisible();
  await choose(page, '民族', '汉族');
  await choose(page, '学历', '大学本科');
  await choose(page, '学位', '学士');
  await typeInto(page, '毕业院校', '重庆大学');
  await typeInto(page, '所学专业', '土木工程');
  await tabTo(page, '毕业时间');
  await page.keyboard.type('07012011');
  await typeInto(page, '企业名称', '监理');
  await expect(page.getByRole('listbox', { name: '匹配的企业' }).getByRole('option').first()).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('所选企业')).toContainText('统一信用代码');
  await choose(page, '申请注册专业1', '公路工程');
  await choose(page, '申请注册专业2', '铁路工程');

  await tabTo(page, '上传一寸免冠照片');
  const photoChooser = page.waitForEvent('filechooser');
  await page.keyboard.press('Space');
  await (await photoChooser).setFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: await portraitJpeg() });
  await tabTo(page, '使用此照片');
  await page.keyboard.press('Enter');
  await expect(page.getByText(/照片已生成/)).toBeVisible();

  await tabTo(page, '上传签名');
  const signatureChooser = page.waitForEvent('filechooser');
  await page.keyboard.press('Space');
  await (await signatureChooser).setFiles({ name: 'signature.png', mimeType: 'image/png', buffer: await signaturePng() });

  await tabTo(page, '查看承诺书');
  await page.keyboard.press('Enter');
  await tabTo(page, '本人作出上述承诺');
  await page.keyboard.press('Space');
  await tabTo(page, '确认');
  await page.keyboard.press('Enter');
  await expect(page.getByText('已作出承诺')).toBeVisible();

  await tabTo(page, '下一步');
  await page.keyboard.press('Enter');
  await expect(page.getByText('您所申请的事项已经提交成功！')).toBeVisible({ timeout: 20_000 });
});

/** A black scribble on white paper, as a scanned signature would be. */
async function signaturePng(): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="240">
    <rect width="600" height="240" fill="#fff"/>
    <path d="M40 160 C 120 40, 160 220, 240 110 S 360 60, 420 150 S 520 90, 560 120" stroke="#111" stroke-width="8" fill="none"/>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}
