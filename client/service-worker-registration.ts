import { Workbox } from 'workbox-window';
import { OUTBOX_SYNC_TAG, STANDINGS_SYNC_TAG } from '../sw/worker-protocol.ts';

/** About daily: the browser decides the exact time (and may wait longer for an app seldom used). */
export const STANDINGS_CHECK_INTERVAL_MS = 24 * 60 * 60 * 1000;

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
  void wb.active.then(() => requestDailyStandingsCheck());
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

/** Periodic Background Sync on a registration (not in TypeScript's DOM library; Chromium only). */
interface PeriodicSyncCapable {
  periodicSync?: { register(tag: string, options: { minInterval: number }): Promise<void> };
}

/**
 * Asks the browser to wake the service worker about daily to check the applications' statuses (see
 * sw/standings-check.ts). Chromium grants it only to an installed app, so the permission is asked
 * first and a tab in the browser registers nothing. Resolves true when registered.
 */
export async function requestDailyStandingsCheck(): Promise<boolean> {
  try {
    const registration = (await navigator.serviceWorker?.getRegistration()) as
      | (ServiceWorkerRegistration & PeriodicSyncCapable)
      | undefined;
    if (!registration?.periodicSync || !registration.active) return false;
    // Not in TypeScript's list of permission names.
    const permission = await navigator.permissions.query({ name: 'periodic-background-sync' as PermissionName });
    if (permission.state !== 'granted') return false;
    await registration.periodicSync.register(STANDINGS_SYNC_TAG, { minInterval: STANDINGS_CHECK_INTERVAL_MS });
    return true;
  } catch {
    return false;
  }
}
