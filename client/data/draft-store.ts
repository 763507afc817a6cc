/**
 * One applicant's open draft on the device: every change reaches IndexedDB within 500 ms (debounced,
 * and flushed at once when the page is hidden or left). A photo or signature is hashed once, when set,
 * and its id kept beside it for the draft sync and the submission. The draft is deleted only by the
 * outbox's completion, together with the receipt (retireDrafts in ./drafts.ts).
 */
import type { AttachmentKind } from '../../shared/api/attachments.ts';
import { blobSha256 } from './blob-sha256.ts';
import { isQuotaExceeded, newestDraftOf, newUuid, putDraft, type RemoteDraftChange, replaceDraft, writeDraftChanges } from './drafts.ts';
import type { DraftRecord, DraftValues, LocalDb } from './local-db.ts';

export { isQuotaExceeded, newUuid, type RemoteDraftChange, retireDrafts } from './drafts.ts';

/** idle: nothing to do; pending: a change waits or is being written; saved: on disk; error: a write failed. */
export type SaveState = 'idle' | 'pending' | 'saved' | 'error';

/** Whether the browser keeps this origin's data when space runs low (navigator.storage.persist). */
export type PersistenceAnswer = 'persisted' | 'refused' | 'unavailable';

/** Bookkeeping of the draft sync: written as is, no new edit time. */
export type SyncMeta = Partial<Pick<DraftRecord, 'serverRevision' | 'syncedUpdatedAt' | 'photoSha256' | 'signatureSha256'>>;

export interface DraftStoreOptions {
  /** Quiet time before a write; kept well under 500 ms so a save lands within half a second. */
  debounceMs?: number;
  now?: () => number;
  /** Asked once when a draft is first created (default: navigator.storage.persist); true, false or unknown. */
  persist?: () => unknown;
  /** Asked when an existing draft opens (default: navigator.storage.persisted). */
  persisted?: () => unknown;
}

type DirtyKey = Exclude<keyof DraftRecord, 'id' | 'accountId'>;

/** What a photo adds to a write: left out (and kept in memory) when the device has no room for it. */
const PHOTO_KEYS: readonly DirtyKey[] = ['photo', 'photoWhiteBackground', 'photoSha256'];

/** A photo or signature with its id: the SHA-256 of its bytes (or the server's id of one downloaded). */
export interface DraftAttachment {
  kind: AttachmentKind;
  blob: Blob;
  sha256: string;
}

export const SHA_KEY = { photo: 'photoSha256', signature: 'signatureSha256' } as const;

export const DEFAULT_DEBOUNCE_MS = 250;

async function persistenceAnswer(ask: () => unknown): Promise<PersistenceAnswer> {
  try {
    const answer = await ask();
    return answer === true ? 'persisted' : answer === false ? 'refused' : 'unavailable';
  } catch {
    return 'unavailable';
  }
}

const askPersistence = () => navigator.storage?.persist?.();
const askPersisted = () => navigator.storage?.persisted?.();

export class DraftStore extends EventTarget {
  readonly db: LocalDb;
  private current: DraftRecord;
  private readonly debounceMs: number;
  private readonly now: () => number;
  private readonly dirty = new Set<DirtyKey>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();
  private closed = false;
  private saveState: SaveState = 'idle';
  /** What the device had no room for and is not written yet: the person is told while any is left. */
  private readonly refused = new Set<DirtyKey>();
  /** One hashing per Blob, however many ask for its id. */
  private readonly hashes = new WeakMap<Blob, Promise<string>>();
  /** The browser's answer about keeping this device's data; asked once, when the draft started. */
  readonly persistence: Promise<PersistenceAnswer>;

  /** Loads the newest draft of the account, or creates (and stores) an empty one. */
  static async open(db: LocalDb, accountId: string, options: DraftStoreOptions = {}): Promise<DraftStore> {
    const existing = await newestDraftOf(db, accountId);
    if (existing) return new DraftStore(db, existing, options, persistenceAnswer(options.persisted ?? askPersisted));
    const now = options.now ?? Date.now;
    const record: DraftRecord = { id: newUuid(), accountId, values: {}, fieldUpdatedAt: {}, updatedAt: now() };
    await putDraft(db, record);
    return new DraftStore(db, record, options, persistenceAnswer(options.persist ?? askPersistence));
  }

  /** Opens a draft already kept on the device (a 补正's: see keepCorrectionDraft in ./drafts.ts). */
  static opened(db: LocalDb, record: DraftRecord, options: DraftStoreOptions = {}): DraftStore {
    return new DraftStore(db, record, options, persistenceAnswer(options.persisted ?? askPersisted));
  }

  private constructor(
    db: LocalDb,
    record: DraftRecord,
    options: DraftStoreOptions,
    persistence: Promise<PersistenceAnswer>,
  ) {
    super();
    this.db = db;
    this.persistence = persistence;
    this.current = record;
    this.debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
    this.now = options.now ?? Date.now;
    document.addEventListener('visibilitychange', this.onVisibilityChange);
    window.addEventListener('pagehide', this.onPageHide);
  }

