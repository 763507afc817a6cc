/// <reference lib="webworker" />
import { registerRoute } from 'workbox-routing';

/**
 * A built file kept out of the precache (sw/precache-scope.ts): its path under the site and its
 * revision. Pairs, not `{ url }` objects, so nothing reading the precache manifest out of the built
 * worker (test/build/size-budget.ts, the bench) mistakes these for precached files.
 */
export type OnDemandEntry = readonly [url: string, revision: string];

/** Not Workbox's precache name pattern, so cleanupOutdatedCaches leaves it alone. */
export const ON_DEMAND_CACHE = 'jianli-on-demand';

/**
 * Files only needed online or only in some browsers (online-only screens, the old-browser crypto
 * fallbacks, the PNG icons) come from the network the first time and from the cache after that. Each
 * is kept under its revision, so an update never serves an old copy, and the activating worker drops
 * what its own build no longer lists.
 */
export function serveOnDemand(worker: ServiceWorkerGlobalScope, entries: readonly OnDemandEntry[]): void {
  const keyOf = new Map<string, string>();
  for (const [url, revision] of entries) {
    const address = new URL(url, worker.location.href);
    const key = new URL(address);
    key.searchParams.set('revision', revision);
    keyOf.set(address.href, key.href);
  }

  registerRoute(
    ({ url, request }) => request.method === 'GET' && keyOf.has(url.origin + url.pathname),
    async ({ url, request, event }) => {
      const key = keyOf.get(url.origin + url.pathname) as string;
      const cache = await caches.open(ON_DEMAND_CACHE);
      const cached = await cache.match(key);
      if (cached) return cached;
      const response = await fetch(request);
      // Only a whole answer is kept: a 404 or a partial one must not stick until the next version.
      if (response.status === 200) (event as ExtendableEvent).waitUntil(cache.put(key, response.clone()));
      return response;
    },
  );

  worker.addEventListener('activate', (event) => {
    const current = new Set(keyOf.values());
    event.waitUntil(
      caches.open(ON_DEMAND_CACHE).then(async (cache) => {
        for (const request of await cache.keys()) if (!current.has(request.url)) await cache.delete(request);
      }),
    );
  });
}
