/** What the device keeps: application drafts (with their photo and signature) and submission receipts. */
import Dexie, { type EntityTable } from 'dexie';
import type { ApplicationDraft } from '../../shared/application-schema.ts';

export const LOCAL_DB_NAME = 'jianli-registration';

/** The form's text and choice fields; attachments live beside them as Blobs, never as ids. */
export type DraftValues = Omit<ApplicationDraft, 'photo' | 'signature'>;

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
  /** Made and saved before the first submit attempt, so every retry sends the same key. */
  idempotencyKey?: string;
  updatedAt: number;
}

export interface ReceiptRecord {
  receiptNumber: string;
  accountId: string;
  submissionId: string;
  submittedAt: string;
  status: string;
  bodySha256: string;
  /** Enough to list the application offline; specialties are codes (show names via code lists). */
  summary: { name: string; enterpriseName: string; specialty1: string; specialty2: string };
}

export class LocalDb extends Dexie {
  declare drafts: EntityTable<DraftRecord, 'id'>;
  declare receipts: EntityTable<ReceiptRecord, 'receiptNumber'>;

  constructor(name: string = LOCAL_DB_NAME) {
    // 'strict': Chromium reports a write only once it is on disk, so a confirmed save survives a crash.
    super(name, { chromeTransactionDurability: 'strict' });
    this.version(1).stores({
      drafts: 'id, accountId, updatedAt',
      receipts: 'receiptNumber, accountId',
    });
  }
}

let shared: LocalDb | undefined;

/** The app's one database connection, opened on first use. */
export function localDb(): LocalDb {
  shared ??= new LocalDb();
  return shared;
}
