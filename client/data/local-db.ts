/**
 * What the device keeps: application drafts (with their photo and signature), the outbox of submissions
 * waiting for the network, the server's receipts, and enterprise suggestions seen before.
 */
import Dexie, { type EntityTable } from 'dexie';
import type { Correction } from '../../shared/api/submissions.ts';
import type { ApplicationDraft } from '../../shared/application-schema.ts';
import type { Enterprise } from '../../shared/enterprise.ts';
import { deviceStorage } from './device-storage.ts';
import { MemoryIndexedDB, MemoryKeyRange, MemoryRequest } from './memory-indexeddb.ts';

export const LOCAL_DB_NAME = 'jianli-registration';

/** The form's text and choice fields; attachments live beside them as Blobs, never as ids. */
export type DraftValues = Omit<ApplicationDraft, 'photo' | 'signature'>;

/** A draft that corrects a submitted application (补正), made from the version the reviewer saw. */
export interface CorrectionOf {
  submissionId: string;
  /** The version the notes were asked on; the resubmission becomes the next one. */
  version: number;
  /** The reviewer's notes, per field, kept so they show offline too. */
  corrections: Correction[];
}

export interface DraftRecord {
  /** A UUID made on the device, so a draft can be synced and retried safely. */
  id: string;
  accountId: string;
  values: DraftValues;
  photo?: Blob;
  signature?: Blob;
  photoWhiteBackground?: boolean;
  /** Last edit time per field (dotted path, or `photo` / `signature`), for a per-field merge later. */
  fieldUpdatedAt: Record<string, number>;
  updatedAt: number;
  /** The server's revision this copy was last synced with (absent: never synced). */
  serverRevision?: number;
  /** updatedAt of the copy the server last confirmed; equal to updatedAt when nothing is left to send. */
  syncedUpdatedAt?: number;
  /**
   * The id (SHA-256 of the uploaded bytes) of `photo` / `signature`: hashed once when the person sets
   * it, and taken as is by the draft sync and the submission. A blob downloaded from the server holds
   * re-encoded bytes, so its own hash is not this id. Cleared when the person replaces the attachment;
   * may be set without a blob while the download is pending.
   */
  photoSha256?: string;
  signatureSha256?: string;
  /**
   * Set on the draft of a 补正: it stays on this device (draft sync leaves it alone, the submitted
   * version is on the server already) and is resubmitted as a new version of that submission.
   */
  correctionOf?: CorrectionOf;
}

/** A draft deleted on this device (submitted) whose server copy has still to be deleted. */
export interface DraftTombstoneRecord {
  id: string;
  accountId: string;
  deletedAt: number;
}

export interface ReceiptRecord {
  receiptNumber: string;
  accountId: string;
  submissionId: string;
  /** The outbox item's Idempotency-Key it answered, so the form of that draft finds its receipt. */
  idempotencyKey?: string;
  submittedAt: string;
  /** Where the application stands: the status at acceptance, refreshed whenever the list is read online. */
  status: string;
  /** The version this receipt is for (absent: the first); a resubmission's receipt replaces the earlier one. */
  version?: number;
  /** The reviewer's notes while 补正 is asked (refreshed with the status). */
  corrections?: Correction[];
  bodySha256: string;
  /** Enough to list the application offline; specialties are codes (show names via code lists). */
  summary: { name: string; enterpriseName: string; specialty1: string; specialty2: string };
  /** Ed25519 signature by the server over the receipt (see shared/receipt-signature.ts). */
  signature?: string;
  keyId?: string;
}

/** An attachment waiting in the outbox: its bytes stay on the device until the server has them. */
export interface OutboxAttachment {
  /** Hex SHA-256 of `blob`'s bytes: the attachment's id, so a retried upload costs nothing. */
  sha256: string;
  kind: 'photo' | 'signature';
  blob: Blob;
  uploaded: boolean;
}

export type OutboxState = 'queued' | 'sending' | 'rejected' | 'sent';

/**
 * A submission waiting to reach the server. It is removed only once the server's receipt is saved;
 * a rejection with field issues stays here (state 'rejected') until the person has fixed the draft.
 */
