/// <reference lib="webworker" />
import { cleanupOutdatedCaches, createHandlerBoundToURL, type PrecacheEntry, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { type OnDemandEntry, serveOnDemand } from './on-demand-cache.ts';
import { SKIP_WAITING_MESSAGE } from './worker-protocol.ts';

/** Filled in by sw/build.ts from the built client: what is precached, and what is cached on first use. */
export interface BuiltFileLists {
  __WB_MANIFEST: PrecacheEntry[];
  __ON_DEMAND_MANIFEST: OnDemandEntry[];
}

/**
 * What both service workers do (sw/sw.ts, and sw/classic-sw.ts for browsers without module workers):
 * the app shell from the cache, updates only when the person asks.
 */
export function serveAppShell(worker: ServiceWorkerGlobalScope, precache: PrecacheEntry[], onDemand: readonly OnDemandEntry[]): void {
  // Everything that works offline (sw/precache-scope.ts) is precached at install, so those screens open
  // with no network at all. Only listed URLs are answered from a cache: the API always goes to the network.
  precacheAndRoute(precache);
  cleanupOutdatedCaches();
  serveOnDemand(worker, onDemand);

  // Client-side routes are served the cached shell; the API is never answered from the cache, and the
  // staff console (its own page, never precached) always comes from the server.
  registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [/^\/api\//, /^\/staff(\/|$)/] }));

  // The first install takes over the page that installed it, so a connection lost during the very
  // first visit still finds the later screens' code in the cache. Updates never get here on their own:
  // they wait (below).
  worker.addEventListener('activate', (event) => {
    event.waitUntil(worker.clients.claim());
  });

  // A new version waits until the person presses the update banner's button (client/components/update-banner.ts).
  worker.addEventListener('message', (event) => {
    if ((event.data as { type?: unknown } | null)?.type === SKIP_WAITING_MESSAGE) void worker.skipWaiting();
  });
}
