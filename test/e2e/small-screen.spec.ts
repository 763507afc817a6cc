import type { CDPSession, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { applyAsNewApplicant } from './journey-steps.ts';
import { madeUpIdNumber } from './made-up-person.ts';

/**
 * The smallest phone still in use (320×568): no screen scrolls sideways and every button and field
 * lies within the screen's width, as it is, and with 大字模式 on and the browser's text size at 200%.
 */
test.use({ viewport: { width: 320, height: 568 } });

/** Chromium's default text sizes; a person's text-size setting at 200% doubles them. */
const TEXT_SIZE = { standard: 16, fixed: 13 };

/** Everything sideways of the screen: the page's overflow and each control outside it (shadow roots included). */
function sidewaysOverflow(page: Page) {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const found: string[] = [];
    const scrollWidth = document.documentElement.scrollWidth;
    if (scrollWidth > width) found.push(`page ${scrollWidth}px wide in ${width}px`);
    const nameOf = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.classList.length ? `.${[...el.classList].join('.')}` : ''}`;
    const visit = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll('*')) {
        if (el.shadowRoot) visit(el.shadowRoot);
        // What sticks out, to say where the sideways scroll comes from (innermost first).
        const sticksOut = (e: Element) => e.getBoundingClientRect().right > width + 0.5;
        if (scrollWidth > width && sticksOut(el) && ![...el.children, ...(el.shadowRoot?.children ?? [])].some(sticksOut)) {
          found.push(`${nameOf(el)} ends at ${Math.round(el.getBoundingClientRect().right)}px`);
        }
        for (const node of scrollWidth > width ? el.childNodes : []) {
          if (node.nodeType !== Node.TEXT_NODE) continue;
          const range = document.createRange();
          range.selectNode(node);
          const right = range.getBoundingClientRect().right;
          if (right > width + 0.5) found.push(`text "${node.textContent?.trim().slice(0, 30)}" in ${nameOf(el)} ends at ${Math.round(right)}px`);
        }
        if (!el.matches('button, input, select, textarea')) continue;
        const box = el.getBoundingClientRect();
        // Visually hidden controls (a file input behind its label, a checkbox drawn by CSS) are 1px or less.
        if (box.width <= 1 || box.height <= 1 || getComputedStyle(el).visibility === 'hidden') continue;
        if (box.left < -0.5 || box.right > width + 0.5) {
          const name = el.getAttribute('aria-label') || el.textContent?.trim() || el.id;
          found.push(`${el.tagName.toLowerCase()}${name ? ` "${name}"` : ''} ${Math.round(box.left)}–${Math.round(box.right)}px`);
        }
      }
    };
    visit(document);
    return found;
  });
}

async function setTextSize(cdp: CDPSession, factor: number) {
  await cdp.send('Page.setFontSizes', {
    fontSizes: { standard: TEXT_SIZE.standard * factor, fixed: TEXT_SIZE.fixed * factor },
  });
}

async function setLargeText(page: Page, on: boolean) {
  const toggle = page.getByRole('button', { name: '大字模式' });
  if ((await toggle.getAttribute('aria-pressed')) !== String(on)) await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', String(on));
}

/** Checks the screen as shown, then with large text and 200% text size, and leaves it as it was. */
function checkBothSizes(page: Page, cdp: CDPSession) {
  return async (screen: string) => {
    // Soft: one run lists every screen that overflows.
    expect.soft(await sidewaysOverflow(page), `${screen} at 320px`).toEqual([]);
    await setLargeText(page, true);
    await setTextSize(cdp, 2);
    // 大字模式's 1.25rem of a 32px default: the person's text size reaches the app.
    expect(await page.locator('app-shell').evaluate((el) => getComputedStyle(el).fontSize)).toBe('40px');
    expect.soft(await sidewaysOverflow(page), `${screen}, 大字模式 and 200% text`).toEqual([]);
    await setTextSize(cdp, 1);
    await setLargeText(page, false);
  };
}

test('every applicant screen fits 320px, with large text at 200% too', async ({ page }) => {
  test.setTimeout(120_000);
  const cdp = await page.context().newCDPSession(page);
  const check = checkBothSizes(page, cdp);
  await applyAsNewApplicant(page, madeUpIdNumber(), { check });

  // The screens off the journey's way, opened by address as the signed-in person would.
  const screens: [string, string][] = [
    ['/me', '我的信息'],
    ['/account/mobile', '更换手机号码'],
    ['/sign-in', '登录'],
    ['/forgot-password', '找回密码'],
  ];
  for (const [path, shows] of screens) {
    await page.goto(path);
    await expect(page.locator('main')).toContainText(shows);
    await check(path);
  }
});

test("the staff console's sign-in fits 320px, with 200% text too", async ({ page }) => {
  const cdp = await page.context().newCDPSession(page);
  await page.goto('/staff');
  await expect(page.getByRole('heading', { name: '工作人员登录' })).toBeVisible();
  expect(await sidewaysOverflow(page)).toEqual([]);
  await setTextSize(cdp, 2);
  expect(await page.locator('staff-console').evaluate((el) => getComputedStyle(el).fontSize)).toBe('30px');
  expect(await sidewaysOverflow(page)).toEqual([]);
});
