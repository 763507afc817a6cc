import type { Page } from '@playwright/test';
import { KEPT_ON_DEVICE_TEXT } from '../../client/pages/service-page.ts';
import { expect, test } from './fixtures.ts';
import { applyAsNewApplicant } from './journey-steps.ts';
import { madeUpIdNumber } from './made-up-person.ts';

/**
 * Browsers that lack what the app keeps offline: no service worker (in-app browsers, some private
 * modes), no IndexedDB (storage disabled, private windows). The person still applies online, and one
 * plain sentence says what this browser cannot do and what to use instead.
 */

const NO_OFFLINE = '此浏览器不能在没有网络时打开本页：如需离线使用，请把本应用安装到手机桌面，或换用其他浏览器。';
const IN_WECHAT = '在微信中不能离线使用本页：请点右上角「…」→「在浏览器打开」，用手机浏览器办理。';
const NO_STORAGE = '此浏览器不能在本机保存内容：填写的信息不会保存在本设备上，关闭页面会丢失已填写的内容';
const WECHAT_AGENT =
  'Mozilla/5.0 (Linux; Android 12; V2141A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5023 MMWEBSDK/20230202 MicroMessenger/8.0.33.2320(0x28002151) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN';

const notice = (page: Page) => page.locator('browser-limits-notice');

/** The receipt is shown right after 提交成功: its signature checks out, the notice still says its sentence. */
function atReceipt(page: Page, sentence: string) {
  return async (screen: string) => {
    if (screen === 'application form') await expect(notice(page)).toContainText(sentence);
    if (screen !== 'receipt') return;
    await expect(page.getByText('回执签名：已验证')).toBeVisible();
    await expect(notice(page)).toContainText(sentence);
  };
}

async function withoutServiceWorker(page: Page) {
  await page.addInitScript(() => {
    // As an in-app browser has it: the attribute is not there at all.
    delete (Navigator.prototype as { serviceWorker?: ServiceWorkerContainer }).serviceWorker;
  });
}

test('no service worker: the journey finishes online, and the notice says offline needs the installed app', async ({ page }) => {
  await withoutServiceWorker(page);
  await applyAsNewApplicant(page, madeUpIdNumber(), {
    check: async (screen) => {
      // Drafts are still kept in IndexedDB here, and the first screen says so.
      if (screen === 'service page') await expect(page.getByText(KEPT_ON_DEVICE_TEXT)).toBeVisible();
      await atReceipt(page, NO_OFFLINE)(screen);
    },
  });
  expect(await page.evaluate(() => 'serviceWorker' in navigator)).toBe(false);
  await expect(notice(page).getByRole('note')).toHaveText(NO_OFFLINE);
});

test.describe('in the WeChat browser', () => {
  test.use({ userAgent: WECHAT_AGENT });

  test('with no service worker the notice says how to open the page in the system browser', async ({ page }) => {
    await withoutServiceWorker(page);
    await page.goto('/');
    await expect(page.getByRole('button', { name: '在线办理' })).toBeVisible();
    await expect(notice(page).getByRole('note')).toHaveText(IN_WECHAT);
  });
});

test('IndexedDB refusing to open: the form works in memory, 下一步 submits online, the notice says nothing is kept', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.addInitScript(() => {
    // As storage disabled or a private window answers.
    IDBFactory.prototype.open = () => {
      throw new DOMException('The user denied permission to access the database.', 'InvalidStateError');
    };
  });
  const atEachScreen = atReceipt(page, NO_STORAGE);
  await applyAsNewApplicant(page, madeUpIdNumber(), {
    check: async (screen) => {
      // The first screen promises nothing this browser cannot keep.
      if (screen === 'service page') {
        await expect(notice(page)).toContainText(NO_STORAGE);
        await expect(page.getByText(KEPT_ON_DEVICE_TEXT)).toHaveCount(0);
      }
      await atEachScreen(screen);
    },
  });
  await expect(page.getByText('无法在本机保存填写内容')).toHaveCount(0);
  expect(errors).toEqual([]);
});
