import { Workbox } from 'workbox-window';
import { CLASSIC_WORKER_FILE, MODULE_WORKER_FILE, OUTBOX_SYNC_TAG, STANDINGS_SYNC_TAG } from '../sw/worker-protocol.ts';

/** About daily: the browser decides the exact time (and may wait longer for an app seldom used). */
export const STANDINGS_CHECK_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** The browser (its user agent) that refused the module worker but took the classic one. */
const CLASSIC_ONLY_KEY = 'service-worker-classic-only';

let announce: (workbox: Workbox) => void = () => {};
const registered = new Promise<Workbox>((resolve) => {
  announce = resolve;
});

function rememberedClassicOnly(): boolean {
  try {
    return localStorage.getItem(CLASSIC_ONLY_KEY) === navigator.userAgent;
  } catch {
    return false;
  }
}

function rememberClassicOnly(): void {
  try {
    localStorage.setItem(CLASSIC_ONLY_KEY, navigator.userAgent);
  } catch {
    // Not kept: the next visit tries the module worker first again.
  }
}

function registerClassic(announced: boolean): Workbox {
  const wb = new Workbox(`/${CLASSIC_WORKER_FILE}`);
  if (announced) announce(wb);
  return wb;
}

/**
 * Registers the service worker that keeps the app shell available offline. Updates are explicit:
 * a waiting worker is activated only when the person presses the update banner (see sw/sw.ts).
 * The worker is a module (it imports the page's own chunks); a browser that refuses module workers
 * (Chromium before 91, Safari before 15) gets the classic one, and is remembered, so from its next
 * visit on the update banner follows that one from the start. A new browser version tries again.
 */
export function registerServiceWorker(): Workbox | undefined {
  if (!('serviceWorker' in navigator)) return undefined;
  if (rememberedClassicOnly()) {
    const classic = registerClassic(true);
    classic.register().catch((error: unknown) => console.error('[sw] registration failed', error));
    return classic;
  }
  const wb = new Workbox(`/${MODULE_WORKER_FILE}`, { type: 'module' });
  // Workbox waits for the page's load event, so the precache download never delays the first screen.
  wb.register().then(
    () => void wb.active.then(() => requestDailyStandingsCheck()),
    async (error: unknown) => {
      // Chromium before 91 refuses `type: 'module'` at once; Safari 14 fails to evaluate the module.
      try {
        await registerClassic(false).register();
        // The classic one loaded from the same server: the refusal was this browser's, not the network's.
        rememberClassicOnly();
      } catch {
        console.error('[sw] registration failed', error);
      }
    },
  );
  announce(wb);
  return wb;
}

/** The app's Workbox once registered; never settles where there is none (development, old browsers). */
export function registeredWorkbox(): Promise<Workbox> {
  return registered;
}

/** The registration whose active worker is the module one: the classic one has no Background Sync. */
async function moduleWorkerRegistration<T>(): Promise<(ServiceWorkerRegistration & T) | undefined> {
  // getRegistration, not `ready`: `ready` never settles where no worker is registered.
  const registration = await navigator.serviceWorker?.getRegistration();
  const script = registration?.active?.scriptURL;
  if (!script || new URL(script).pathname !== `/${MODULE_WORKER_FILE}`) return undefined;
  return registration as ServiceWorkerRegistration & T;
}

/** Background Sync on a registration (not in TypeScript's DOM library; Chromium only). */
interface SyncCapable {
  sync?: { register(tag: string): Promise<void> };
}

/**
 * Asks the browser to wake the service worker to send the outbox once the connection is back, even
 * if the page is closed by then. Call it whenever something is put in the outbox. Resolves true when
 * the browser accepted, false where Background Sync is missing or refused or the worker is the classic
 * one (it has no sync handler); the page's own triggers (app start, `online`) send the outbox either way.
 */
export async function requestOutboxSync(): Promise<boolean> {
  try {
    const registration = await moduleWorkerRegistration<SyncCapable>();
    if (!registration?.sync) return false;
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
    const registration = await moduleWorkerRegistration<PeriodicSyncCapable>();
    if (!registration?.periodicSync) return false;
    // Not in TypeScript's list of permission names.
    const permission = await navigator.permissions.query({ name: 'periodic-background-sync' as PermissionName });
    if (permission.state !== 'granted') return false;
    await registration.periodicSync.register(STANDINGS_SYNC_TAG, { minInterval: STANDINGS_CHECK_INTERVAL_MS });
    return true;
  } catch {
    return false;
  }
}
