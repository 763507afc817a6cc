/// <reference lib="webworker" />
/**
 * Background Sync wakes the worker when the connection is back, even with no page open: it sends
 * the outbox itself (the same code the page runs, serialised with the page by a Web Lock) and then
 * tells open pages, so what they show catches up. Browsers without Background Sync rely on the
 * page's own triggers (app start, `online`, the backoff timer).
 */
import { flushOutboxFromServiceWorker } from '../client/sync/outbox-sender.ts';
import { FLUSH_OUTBOX_MESSAGE, OUTBOX_SYNC_TAG } from './worker-protocol.ts';

/** The Background Sync event (not in TypeScript's worker library). */
interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
  readonly lastChance: boolean;
}

async function sendOutbox(worker: ServiceWorkerGlobalScope): Promise<void> {
  const result = await flushOutboxFromServiceWorker();
  if (result.sent.length > 0 || result.rejected.length > 0) {
    const pages = await worker.clients.matchAll({ type: 'window' });
    for (const page of pages) page.postMessage({ type: FLUSH_OUTBOX_MESSAGE });
  }
  // A rejected promise makes the browser schedule the sync again later (with its own backoff).
  if (result.requeued.length > 0) throw new Error(`outbox: ${result.requeued.length} item(s) still waiting for the network`);
}

export function listenForOutboxSync(worker: ServiceWorkerGlobalScope): void {
  worker.addEventListener('sync', (event) => {
    const sync = event as SyncEvent;
    if (sync.tag === OUTBOX_SYNC_TAG) sync.waitUntil(sendOutbox(worker));
  });
}
