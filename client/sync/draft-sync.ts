/**
 * Keeps the drafts of this device and the server's (/api/drafts) in step. After each local save (and
 * a quiet moment), the open draft is PUT against the server revision it was based on; a 409 brings
 * the server's copy, merged field by field (client/sync/draft-merge.ts) and shown to the person, then
 * sent once more. Offline or on a 5xx it waits for `online` or a backoff timer. `pullDrafts` brings the
 * account's drafts to this device (a second device, or edits made elsewhere), attachments included.
 */
import type { DraftStore, RemoteDraftChange, SaveState } from '../data/draft-store.ts';
import type { DraftRecord, DraftValues, LocalDb } from '../data/local-db.ts';
import { blobSha256 } from './attachment-upload.ts';
import { exchange, type HttpAnswer, type HttpExchange } from './http-exchange.ts';
import { type BackoffPolicy, backoffDelay } from './backoff.ts';
import { type MergeableDraft, type MergeResult, mergeDrafts } from './draft-merge.ts';

/** What the person is told about the open draft (see client/components/sync-status.ts). */
export type SyncState = 'saved-local' | 'syncing' | 'synced' | 'waiting-network' | 'error';

export interface DraftRequest extends HttpExchange {
  method: 'GET' | 'HEAD' | 'PUT' | 'DELETE';
}

/** Answers every request; status 0 stands for no answer (offline, timeout). Never throws. */
export type DraftSend = (request: DraftRequest) => Promise<HttpAnswer>;

