/// <reference lib="webworker" />
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { listenForOutboxSync } from './outbox-wakeup.ts';
import { listenForStandingsCheck } from './standings-check.ts';
import { SKIP_WAITING_MESSAGE } from './worker-protocol.ts';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> };

// The whole built shell (every lazily loaded page chunk, the manifest and the icons) is precached at
// install, so every screen opens with no network at all. Only precached URLs are answered from the
// cache: the API always goes to the network.
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Client-side routes are served the cached shell; the API is never answered from the cache, and the
// staff console (its own page, never precached) always comes from the server.
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [/^\/api\//, /^\/staff(\/|$)/] }));

// The first install takes over the page that installed it, so a connection lost during the very
// first visit still finds the later screens' code in the cache. Updates never get here on their own:
// they wait (below).
self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

// A new version waits until the person presses the update banner's button (client/components/update-banner.ts).
self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === SKIP_WAITING_MESSAGE) void self.skipWaiting();
});

listenForOutboxSync(self);
listenForStandingsCheck(self);
