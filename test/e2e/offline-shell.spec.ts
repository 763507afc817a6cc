import { readFile, rename, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import sharp from 'sharp';
import type { Page } from '@playwright/test';
import { expectNoAxeViolations } from './accessibility.ts';
import { expect, test, untilServiceWorkerControls } from './fixtures.ts';
import { acceptNotice, fillApplicationForm, passFaceVerification, registerNewApplicant } from './journey-steps.ts';
import { madeUpIdNumber } from './made-up-person.ts';

const TITLE = '监理工程师执业资格认定（初始注册）';
const LOAD_ERROR = '页面加载失败';

/** The screens that work offline, by address, and what shows that each rendered from the precache. */
const OFFLINE_SCREENS: { path: string; tag: string; shows: RegExp | string }[] = [
  { path: '/apply/done', tag: 'receipt-page', shows: '本机没有提交记录' },
  { path: '/applications', tag: 'my-applications-page', shows: '我的申请' },
];

/** Screens that need the server (sw/precache-scope.ts): cached when first opened, not precached. */
const ONLINE_ONLY_SCREENS: { path: string; tag: string; shows: RegExp | string }[] = [
  { path: '/identity', tag: 'identity-page', shows: '身份核验' },
  { path: '/register', tag: 'register-page', shows: '用户注册' },
  { path: '/sign-in', tag: 'sign-in-page', shows: '登录' },
  { path: '/face', tag: 'face-page', shows: '人脸识别' },
];

/** The paths of every URL in the page's caches. */
function cachedPaths(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const names = await caches.keys();
    const urls = await Promise.all(names.map(async (name) => (await (await caches.open(name)).keys()).map((r) => r.url)));
    return urls.flat().map((url) => new URL(url).pathname);
  });
}

test.describe('the installed app with no network', () => {
  test('the service worker takes over, and every screen that works offline then opens from its cache', async ({ page, context }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(TITLE);
    await untilServiceWorkerControls(page);
    // The module worker, which shares the page's chunks (sw/sw.ts), not the classic fallback.
    expect(await page.evaluate(() => new URL(navigator.serviceWorker.controller!.scriptURL).pathname)).toBe('/sw.js');
    // Opened once online: from then on it opens offline too.
    const [visited, ...neverVisited] = ONLINE_ONLY_SCREENS;
    await page.goto(visited!.path);
    await expect(page.locator(visited!.tag)).toContainText(visited!.shows);

    await context.setOffline(true);
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(TITLE);
    await expect(page.getByRole('button', { name: '在线办理' })).toBeVisible();

    for (const screen of [...OFFLINE_SCREENS, visited!]) {
      await page.goto(screen.path);
      await expect(page.locator(screen.tag), screen.path).toContainText(screen.shows);
      await expect(page.getByText(LOAD_ERROR), screen.path).toHaveCount(0);
    }
    // One never opened says in Chinese that it needs the network, and that what was typed is kept.
    for (const screen of neverVisited) {
      await page.goto(screen.path);
      await expect(page.getByRole('alert'), screen.path).toContainText(LOAD_ERROR);
      await expect(page.getByRole('alert'), screen.path).toContainText('已填写的内容保存在本机');
    }

    // 注册须知 by address, then on to the form inside the app: both chunks come from the cache.
    await page.goto('/apply/notice');
    await expect(page.getByRole('heading', { name: '注册须知' })).toBeVisible();
    await page.getByLabel('全选').check();
    await page.getByRole('button', { name: '下一步' }).click();
    await expect(page).toHaveURL(/\/apply\/form$/);
    // With no account and no draft on this device, the form cannot start: it says so in Chinese and
    // offers to try again, rather than showing a blank page.
    const form = page.locator('application-form-page');
    await expect(form.getByRole('heading', { name: TITLE })).toBeVisible();
    await expect(form.getByRole('alert')).toContainText('网络');
    await expect(form.getByRole('button', { name: '重试' })).toBeVisible();

    // And by address too, as a bookmark or the home-screen icon would open it.
    await page.goto('/apply/form');
    await expect(form.getByRole('alert')).toContainText('网络');
    await expect(page.getByText(LOAD_ERROR)).toHaveCount(0);
  });

  test('the API is never answered from the cache', async ({ page, context }) => {
    await page.goto('/');
    await untilServiceWorkerControls(page);
    expect(await page.evaluate(async () => (await fetch('/api/health')).status)).toBe(200);
    await context.setOffline(true);
    const offline = await page.evaluate(() =>
      fetch('/api/health').then(
        (response) => `answered ${response.status}`,
        () => 'network error',
      ),
    );
    expect(offline).toBe('network error');
    const cached = await page.evaluate(async () => {
      const names = await caches.keys();
      const urls = await Promise.all(names.map(async (name) => (await (await caches.open(name)).keys()).map((r) => r.url)));
      return urls.flat();
    });
    expect(cached.length).toBeGreaterThan(0);
    expect(cached.filter((url) => new URL(url).pathname.startsWith('/api/'))).toEqual([]);
  });
});

