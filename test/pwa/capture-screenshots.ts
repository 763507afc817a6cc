/**
 * Re-makes the install dialog's screenshots (client/public/screenshots/, listed in the web app
 * manifest) from the real app: the built client on the real server, in Debian's Chromium.
 *
 *   npm run build && node --import tsx test/pwa/capture-screenshots.ts
 *
 * Then run `npm run build` again so dist/ has the new files. Each PNG is reduced to a palette so it
 * stays well under 60 KB.
 */
import { writeFile } from 'node:fs/promises';
import { chromium } from '@playwright/test';
import sharp from 'sharp';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium.mjs';
import { startServer } from '../server-process.ts';

const OUT_DIR = 'client/public/screenshots';
const LIMIT = 60 * 1024;
const SHOTS = [
  { file: 'narrow.png', width: 360, height: 640 },
  { file: 'wide.png', width: 1280, height: 800 },
] as const;

const server = await startServer();
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  for (const shot of SHOTS) {
    // No service worker: the picture is of the page, not of a half-installed worker's first paint.
    const context = await browser.newContext({
      viewport: { width: shot.width, height: shot.height },
      deviceScaleFactor: 1,
      locale: 'zh-CN',
      serviceWorkers: 'block',
    });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByRole('button', { name: '在线办理' }).waitFor();
    await page.evaluate(() => document.fonts.ready);
    const png = await page.screenshot({ type: 'png' });
    const small = await sharp(png).png({ palette: true, colours: 64, compressionLevel: 9, effort: 10 }).toBuffer();
    if (small.length >= LIMIT) throw new Error(`${shot.file}: ${small.length} bytes, over ${LIMIT}`);
    await writeFile(`${OUT_DIR}/${shot.file}`, small);
    console.log(`${OUT_DIR}/${shot.file}: ${shot.width}×${shot.height}, ${(small.length / 1024).toFixed(1)} KiB`);
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
