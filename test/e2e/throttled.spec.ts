import { expect, test } from './fixtures.ts';
import { applyAsNewApplicant } from './journey-steps.ts';
import { madeUpIdNumber } from './made-up-person.ts';

/** A weak mobile link: 400 kbps each way, 400 ms round trip. */
const LINK = { offline: false, latency: 400, downloadThroughput: 50_000, uploadThroughput: 50_000 };

// A first visit: no service worker yet, so every byte of every screen crosses the slow link.
test.use({ serviceWorkers: 'block', actionTimeout: 30_000 });

test('a new applicant submits on a 400 kbps link with 400 ms round trips', async ({ page }) => {
  test.setTimeout(180_000);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', LINK);

  // Bytes on the wire (headers and compressed bodies) by resource type, for the first screen.
  const types = new Map<string, string>();
  const firstScreen = new Map<string, number>();
  let counting = true;
  cdp.on('Network.responseReceived', (event) => types.set(event.requestId, event.type));
  cdp.on('Network.loadingFinished', (event) => {
    if (!counting) return;
    const type = types.get(event.requestId) ?? 'Other';
    firstScreen.set(type, (firstScreen.get(type) ?? 0) + event.encodedDataLength);
  });
  await page.goto('/');
  await expect(page.getByRole('button', { name: '在线办理' })).toBeVisible({ timeout: 30_000 });
  counting = false;
  const total = [...firstScreen.values()].reduce((sum, bytes) => sum + bytes, 0);
  test.info().annotations.push({
    type: 'first screen bytes',
    description: `${total} (${[...firstScreen].map(([type, bytes]) => `${type} ${bytes}`).join(', ')})`,
  });
  expect(firstScreen.get('Document'), 'the HTML arrived over the emulated link').toBeGreaterThan(0);

  const receiptNumber = await applyAsNewApplicant(page, madeUpIdNumber(), { patience: 30_000 });
  expect(receiptNumber).toMatch(/^JL\d{14}$/);
});