test.describe('web app manifest', () => {
  test('is linked, served as application/manifest+json, and says what Chrome needs to install the app', async ({
    page,
    request,
  }) => {
    await page.goto('/');
    await expect(page.locator('link[rel=manifest]')).toHaveAttribute('href', '/manifest.webmanifest');
    const response = await request.get('/manifest.webmanifest');
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toMatch(/^application\/manifest\+json/);
    expect(response.headers()['cache-control']).toBe('no-cache');
    const manifest = JSON.parse(await response.text());
    expect(manifest).toMatchObject({
      id: '/',
      name: TITLE,
      short_name: '监理注册',
      lang: 'zh-CN',
      dir: 'ltr',
      display: 'standalone',
      start_url: '/',
      scope: '/',
      theme_color: '#1f5fa8',
      background_color: '#f3f5f8',
    });
    expect(manifest.description).toMatch(/[\u4e00-\u9fff]/);
    const icons = manifest.icons as { src: string; sizes: string; type: string; purpose: string }[];
    expect(icons.map((icon) => `${icon.sizes} ${icon.purpose}`).sort()).toEqual([
      '192x192 any',
      '512x512 any',
      '512x512 maskable',
    ]);
    const screenshots = manifest.screenshots as { src: string; sizes: string; form_factor: string; label: string }[];
    expect(screenshots.map((shot) => `${shot.form_factor} ${shot.sizes}`).sort()).toEqual([
      'narrow 360x640',
      'wide 1280x800',
    ]);

    // Every image is there, a PNG of exactly the size the manifest claims.
    const appleTouch = await page.locator('link[rel=apple-touch-icon]').getAttribute('href');
    const images = [
      ...icons.map((icon) => ({ src: icon.src, sizes: icon.sizes })),
      ...screenshots.map((shot) => ({ src: shot.src, sizes: shot.sizes })),
      { src: appleTouch!, sizes: '180x180' },
    ];
    for (const image of images) {
      const file = await request.get(image.src);
      expect(file.status(), image.src).toBe(200);
      expect(file.headers()['content-type'], image.src).toBe('image/png');
      const body = await file.body();
      const meta = await sharp(body).metadata();
      expect(`${meta.width}x${meta.height}`, image.src).toBe(image.sizes);
      if (image.src.includes('/screenshots/')) expect(body.length, `${image.src} stays small`).toBeLessThan(60 * 1024);
    }

    // The maskable icon and the iOS one fill their square: the platform cuts the shape.
    for (const src of ['/icons/maskable-512.png', appleTouch!]) {
      const { data, info } = await sharp(await (await request.get(src)).body()).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      const cornerAlpha = data[info.channels - 1];
      expect(cornerAlpha, `${src} has an opaque corner`).toBe(255);
    }
  });

  test('the shell and its manifest are precached; the PNG icons, fetched by the OS when installing, on first use', async ({
    page,
    context,
  }) => {
    await page.goto('/');
    await untilServiceWorkerControls(page);
    const precached = await cachedPaths(page);
    for (const path of ['/manifest.webmanifest', '/icons/icon.svg', '/index.html']) expect(precached, path).toContain(path);
    expect(precached.filter((path) => path.endsWith('.png'))).toEqual([]);

    expect(await page.evaluate(async () => (await fetch('/icons/icon-192.png')).status)).toBe(200);
    await expect.poll(() => cachedPaths(page)).toContain('/icons/icon-192.png');
    await context.setOffline(true);
    const offline = await page.evaluate(async () => {
      const response = await fetch('/icons/icon-192.png');
      return `${response.status} ${response.headers.get('content-type')}`;
    });
    expect(offline).toBe('200 image/png');
    expect((await cachedPaths(page)).filter((path) => path.startsWith('/screenshots/'))).toEqual([]);
  });
});