  get id(): string {
    return this.current.id;
  }

  get record(): Readonly<DraftRecord> {
    return this.current;
  }

  get values(): Readonly<DraftValues> {
    return this.current.values;
  }

  /** The application as this device holds it: the values, with photo and signature as Blobs where set. */
  get application(): Record<string, unknown> {
    const { values, photo, signature } = this.current;
    return { ...values, ...(photo ? { photo } : {}), ...(signature ? { signature } : {}) };
  }

  get state(): SaveState {
    return this.saveState;
  }

  /** The last write found the device's storage full; what was typed is still held here, in memory. */
  get storageFull(): boolean {
    return this.refused.size > 0;
  }

  /** The photo held now could not be written for want of space (a smaller one may fit). */
  get photoUnsaved(): boolean {
    return this.refused.has('photo') && this.current.photo !== undefined && this.dirty.has('photo');
  }

  /** Sets (or with undefined, clears) one field; the values object is replaced, never mutated. */
  set<K extends keyof DraftValues>(field: K, value: DraftValues[K] | undefined): void {
    const values = { ...this.current.values };
    if (value === undefined) delete values[field];
    else values[field] = value;
    this.current = { ...this.current, values };
    this.touch(String(field), 'values');
  }

  /**
   * Fills an empty field with a default (from the account, say) that is no edit of the person's: its
   * edit time is 0, so any edit made on another device wins over it in a merge.
   */
  setDefault<K extends keyof DraftValues>(field: K, value: DraftValues[K]): void {
    if (this.closed) return;
    this.current = {
      ...this.current,
      values: { ...this.current.values, [field]: value },
      fieldUpdatedAt: { ...this.current.fieldUpdatedAt, [field]: 0 },
      updatedAt: this.now(),
    };
    this.markDirty('values', 'fieldUpdatedAt', 'updatedAt');
  }

  setPhoto(blob: Blob | undefined, whiteBackground?: boolean): void {
    const next = { ...this.current, photo: blob, photoWhiteBackground: blob ? whiteBackground : undefined };
    if (!blob) delete next.photo;
    // New bytes, new id.
    delete next.photoSha256;
    this.current = next;
    this.touch('photo', 'photo', 'photoWhiteBackground', 'photoSha256');
    if (blob) void this.attachment('photo');
  }

  setSignature(blob: Blob | undefined): void {
    const next = { ...this.current, signature: blob };
    if (!blob) delete next.signature;
    delete next.signatureSha256;
    this.current = next;
    this.touch('signature', 'signature', 'signatureSha256');
    if (blob) void this.attachment('signature');
  }

  /**
   * The photo or signature held now, with its id: the one known, or the SHA-256 of its bytes, hashed
   * once per Blob and kept on the draft while that Blob is current. Undefined when there is none.
   */
  async attachment(kind: AttachmentKind): Promise<DraftAttachment | undefined> {
    const blob = this.current[kind];
    if (!blob) return undefined;
    const key = SHA_KEY[kind];
    const known = this.current[key];
    if (known) return { kind, blob, sha256: known };
    let hashing = this.hashes.get(blob);
    if (!hashing) {
      hashing = blobSha256(blob);
      this.hashes.set(blob, hashing);
    }
    const sha256 = await hashing;
    if (this.current[kind] === blob && this.current[key] !== sha256) {
      // The Blob itself not written yet: its id goes in the same write, never ahead of it.
      if (this.dirty.has(kind)) {
        this.current = { ...this.current, [key]: sha256 };
        this.dirty.add(key);
      } else {
        await this.saveSyncMeta({ [key]: sha256 });
      }
    }
    return { kind, blob, sha256 };
  }

  /**
   * Takes a copy merged with the server's (see client/sync/draft-sync.ts), written at once. With
   * another id (the server's draft adopted), the old row goes in the same transaction.
   */
  applyRemote(change: RemoteDraftChange): Promise<void> {
    if (this.closed) return this.writing;
    this.clearTimer();
    this.dirty.clear();
    const previousId = this.current.id;
    const next: DraftRecord = { ...change, accountId: this.current.accountId };
    this.current = next;
    this.setState('pending');
    this.dispatchEvent(new Event('remotechange'));
    this.writing = this.writing.then(() => this.replace(next, previousId));
    return this.writing;
  }

  /** Records what the server confirmed (revision, attachment ids) without counting as an edit. */
  saveSyncMeta(meta: SyncMeta): Promise<void> {
    if (this.closed) return this.writing;
    this.current = { ...this.current, ...meta };
    const keys = Object.keys(meta) as DirtyKey[];
    const changes: Partial<DraftRecord> = {};
    for (const key of keys) (changes as Record<string, unknown>)[key] = this.current[key];
    this.writing = this.writing.then(() => this.write(changes, keys));
    return this.writing;
  }

