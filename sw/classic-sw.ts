/// <reference lib="webworker" />
/**
 * The service worker for browsers without module service workers (Chromium before 91, Safari before
 * 15): the same cached shell as sw/sw.ts, but no Background Sync or standings check, which would bring
 * Dexie and the outbox sender along a second time. There the page's own triggers (app start, `online`,
 * the backoff timer) send the outbox.
 */
import { type BuiltFileLists, serveAppShell } from './app-shell-cache.ts';

declare const self: ServiceWorkerGlobalScope & BuiltFileLists;

serveAppShell(self, self.__WB_MANIFEST, self.__ON_DEMAND_MANIFEST);
