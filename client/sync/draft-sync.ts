/**
 * Keeps the drafts of this device and the server's (/api/drafts) in step. After each local save (and
 * a quiet moment), the open draft is PUT against the server revision it was based on; a 409 brings
 * the server's copy, merged field by field (client/sync/draft-merge.ts) and shown to the person, then
 * sent once more. Offline or on a 5xx it waits for `online` or a backoff timer. `pullDrafts` brings the
 * account's drafts to this device (a second device, or edits made elsewhere), attachments included.
 * Requests go through the one network client; drafts are written through the drafts module.
 */
import { ATTACHMENT_KINDS } from '../../shared/api/attachments.ts';
import type { DraftCopy } from '../../shared/api/drafts.ts';
import { type DraftStore, type SaveState, SHA_KEY } from '../data/draft-store.ts';
import { addDraft, changeDraft, draftsOf, forgetTombstone, tombstonedDraftIds } from '../data/drafts.ts';
import type { DraftRecord, LocalDb } from '../data/local-db.ts';
import { type ApiFailure, type NetClient, net as appNet } from '../net/api-client.ts';
import { type BackoffPolicy, backoffDelay } from './backoff.ts';
import { DraftAttachments } from './draft-attachments.ts';
import {
  attachmentsOf,
  localSide,
  mergedRecord,
  neededDownloads,
  recordFromCopy,
  unsynced,
} from './draft-copy.ts';
import { type MergeResult, mergeDrafts } from './draft-merge.ts';
import { deleteDraftCopy, listDraftCopies, retryable, saveDraftCopy } from './draft-requests.ts';
import { outboxItems } from './outbox.ts';

/** What the person is told about the open draft (see client/components/sync-status.ts). */
export type SyncState = 'saved-local' | 'syncing' | 'synced' | 'waiting-network' | 'error';