  /** Writes pending changes now; resolves when every write so far has finished (or failed). */
  flush(): Promise<void> {
    this.clearTimer();
    if (this.closed || this.dirty.size === 0) return this.writing;
    const changes: Partial<DraftRecord> = {};
    for (const key of this.dirty) (changes as Record<string, unknown>)[key] = this.current[key];
    const keys = [...this.dirty];
    this.dirty.clear();
    this.writing = this.writing.then(() => this.write(changes, keys));
    return this.writing;
  }

  /** The draft was submitted (the outbox retired it): stops at once, writing nothing more. */
  close(): void {
    this.closed = true;
    this.clearTimer();
    this.dirty.clear();
    this.detach();
  }

  /** Stops listening; pending changes are still written. */
  dispose(): void {
    void this.flush();
    this.detach();
  }

  private touch(field: string, ...keys: DirtyKey[]): void {
    if (this.closed) return;
    const at = this.now();
    this.current = { ...this.current, fieldUpdatedAt: { ...this.current.fieldUpdatedAt, [field]: at }, updatedAt: at };
    this.markDirty(...keys, 'fieldUpdatedAt', 'updatedAt');
  }

  private markDirty(...keys: DirtyKey[]): void {
    for (const key of keys) this.dirty.add(key);
    this.setState('pending');
    this.clearTimer();
    this.timer = setTimeout(() => void this.flush(), this.debounceMs);
  }

  private async write(changes: Partial<DraftRecord>, keys: DirtyKey[]): Promise<void> {
    try {
      await this.writeOrKeepPhoto(changes, keys);
      this.markRefused(keys, false);
      if (this.dirty.size === 0 && this.timer === undefined) this.setState('saved');
    } catch (error) {
      console.error('[draft] save failed', error);
      // Try these again with the next change or flush.
      for (const key of keys) this.dirty.add(key);
      if (isQuotaExceeded(error)) this.markRefused(keys, true);
      this.setState('error');
    }
  }

  /**
   * Writes the changes; when the device is full and a photo is among them, writes the rest without it
   * (the typed fields are small and matter most) and keeps the photo pending, then reports the failure.
   */
  private async writeOrKeepPhoto(changes: Partial<DraftRecord>, keys: DirtyKey[]): Promise<void> {
    try {
      await this.writeChanges(changes);
    } catch (error) {
      const photoKeys = keys.filter((key) => PHOTO_KEYS.includes(key));
      if (!isQuotaExceeded(error) || photoKeys.length === 0 || photoKeys.length === keys.length) throw error;
      const rest: Partial<DraftRecord> = { ...changes };
      for (const key of photoKeys) delete rest[key];
      // The row as put back whole (when gone) must not carry the photo either.
      await this.writeChanges(rest, PHOTO_KEYS);
      for (const key of photoKeys) this.dirty.add(key);
      throw error;
    }
  }

  private async writeChanges(changes: Partial<DraftRecord>, leaveOut: readonly DirtyKey[] = []): Promise<void> {
    const record = { ...this.current };
    for (const key of leaveOut) delete record[key];
    if ((await writeDraftChanges(this.db, record, changes)) === 'retired') {
      // Submitted meanwhile (the outbox's completion removed it): nothing more is written.
      this.closed = true;
      this.dirty.clear();
    }
  }

  /**
   * Keys written (refused false) or refused for want of space. A later small write that fits (the sync's
   * bookkeeping, say) does not clear a refusal of the photo: only writing the photo does.
   */
  private markRefused(keys: readonly DirtyKey[], refused: boolean): void {
    const before = this.refused.size;
    for (const key of keys) {
      if (refused) this.refused.add(key);
      else this.refused.delete(key);
    }
    if ((before > 0) !== (this.refused.size > 0) || refused) this.dispatchEvent(new Event('statechange'));
  }

  private async replace(record: DraftRecord, previousId: string): Promise<void> {
    try {
      await replaceDraft(this.db, record, previousId);
      this.markRefused([...this.refused], false);
      if (this.dirty.size === 0 && this.timer === undefined) this.setState('saved');
    } catch (error) {
      console.error('[draft] save failed', error);
      // The next write puts the whole draft back (update() finds no row under a new id); under the same
      // id it writes what is named here, the photo and signature too, or they would be lost with the row.
      const keys: DirtyKey[] = ['values', 'fieldUpdatedAt', 'updatedAt'];
      if (record.photo) keys.push(...PHOTO_KEYS);
      if (record.signature) keys.push('signature', 'signatureSha256');
      for (const key of keys) this.dirty.add(key);
      if (isQuotaExceeded(error)) this.markRefused(keys, true);
      this.setState('error');
    }
  }

  private setState(state: SaveState): void {
    if (state === this.saveState) return;
    this.saveState = state;
    this.dispatchEvent(new Event('statechange'));
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private detach(): void {
    document.removeEventListener('visibilitychange', this.onVisibilityChange);
    window.removeEventListener('pagehide', this.onPageHide);
  }

  private readonly onVisibilityChange = () => {
    if (document.visibilityState === 'hidden') void this.flush();
  };

  private readonly onPageHide = () => {
    void this.flush();
  };
}
