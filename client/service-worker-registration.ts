import { Workbox } from 'workbox-window';
import { OUTBOX_SYNC_TAG } from '../sw/worker-protocol.ts';

let announce: (workbox: Workbox) => void = () => {};
const registered = new Promise<Workbox>((resolve) => {
  announce = resolve;
});

/**
 * Registers the service worker that keeps the app shell available offline. Updates are explicit:
 * a waiting worker is activated only when the person presses the update banner (see sw/sw.ts).
 */
export function registerServiceWorker(): Workbox | undefined {
  if (!('serviceWorker' in navigator)) return undefined;
  const wb = new Workbox('/sw.js');
  // Workbox waits for the page's load event, so the precache download never delays the first screen.
  wb.register().catch((error: unknown) => console.error('[sw] registration failed', error));
  announce(wb);
  return wb;
}

/** The app's Workbox once registered; never settles where there is none (development, old browsers). */
export function registeredWorkbox(): Promise<Workbox> {
  return registered;
}

/** Background Sync on a registration (not in TypeScript's DOM library; Chromium only). */
interface SyncCapable {
  sync?: { register(tag: string): Promise<void> };
}

/**
 * Asks the browser to wake the service worker to send the outbox once the connection is back, even
 * if the page is closed by then. Call it whenever something is put in the outbox. Resolves true when
 * the browser accepted, false where Background Sync is missing or refused; the page's own triggers
 * (app start, `online`) send the outbox either way.
 */
export async function requestOutboxSync(): Promise<boolean> {
  try {
    // getRegistration, not `ready`: `ready` never settles where no worker is registered.
    const registration = (await navigator.serviceWorker?.getRegistration()) as
      | (ServiceWorkerRegistration & SyncCapable)
      | undefined;
    if (!registration?.sync || !registration.active) return false;
    await registration.sync.register(OUTBOX_SYNC_TAG);
    return true;
  } catch {
    return false;
  }
}
