/// <reference lib="webworker" />
/**
 * Periodic Background Sync (an installed app, Chromium) wakes the worker about daily with no page
 * open: it asks the server where the person's applications stand, the device's receipts learn it, and
 * the home-screen icon shows how many wait for 补正. Elsewhere the page's own triggers do it when opened.
 */
import { LocalDb } from '../client/data/local-db.ts';
import { receiptsOf } from '../client/data/receipts.ts';
import { fetchStandings, pendingCorrections, showOnBadge } from '../client/sync/status-refresh.ts';
import { STANDINGS_SYNC_TAG } from './worker-protocol.ts';

/** The Periodic Background Sync event (not in TypeScript's worker library). */
interface PeriodicSyncEvent extends ExtendableEvent {
  readonly tag: string;
}

async function checkStandings(worker: ServiceWorkerGlobalScope): Promise<void> {
  const db = new LocalDb();
  try {
    const answer = await fetchStandings(db);
    // Signed out or no answer: the receipts as they were, and the badge as they say.
    const pending = pendingCorrections(await receiptsOf(db), answer.ok ? answer.data.submissions : []);
    await showOnBadge(worker.navigator, pending.length);
  } finally {
    db.close();
  }
}

export function listenForStandingsCheck(worker: ServiceWorkerGlobalScope): void {
  worker.addEventListener('periodicsync' as keyof ServiceWorkerGlobalScopeEventMap, (event) => {
    const sync = event as PeriodicSyncEvent;
    if (sync.tag === STANDINGS_SYNC_TAG) sync.waitUntil(checkStandings(worker));
  });
}