/** Timers, injectable so tests move time themselves. */
export interface SyncClock {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface DraftSyncOptions {
  send?: DraftSend;
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

/** A draft as the server holds it (GET /api/drafts, and the body of a 409). */
export interface ServerDraft {
  id: string;
  revision: number;
  values: Record<string, unknown>;
  fieldUpdatedAt: Record<string, number>;
  photo?: string;
  signature?: string;
  updatedAt: number;
}

export type PullOutcome = 'pulled' | 'offline' | 'failed';

export const DRAFTS_PATH = '/api/drafts';
export const DEFAULT_SYNC_DEBOUNCE_MS = 1500;
export const DRAFT_BACKOFF: BackoffPolicy = { baseMs: 4_000, factor: 2, capMs: 5 * 60_000 };
/** Added to every backoff draw, so a zero draw does not retry at once. */
const RETRY_FLOOR_MS = 1_000;

const KINDS = ['photo', 'signature'] as const;
type Kind = (typeof KINDS)[number];
const SHA_KEY = { photo: 'photoSha256', signature: 'signatureSha256' } as const;
/** Stands for a local Blob not hashed yet: equals no server id, so the local bytes are kept. */
const UNHASHED = 'unhashed';

export const attachmentPath = (sha256: string, kind: Kind) => `/api/attachments/${sha256}?kind=${kind}`;

/** The real network: same-origin fetch with the session cookie. */
export const httpDraftSend: DraftSend = exchange;

const browserClock: SyncClock = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

const isTime = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
const isSha = (s: unknown): s is string => typeof s === 'string' && /^[0-9a-f]{64}$/.test(s);

/** The server's copy, checked: anything else (a proxy's page, an old server) is no draft. */
export function parseServerDraft(input: unknown): ServerDraft | undefined {
  const d = (input ?? {}) as Record<string, unknown>;
  const values = d.values;
  const times = d.fieldUpdatedAt;
  if (typeof d.id !== 'string' || !isTime(d.revision) || !isTime(d.updatedAt)) return undefined;
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return undefined;
  if (typeof times !== 'object' || times === null || Array.isArray(times)) return undefined;
  if (!Object.values(times).every(isTime)) return undefined;
  const draft: ServerDraft = {
    id: d.id,
    revision: d.revision,
    values: values as Record<string, unknown>,
    fieldUpdatedAt: times as Record<string, number>,
    updatedAt: d.updatedAt,
  };
  if (isSha(d.photo)) draft.photo = d.photo;
  if (isSha(d.signature)) draft.signature = d.signature;
  return draft;
}

/** The local copy as a side of the merge: attachments by their server id. */
function localSide(record: DraftRecord): MergeableDraft {
  const id = (kind: Kind) => record[SHA_KEY[kind]] ?? (record[kind] ? UNHASHED : undefined);
  return {
    values: record.values,
    fieldUpdatedAt: record.fieldUpdatedAt,
    photo: id('photo'),
    signature: id('signature'),
    updatedAt: record.updatedAt,
  };
}

/** Server ids the merge takes from the server that this device holds no bytes for. */
function neededDownloads(local: DraftRecord, result: MergeResult): { kind: Kind; sha256: string }[] {
  const side = localSide(local);
  return KINDS.flatMap((kind) => {
    const id = result.merged[kind];
    return id !== undefined && id !== side[kind] ? [{ kind, sha256: id }] : [];
  });
}

/** The merged draft as a record: the local Blob where the local side won, the downloaded one elsewhere. */
function mergedRecord(local: DraftRecord, server: ServerDraft, result: MergeResult, blobs: Map<string, Blob>) {
  const { merged } = result;
  const side = localSide(local);
  const next: RemoteDraftChange = {
    ...local,
    id: server.id,
    values: merged.values as DraftValues,
    fieldUpdatedAt: merged.fieldUpdatedAt,
    updatedAt: merged.updatedAt,
    serverRevision: server.revision,
  };
  // Nothing of this device's is left to send: the server holds this content.
  if (result.keptLocal.length === 0) next.syncedUpdatedAt = merged.updatedAt;
  for (const kind of KINDS) {
    const id = merged[kind];
    if (id === side[kind]) continue;
    const blob = id === undefined ? undefined : blobs.get(id);
    if (blob) next[kind] = blob;
    else delete next[kind];
    if (id) next[SHA_KEY[kind]] = id;
    else delete next[SHA_KEY[kind]];
    if (kind === 'photo') delete next.photoWhiteBackground;
  }
  return next;
}

/** Not yet confirmed by the server as it is now. */
const unsynced = (record: DraftRecord) =>
  record.serverRevision === undefined || record.syncedUpdatedAt !== record.updatedAt;

const retryable = (answer: HttpAnswer) =>
  answer.status === 0 || answer.status === 408 || answer.status === 429 || answer.status >= 500;

export class DraftSync extends EventTarget {
  readonly db: LocalDb;
  private readonly send: DraftSend;
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
  /** `kind:sha256` the server is known to hold, so a repeated PUT does not ask again. */
  private readonly onServer = new Set<string>();
  private disposed = false;