test.describe('a browser without module service workers', () => {
  test('gets the classic worker, remembered, with the same offline shell', async ({ page, context }) => {
    await page.addInitScript(() => {
      // What Chromium before 91 answers (Safari 14 fails to evaluate the module instead).
      const register = ServiceWorkerContainer.prototype.register;
      const calls: string[] = [];
      (window as unknown as { registerCalls: string[] }).registerCalls = calls;
      ServiceWorkerContainer.prototype.register = function (url: string | URL, options?: RegistrationOptions) {
        calls.push(`${url} ${options?.type ?? 'classic'}`);
        if (options?.type === 'module') {
          return Promise.reject(new DOMException("type 'module' in RegistrationOptions is not implemented yet.", 'NotSupportedError'));
        }
        return register.call(this, url, options);
      };
    });
    const calls = () => page.evaluate(() => (window as unknown as { registerCalls: string[] }).registerCalls);
    await page.goto('/');
    await untilServiceWorkerControls(page);
    expect(await page.evaluate(() => new URL(navigator.serviceWorker.controller!.scriptURL).pathname)).toBe('/sw-classic.js');
    expect(await calls()).toEqual(['/sw.js module', '/sw-classic.js classic']);

    // The next visit goes straight to the classic one, so the update banner follows it from the start.
    await page.reload();
    await expect.poll(calls).toEqual(['/sw-classic.js classic']);

    await context.setOffline(true);
    for (const path of ['/', '/apply/notice', '/apply/done', '/applications']) {
      await page.goto(path);
      await expect(page.getByText(LOAD_ERROR), path).toHaveCount(0);
    }
    await expect(page.locator('my-applications-page')).toContainText('我的申请');
  });
});

test.describe('a new version', () => {
  const swPath = 'dist/client/sw.js';
  const precompressed = [`${swPath}.br`, `${swPath}.gz`];

  /**
   * Publishes a byte-different service worker (the built one plus a comment) in the directory the
   * running server serves, as a deployment would, and puts the built one back afterwards.
   */
  async function withNewVersionPublished(run: () => Promise<void>) {
    const original = await readFile(swPath);
    const moved = precompressed.filter((path) => existsSync(path));
    for (const path of moved) await rename(path, `${path}.e2e`);
    try {
      await writeFile(swPath, Buffer.concat([original, Buffer.from(`\n// e2e: next version ${Date.now()}\n`)]));
      await run();
    } finally {
      await writeFile(swPath, original);
      for (const path of moved) await rename(`${path}.e2e`, path);
    }
  }

  test('is offered, never swapped in on its own, and taken when the person presses the button', async ({ page }) => {
    await page.goto('/');
    await untilServiceWorkerControls(page);
    const firstWorker = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);

    await withNewVersionPublished(async () => {
      await page.evaluate(async () => {
        await (await navigator.serviceWorker.getRegistration())?.update();
      });
      const banner = page.locator('update-banner');
      await expect(banner.getByRole('button', { name: '有新版本，刷新' })).toBeVisible({ timeout: 15_000 });
      const waiting = () => page.evaluate(async () => Boolean((await navigator.serviceWorker.getRegistration())?.waiting));
      expect(await waiting()).toBe(true);
      await expectNoAxeViolations(page, 'update banner');

      // Loading the form keeps the new version waiting, and there the banner asks to finish first.
      await page.goto('/apply/form');
      await expect(banner).toContainText('有新版本，提交或离开此页后刷新');
      expect(await waiting()).toBe(true);

      // Pressing it: the new worker takes over and the page reloads into it.
      await page.evaluate(() => {
        (window as unknown as { beforeUpdate: boolean }).beforeUpdate = true;
      });
      const reloaded = page.waitForEvent('load', { timeout: 15_000 });
      await banner.getByRole('button', { name: '立即刷新' }).click();
      await reloaded;
      expect(await page.evaluate(() => 'beforeUpdate' in window)).toBe(false);
      await expect.poll(waiting).toBe(false);
      await expect(page).toHaveURL(/\/apply\/form$/);
      await expect(banner.getByRole('button')).toHaveCount(0);
      expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(firstWorker);
    });
  });
});

