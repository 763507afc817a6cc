/// <reference lib="webworker" />
/**
 * The service worker, a module built with the page (vite.config.ts): Dexie, the outbox sender and the
 * standings check are the page's own chunks, downloaded once. Browsers without module service workers
 * (Chromium before 91, Safari before 15) run sw/classic-sw.ts instead.
 */
import { type BuiltFileLists, serveAppShell } from './app-shell-cache.ts';
import { listenForOutboxSync } from './outbox-wakeup.ts';
import { listenForStandingsCheck } from './standings-check.ts';

declare const self: ServiceWorkerGlobalScope & BuiltFileLists;

serveAppShell(self, self.__WB_MANIFEST, self.__ON_DEMAND_MANIFEST);
listenForOutboxSync(self);
listenForStandingsCheck(self);