  constructor(db: LocalDb, options: DraftSyncOptions = {}) {
    super();
    this.db = db;
    this.send = options.send ?? httpDraftSend;
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
    await this.fetchMissingBlobs(store);
    if (!unsynced(store.record)) {
      this.failures = 0;
      this.setState('synced');
      return;
    }
    this.setState('syncing');
    // A 409 is merged and sent once more; a second 409 waits for the next attempt.
    for (let attempt = 0; attempt < 2; attempt++) {
      const problem = await this.prepareAttachments(store);
      if (problem) return this.failed(problem);
      const record = store.record;
      if (this.store !== store) return;
      if (KINDS.some((kind) => record[kind] && !record[SHA_KEY[kind]])) {
        // Replaced while uploading: send the new one on the next run.
        this.setState('saved-local');
        this.schedule(this.debounceMs);
        return;
      }
      const body = {
        baseRevision: record.serverRevision ?? 0,
        values: record.values,
        fieldUpdatedAt: record.fieldUpdatedAt,
        updatedAt: record.updatedAt,
        ...(record.photoSha256 ? { photo: record.photoSha256 } : {}),
        ...(record.signatureSha256 ? { signature: record.signatureSha256 } : {}),
      };
      const answer = await this.send({
        method: 'PUT',
        path: `${DRAFTS_PATH}/${record.id}`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const revision = (answer.body as { revision?: unknown } | null)?.revision;
      if (answer.status >= 200 && answer.status < 300 && isTime(revision)) {
        await store.saveSyncMeta({ serverRevision: revision, syncedUpdatedAt: record.updatedAt });
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
      const serverCopy = answer.status === 409 ? parseServerDraft((answer.body as { draft?: unknown } | null)?.draft) : undefined;
      if (!serverCopy || serverCopy.id !== record.id) return this.failed(answer);
      await this.mergeIntoStore(store, serverCopy);
      if (!unsynced(store.record)) {
        this.failures = 0;
        this.setState('synced');
        return;
      }
    }
    this.retryLater('saved-local');
  }

  private failed(answer: HttpAnswer): void {
    if (retryable(answer)) {
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

  // ---- attachments ----

  /** Hashes Blobs not hashed yet, then makes sure the server holds each (HEAD, then PUT). */
  private async prepareAttachments(store: DraftStore): Promise<HttpAnswer | undefined> {
    for (const kind of KINDS) {
      const blob = store.record[kind];
      if (!blob) continue;
      let sha256 = store.record[SHA_KEY[kind]];
      if (!sha256) {
        sha256 = await blobSha256(blob);
        if (store.record[kind] !== blob) continue;
        await store.saveSyncMeta({ [SHA_KEY[kind]]: sha256 });
      }
      const key = `${kind}:${sha256}`;
      if (this.onServer.has(key)) continue;
      const path = attachmentPath(sha256, kind);
      const head = await this.send({ method: 'HEAD', path });
      if (head.status >= 200 && head.status < 300) {
        this.onServer.add(key);
        continue;
      }
      if (head.status !== 404) return head;
      const type = blob.type || (kind === 'photo' ? 'image/jpeg' : 'image/png');
      const put = await this.send({ method: 'PUT', path, headers: { 'content-type': type }, body: blob });
      if (put.status < 200 || put.status >= 300) return put;
      this.onServer.add(key);
    }
    return undefined;
  }

  private async download(sha256: string, kind: Kind): Promise<Blob | undefined> {
    const answer = await this.send({ method: 'GET', path: attachmentPath(sha256, kind), expect: 'blob' });
    if (answer.status < 200 || answer.status >= 300 || !(answer.body instanceof Blob)) return undefined;
    this.onServer.add(`${kind}:${sha256}`);
    return answer.body;
  }

  private async downloadAll(wanted: { kind: Kind; sha256: string }[]): Promise<Map<string, Blob>> {
    const blobs = new Map<string, Blob>();
    for (const { kind, sha256 } of wanted) {
      const blob = await this.download(sha256, kind);
      if (blob) blobs.set(sha256, blob);
    }
    return blobs;
  }

  /** An attachment known by id whose bytes did not arrive before (offline during a pull): fetch them now. */
  private async fetchMissingBlobs(store: DraftStore): Promise<void> {
    for (const kind of KINDS) {
      const sha256 = store.record[SHA_KEY[kind]];
      if (!sha256 || store.record[kind]) continue;
      const blob = await this.download(sha256, kind);
      const record = store.record;
      if (!blob || record[kind] || record[SHA_KEY[kind]] !== sha256 || this.store !== store) continue;
      await store.applyRemote({ ...record, [kind]: blob });
    }
  }

  // ---- merging ----

  /** Merges the server's copy into the open draft; the person is told which fields changed. */
  private async mergeIntoStore(store: DraftStore, server: ServerDraft): Promise<void> {
    const first = mergeDrafts(localSide(store.record), server, { base: store.record.syncedUpdatedAt });
    const blobs = await this.downloadAll(neededDownloads(store.record, first));
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

  private async mergeIntoRow(local: DraftRecord, server: ServerDraft): Promise<void> {
    const first = mergeDrafts(localSide(local), server, { base: local.syncedUpdatedAt });
    const blobs = await this.downloadAll(neededDownloads(local, first));
    const { db } = this;
    const told = await db.transaction('rw', db.drafts, async () => {
      const current = await db.drafts.get(local.id);
      if (!current) return undefined;
      const result = mergeDrafts(localSide(current), server, { base: current.syncedUpdatedAt });
      await db.drafts.put({ ...mergedRecord(current, server, result, blobs), accountId: current.accountId });
      if (current.id !== server.id) await db.drafts.delete(current.id);
      return { current, result };
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
    const answer = await this.send({ method: 'GET', path: DRAFTS_PATH });
    if (answer.status !== 200) return retryable(answer) ? 'offline' : 'failed';
    const list = (answer.body as { drafts?: unknown } | null)?.drafts;
    if (!Array.isArray(list)) return 'failed';
    const drafts = list.map(parseServerDraft).filter((d): d is ServerDraft => d !== undefined);
    const { db } = this;

    const tombstones = new Set((await db.draftTombstones.where('accountId').equals(accountId).toArray()).map((t) => t.id));
    const live = drafts.filter((d) => !tombstones.has(d.id));
    const local = await db.drafts.where('accountId').equals(accountId).toArray();
    const here = new Map(local.map((d) => [d.id, d]));
    const open = this.store?.record.accountId === accountId ? this.store : undefined;

    const fresh = live.filter((d) => !here.has(d.id)).sort((a, b) => b.updatedAt - a.updatedAt);
    // A draft begun here before this device ever reached the server (a second device, offline)
    // joins the account's newest server draft: one application, edited in two places.
    // (One the server already holds, its first answer lost, is merged like any other; one with a
    // submission made, whose outbox item names it, keeps its id.)
    const serverIds = new Set(drafts.map((d) => d.id));
    const queued = new Set((await db.outbox.where('accountId').equals(accountId).toArray()).map((o) => o.draftId));
    const unsyncedHere = local
      .filter((d) => d.serverRevision === undefined && !serverIds.has(d.id) && !d.idempotencyKey && !queued.has(d.id))
      .sort((a, b) => b.updatedAt - a.updatedAt)[0];
    const adopt = unsyncedHere ? fresh.shift() : undefined;
    if (unsyncedHere && adopt) {
      if (open && open.record.id === unsyncedHere.id) await this.mergeIntoStore(open, adopt);
      else await this.mergeIntoRow(unsyncedHere, adopt);
    }
    for (const server of fresh) await this.create(accountId, server);
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

  private async create(accountId: string, server: ServerDraft): Promise<void> {
    const wanted = KINDS.flatMap((kind) => {
      const sha256 = server[kind];
      return sha256 ? [{ kind, sha256 }] : [];
    });
    const blobs = await this.downloadAll(wanted);
    const record: DraftRecord = {
      id: server.id,
      accountId,
      values: server.values as DraftValues,
      fieldUpdatedAt: server.fieldUpdatedAt,
      updatedAt: server.updatedAt,
      serverRevision: server.revision,
      syncedUpdatedAt: server.updatedAt,
    };
    for (const { kind, sha256 } of wanted) {
      // Without its bytes (offline half-way) the id is still kept, so a later PUT does not drop it.
      record[SHA_KEY[kind]] = sha256;
      const blob = blobs.get(sha256);
      if (blob) record[kind] = blob;
    }
    // Created meanwhile (another tab): that copy is merged on the next pull.
    await this.db.drafts.add(record).catch(() => undefined);
  }

  /** Drafts submitted on this device: their server copies go, so no device brings them back. */
  private async deleteTombstoned(accountId: string): Promise<void> {
    const { db } = this;
    for (const { id } of await db.draftTombstones.where('accountId').equals(accountId).toArray()) {
      const answer = await this.send({ method: 'DELETE', path: `${DRAFTS_PATH}/${id}` });
      if ((answer.status >= 200 && answer.status < 300) || answer.status === 404) await db.draftTombstones.delete(id);
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