test.describe('Background Sync', () => {
  test('the service worker sends a submission queued offline, with no page of the app open', async ({ page, context }) => {
    test.setTimeout(90_000);
    const idNumber = madeUpIdNumber();
    await registerNewApplicant(page, idNumber);
    await passFaceVerification(page);
    await acceptNotice(page);
    await fillApplicationForm(page, idNumber);
    await untilServiceWorkerControls(page);

    await context.setOffline(true);
    await page.getByRole('button', { name: '下一步' }).click();
    await expect(page.getByText('等待网络，恢复后自动提交')).toBeVisible();
    const submissions = async () => (await (await context.request.get('/api/submissions')).json()).submissions.length;
    expect(await submissions()).toBe(0);

    // The person closes the app; the connection comes back later.
    const origin = new URL(page.url()).origin;
    await page.close();
    await context.setOffline(false);

    // What Chrome does when the connection returns: wake the worker with the outbox's sync tag.
    const blank = await context.newPage();
    const cdp = await context.newCDPSession(blank);
    const registrationIds = new Set<string>();
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      for (const r of registrations) if (r.scopeURL === `${origin}/` && !r.isDeleted) registrationIds.add(r.registrationId);
    });
    await cdp.send('ServiceWorker.enable');
    await expect.poll(() => registrationIds.size).toBe(1);
    const [registrationId] = registrationIds;
    await cdp.send('ServiceWorker.dispatchSyncEvent', { origin, registrationId: registrationId!, tag: 'outbox', lastChance: false });

    await expect.poll(submissions, { timeout: 30_000 }).toBe(1);
    const [stored] = (await (await context.request.get('/api/submissions')).json()).submissions;
    // The worker kept the receipt on the device: the receipt page shows it even offline.
    await context.setOffline(true);
    await blank.goto(`${origin}/apply/done?submission=${stored.id}`);
    await expect(blank.getByText('您所申请的事项已经提交成功！')).toBeVisible();
  });
});

test.describe('install prompt', () => {
  /** What Chrome sends once the app is installable (headless Chromium never does by itself). */
  function chromeOffersInstall(page: Page) {
    return page.evaluate(async () => {
      const event = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
        prompt: async () => {},
        userChoice: Promise.resolve({ outcome: 'dismissed' }),
      });
      window.dispatchEvent(event);
      // Defined (it loads after the first screen) and rendered by the time this returns, so "not shown"
      // below is a real answer.
      await customElements.whenDefined('install-prompt');
      await (document.querySelector('app-shell')?.shadowRoot?.querySelector('install-prompt') as { updateComplete?: Promise<unknown> } | null)
        ?.updateComplete;
      return event.defaultPrevented;
    });
  }

  test('is not offered on the first visit, is on the second, and 暂不 keeps it away', async ({ page }) => {
    const prompt = page.locator('install-prompt').getByText('安装到手机桌面，网络不好也能打开');
    await page.goto('/');
    await expect(page.getByRole('button', { name: '在线办理' })).toBeVisible();
    expect(await chromeOffersInstall(page), 'Chrome\'s own banner is held back').toBe(true);
    await expect(prompt).toHaveCount(0);

    await page.reload();
    await expect(page.getByRole('button', { name: '在线办理' })).toBeVisible();
    await chromeOffersInstall(page);
    await expect(prompt).toBeVisible();
    await expect(page.locator('install-prompt').getByRole('button', { name: '安装' })).toBeVisible();
    await expectNoAxeViolations(page, 'install prompt');
    await page.locator('install-prompt').getByRole('button', { name: '暂不' }).click();
    await expect(prompt).toHaveCount(0);

    await page.reload();
    await expect(page.getByRole('button', { name: '在线办理' })).toBeVisible();
    await chromeOffersInstall(page);
    await expect(prompt).toHaveCount(0);
  });
});
