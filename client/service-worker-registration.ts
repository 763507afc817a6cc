import { Workbox } from 'workbox-window';

/**
 * Registers the service worker that keeps the app shell available offline. Updates are explicit:
 * a waiting worker is activated only when the page asks it to (see sw/sw.ts).
 */
export function registerServiceWorker(): Workbox | undefined {
  if (!('serviceWorker' in navigator)) return undefined;
  const wb = new Workbox('/sw.js');
  void wb.register();
  return wb;
}