/** Timers, injectable so tests move time themselves. */
export interface SyncClock {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface DraftSyncOptions {
  /** The network (default: the app's client; tests give one over a fake server). */
  net?: NetClient;
  clock?: SyncClock;
  /** In [0, 1): the backoff jitter. */
  random?: () => number;
  /** Default navigator.onLine: known offline means no attempt until `online`. */
  isOnline?: () => boolean;
  /** Where `online` / `offline` fire (default window). */
  events?: EventTarget;
  /** Quiet time after a local save before the draft goes to the server. */
  debounceMs?: number;
}

export type PullOutcome = 'pulled' | 'offline' | 'failed';

export const DEFAULT_SYNC_DEBOUNCE_MS = 1500;
export const DRAFT_BACKOFF: BackoffPolicy = { baseMs: 4_000, factor: 2, capMs: 5 * 60_000 };
/** Added to every backoff draw, so a zero draw does not retry at once. */
const RETRY_FLOOR_MS = 1_000;

const browserClock: SyncClock = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class DraftSync extends EventTarget {
  readonly db: LocalDb;
  private readonly net: NetClient;
  private readonly attachments: DraftAttachments;
  private readonly clock: SyncClock;
  private readonly random: () => number;
  private readonly isOnline: () => boolean;
  private readonly events: EventTarget;
  private readonly debounceMs: number;

  private store: DraftStore | undefined;
  private syncState: SyncState = 'saved-local';
  private merged: string[] = [];
  private failures = 0;
  private timer: unknown;
  /** One run or pull at a time: their merges must not interleave. */
  private chain: Promise<unknown> = Promise.resolve();
  private runQueued = false;
  /** The account whose drafts were pulled in this session: a push never precedes the first pull. */
  private pulledAccount: string | undefined;
  private disposed = false;

  constructor(db: LocalDb, options: DraftSyncOptions = {}) {
    super();
    this.db = db;
    this.net = options.net ?? appNet;
    this.attachments = new DraftAttachments(this.net);
    this.clock = options.clock ?? browserClock;
    this.random = options.random ?? Math.random;
    this.isOnline = options.isOnline ?? (() => navigator.onLine !== false);
    this.events = options.events ?? window;
    this.debounceMs = options.debounceMs ?? DEFAULT_SYNC_DEBOUNCE_MS;
    this.events.addEventListener('online', this.onOnline);
    this.events.addEventListener('offline', this.onOffline);
  }

  get state(): SyncState {
    return this.syncState;
  }

  /** The local save state of the attached draft ('idle' with none). */
  get saveState(): SaveState {
    return this.store?.state ?? 'idle';
  }

  /** Fields changed by merges with edits from other devices, until dismissed. */
  get mergedFields(): readonly string[] {
    return this.merged;
  }

  dismissMerge(): void {
    if (this.merged.length === 0) return;
    this.merged = [];
    this.changed();
  }

  /** Follows this draft: every local save is sent after a quiet moment. */
  attach(store: DraftStore): void {
    this.detach();
    this.store = store;
    store.addEventListener('statechange', this.onStoreState);
    store.addEventListener('remotechange', this.onStoreChange);
    this.setState(this.restingState(store.record));
    this.schedule(0);
  }

  detach(): void {
    this.store?.removeEventListener('statechange', this.onStoreState);
    this.store?.removeEventListener('remotechange', this.onStoreChange);
    this.store = undefined;
    this.clearTimer();
  }

  dispose(): void {
    this.disposed = true;
    this.detach();
    this.events.removeEventListener('online', this.onOnline);
    this.events.removeEventListener('offline', this.onOffline);
  }

  /** Sends the attached draft now (if it has anything the server lacks). */
  syncNow(): Promise<void> {
    this.clearTimer();
    if (this.runQueued) return this.idle();
    this.runQueued = true;
    return this.exclusive(async () => {
      this.runQueued = false;
      await this.run();
    });
  }

  /** Resolves once every run and pull started so far has finished. */
  idle(): Promise<void> {
    return this.chain.then(() => undefined);
  }

  /**
   * Brings the account's server drafts to this device: one not here is created (with its photo and
   * signature), one on both sides is merged, one deleted here (submitted) is deleted there too.
   */
  pullDrafts(accountId: string): Promise<PullOutcome> {
    return this.exclusive(() => this.pull(accountId));
  }

  // ---- running ----

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const next = this.chain.then(task, task);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async run(): Promise<void> {
    const store = this.store;
    if (!store || this.disposed) return;
    if (!this.isOnline()) {
      this.setState(this.restingState(store.record));
      return;
    }
    await store.flush();
    const { accountId } = store.record;
    if (this.pulledAccount !== accountId) {
      const outcome = await this.pull(accountId);
      if (outcome === 'offline') return this.retryLater('waiting-network');
      if (outcome === 'failed') return this.setState('error');
      if (store !== this.store) return;
    }
    await this.attachments.fetchMissing(store, () => this.store === store);
    if (!unsynced(store.record)) {
      this.failures = 0;
      this.setState('synced');
      return;
    }
    this.setState('syncing');
    // A 409 is merged and sent once more; a second 409 waits for the next attempt.
    for (let attempt = 0; attempt < 2; attempt++) {
      const problem = await this.attachments.upload(store);
      if (problem) return this.failed(problem);
      const record = store.record;
      if (this.store !== store) return;
      if (ATTACHMENT_KINDS.some((kind) => record[kind] && !record[SHA_KEY[kind]])) {
        // Replaced while uploading: send the new one on the next run.
        this.setState('saved-local');
        this.schedule(this.debounceMs);
        return;
      }
      const answer = await saveDraftCopy(this.net, record);
      if (answer.kind === 'saved') {
        await store.saveSyncMeta({ serverRevision: answer.revision, syncedUpdatedAt: record.updatedAt });
        this.failures = 0;
        // Edited while the PUT was out: that edit goes with the next one.
        if (unsynced(store.record)) {
          this.setState('saved-local');
          this.schedule(this.debounceMs);
        } else {
          this.setState('synced');
        }
        return;
      }
      if (answer.kind === 'failed') return this.failed(answer.failure);
      // A copy of another draft is no answer about this one.
      if (answer.copy.id !== record.id) return this.setState('error');
      await this.mergeIntoStore(store, answer.copy);
      if (!unsynced(store.record)) {
        this.failures = 0;
        this.setState('synced');
        return;
      }
    }
    this.retryLater('saved-local');
  }

  private failed(failure: ApiFailure): void {
    if (retryable(failure)) {
      this.retryLater('waiting-network');
      return;
    }
    // Refused (signed out, a malformed draft): trying again unchanged would only fail again.
    // The next local save, or `online`, tries again.
    this.setState('error');
  }

  private retryLater(state: SyncState): void {
    this.failures++;
    this.setState(state);
    if (!this.isOnline()) return; // `online` wakes us
    this.schedule(RETRY_FLOOR_MS + backoffDelay(this.failures, this.random, DRAFT_BACKOFF));
  }

  private restingState(record: DraftRecord): SyncState {
    if (!unsynced(record)) return 'synced';
    return this.isOnline() ? 'saved-local' : 'waiting-network';
  }

  // ---- merging ----

  /** Merges the server's copy into the open draft; the person is told which fields changed. */
  private async mergeIntoStore(store: DraftStore, server: DraftCopy): Promise<void> {
    const first = mergeDrafts(localSide(store.record), server, { base: store.record.syncedUpdatedAt });
    const blobs = await this.attachments.downloadAll(neededDownloads(store.record, first));
    // Computed again: the person may have typed while the attachments came down.
    const local = store.record;
    const result = mergeDrafts(localSide(local), server, { base: local.syncedUpdatedAt });
    if (result.localChanged || local.serverRevision !== server.revision || local.id !== server.id) {
      await store.applyRemote(mergedRecord(local, server, result, blobs));
    } else if (result.keptLocal.length === 0 && unsynced(local)) {
      await store.saveSyncMeta({ syncedUpdatedAt: local.updatedAt });
    }
    this.tell(local, result);
  }

  private async mergeIntoRow(local: DraftRecord, server: DraftCopy): Promise<void> {
    const first = mergeDrafts(localSide(local), server, { base: local.syncedUpdatedAt });
    const blobs = await this.attachments.downloadAll(neededDownloads(local, first));
    // Merged again with the row as it is at the write: another tab may have changed it meanwhile.
    const told = await changeDraft(this.db, local.id, (current) => {
      const result = mergeDrafts(localSide(current), server, { base: current.syncedUpdatedAt });
      return { next: mergedRecord(current, server, result, blobs), result: { current, result } };
    });
    // The page opens this draft next: the person is told there.
    if (told) this.tell(told.current, told.result);
  }

  private tell(local: DraftRecord, result: MergeResult): void {
    // A draft never synced that held nothing of its own (a fresh device) has nothing to be told about.
    if (result.changedFields.length === 0) return;
    if (local.serverRevision === undefined && result.keptLocal.length === 0) return;
    const fields = [...new Set([...this.merged, ...result.changedFields])];
    if (fields.length === this.merged.length) return;
    this.merged = fields;
    this.changed();
  }

  // ---- pulling ----

  private async pull(accountId: string): Promise<PullOutcome> {
    const drafts = await listDraftCopies(this.net);
    if (!Array.isArray(drafts)) return retryable(drafts) ? 'offline' : 'failed';
    const { db } = this;

    const tombstones = new Set(await tombstonedDraftIds(db, accountId));
    const live = drafts.filter((d) => !tombstones.has(d.id));
    const local = await draftsOf(db, accountId);
    const here = new Map(local.map((d) => [d.id, d]));
    const open = this.store?.record.accountId === accountId ? this.store : undefined;

    const fresh = live.filter((d) => !here.has(d.id)).sort((a, b) => b.updatedAt - a.updatedAt);
    // A draft begun here before this device ever reached the server (a second device, offline)
    // joins the account's newest server draft: one application, edited in two places.
    // (One the server already holds, its first answer lost, is merged like any other; one with a
    // submission made, whose outbox item names it, keeps its id.)
    const serverIds = new Set(drafts.map((d) => d.id));
    const queued = new Set((await outboxItems(db, accountId)).map((o) => o.draftId));
    const unsyncedHere = local
      .filter((d) => d.serverRevision === undefined && !serverIds.has(d.id) && !queued.has(d.id))
      .sort((a, b) => b.updatedAt - a.updatedAt)[0];
    const adopt = unsyncedHere ? fresh.shift() : undefined;
    if (unsyncedHere && adopt) {
      if (open && open.record.id === unsyncedHere.id) await this.mergeIntoStore(open, adopt);
      else await this.mergeIntoRow(unsyncedHere, adopt);
    }
    for (const server of fresh) {
      // Created meanwhile (another tab): that copy is merged on the next pull.
      await addDraft(db, recordFromCopy(accountId, server, await this.attachments.downloadAll(attachmentsOf(server))));
    }
    for (const server of live) {
      const mine = here.get(server.id);
      if (!mine || server === adopt) continue;
      if (open && open.record.id === server.id) await this.mergeIntoStore(open, server);
      else await this.mergeIntoRow(mine, server);
    }
    await this.deleteTombstoned(accountId);
    this.pulledAccount = accountId;
    return 'pulled';
  }

  /** Drafts submitted on this device: their server copies go, so no device brings them back. */
  private async deleteTombstoned(accountId: string): Promise<void> {
    for (const id of await tombstonedDraftIds(this.db, accountId)) {
      if (await deleteDraftCopy(this.net, id)) await forgetTombstone(this.db, id);
    }
  }

  // ---- triggers ----

  private schedule(ms: number): void {
    if (this.disposed || !this.store) return;
    this.clearTimer();
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.syncNow();
    }, ms);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private setState(state: SyncState): void {
    if (state === this.syncState) return;
    this.syncState = state;
    this.changed();
  }

  private changed(): void {
    this.dispatchEvent(new Event('statechange'));
  }

  private readonly onStoreState = () => {
    const store = this.store;
    if (store?.state === 'saved' && unsynced(store.record)) {
      if (this.syncState !== 'syncing') this.setState(this.restingState(store.record));
      if (this.isOnline()) this.schedule(this.debounceMs);
    }
    this.changed();
  };

  private readonly onStoreChange = () => this.changed();

  private readonly onOnline = () => {
    this.failures = 0;
    if (this.store) this.schedule(0);
  };

  private readonly onOffline = () => {
    const store = this.store;
    if (store && this.syncState !== 'syncing') this.setState(this.restingState(store.record));
  };
}
