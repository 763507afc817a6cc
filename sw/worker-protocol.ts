/**
 * What the page and the service worker say to each other. Kept apart from both sides' code so the
 * page bundle does not pull in the worker's and the other way round.
 */

/** Background Sync tag that wakes the worker to send the outbox. */
export const OUTBOX_SYNC_TAG = 'outbox';

/** Periodic Background Sync tag that wakes the worker about daily to check the applications' statuses. */
export const STANDINGS_SYNC_TAG = 'standings';

/** What the worker posts to its pages after sending the outbox, so they catch up. */
export const FLUSH_OUTBOX_MESSAGE = 'flush-outbox';

/** Workbox's message for "activate the waiting worker now" (what Workbox#messageSkipWaiting posts). */
export const SKIP_WAITING_MESSAGE = 'SKIP_WAITING';

/** The module service worker (sw/sw.ts), built by Vite with the page under this fixed name. */
export const MODULE_WORKER_FILE = 'sw.js';

/** The classic fallback (sw/classic-sw.ts) for browsers without module service workers. */
export const CLASSIC_WORKER_FILE = 'sw-classic.js';