export interface OutboxRecord {
  /** The Idempotency-Key: one per application, reused by every attempt; kept here and nowhere else. */
  id: string;
  accountId: string;
  draftId: string;
  /** The submit body, with photo and signature referring to the attachments' SHA-256. */
  body: Record<string, unknown>;
  attachments: OutboxAttachment[];
  state: OutboxState;
  attempts: number;
  /** Epoch ms before which no new attempt is made (exponential backoff with jitter). */
  nextAttemptAt: number;
  lastError?: string;
  issues?: { field: string; message: string }[];
  createdAt: number;
  /** Why it was rejected: fix the fields, sign in again, redo face verification, or read lastError. */
  rejectedFor?: 'issues' | 'sign-in' | 'face' | 'other';
  /** An attempt went unanswered (network, 5xx, 409): the server may hold it under this key already. */
  maybeDelivered?: boolean;
  /** When state became 'sending'; a claim left by a closed tab is taken back after a while. */
  sendingAt?: number;
  /**
   * `body.enterprise` holds only the name typed (offline, never picked): the sender matches it against
   * the directory and stores the completed body before the first POST, then drops this flag.
   */
  enterpriseToMatch?: boolean;
  /**
   * A 补正: the id of the submission this body is a new version of. Sent to
   * POST /api/submissions/{id}/versions under this item's own key instead of POST /api/submissions.
   */
  resubmissionOf?: string;
}

/** Enterprise suggestions seen once, so a repeated search works with no network. */
export interface EnterpriseCacheRecord {
  /** The keyword as normalised for search. */
  keyword: string;
  enterprises: Enterprise[];
  savedAt: number;
}

export class LocalDb extends Dexie {
  declare drafts: EntityTable<DraftRecord, 'id'>;
  declare receipts: EntityTable<ReceiptRecord, 'receiptNumber'>;
  declare outbox: EntityTable<OutboxRecord, 'id'>;
  declare enterpriseCache: EntityTable<EnterpriseCacheRecord, 'keyword'>;
  declare draftTombstones: EntityTable<DraftTombstoneRecord, 'id'>;

  constructor(name: string = LOCAL_DB_NAME, factory: Pick<IDBFactory, 'open' | 'deleteDatabase'> | MemoryIndexedDB = storageIndexedDB) {
    // 'strict': Chromium reports a write only once it is on disk, so a confirmed save survives a crash.
    super(name, {
      chromeTransactionDurability: 'strict',
      indexedDB: factory as IDBFactory,
      IDBKeyRange: (globalThis.IDBKeyRange ?? MemoryKeyRange) as typeof IDBKeyRange,
    });
    this.version(1).stores({
      drafts: 'id, accountId, updatedAt',
      receipts: 'receiptNumber, accountId',
    });
    this.version(2).stores({
      outbox: 'id, accountId, state, nextAttemptAt',
      enterpriseCache: 'keyword, savedAt',
    });
    this.version(3).stores({
      draftTombstones: 'id, accountId',
    });
  }
}

/** The page's databases where the device keeps none (see ./device-storage.ts). */
const memoryIndexedDB = new MemoryIndexedDB();

/**
 * An open (or delete) request as Dexie makes it, answered by IndexedDB when the device keeps data and
 * by the page's memory otherwise: Dexie sets its handlers at once, the answer comes once it is known.
 */
function deferredRequest(start: (factory: IDBFactory) => IDBRequest | MemoryRequest): IDBOpenDBRequest {
  const outer = new MemoryRequest();
  let inner: IDBRequest | MemoryRequest | undefined;
  const forward = (type: 'onsuccess' | 'onerror' | 'onblocked' | 'onupgradeneeded') => (event: unknown) =>
    (outer[type] as ((event: unknown) => void) | null)?.(event);
  void deviceStorage().then((storage) => {
    inner = start(storage === 'device' ? indexedDB : (memoryIndexedDB as unknown as IDBFactory));
    const target = inner as unknown as Record<string, unknown>;
    for (const type of ['onsuccess', 'onerror', 'onblocked', 'onupgradeneeded'] as const) target[type] = forward(type);
  });
  // Dexie reads these from the request it was given; they are the answering request's.
  for (const property of ['result', 'error', 'readyState', 'transaction'] as const) {
    Object.defineProperty(outer, property, { get: () => (inner as unknown as Record<string, unknown> | undefined)?.[property] ?? null });
  }
  return outer as unknown as IDBOpenDBRequest;
}

/** IndexedDB where the device keeps data, memory where it cannot; asked once, on the first open. */
const storageIndexedDB: Pick<IDBFactory, 'open' | 'deleteDatabase' | 'cmp' | 'databases'> = {
  open: (name, version) => deferredRequest((factory) => factory.open(name, version)),
  deleteDatabase: (name) => deferredRequest((factory) => factory.deleteDatabase(name)),
  cmp: (a, b) => memoryIndexedDB.cmp(a, b),
  databases: async () => ((await deviceStorage()) === 'device' ? (indexedDB.databases?.() ?? []) : memoryIndexedDB.databases()),
};

let shared: LocalDb | undefined;

/** The app's one database connection, opened on first use. */
export function localDb(): LocalDb {
  shared ??= new LocalDb();
  return shared;
}
