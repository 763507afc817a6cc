/**
 * The application drafts kept on this device (db.drafts) and the tombstones of those submitted here
 * (db.draftTombstones). Nothing else writes these two tables: the open draft goes through DraftStore
 * (./draft-store.ts), the draft sync and the outbox's completion through the functions below.
 */
import type { CorrectionOf, DraftRecord, LocalDb } from './local-db.ts';

/** What a merge with the server's copy may change (edit times come from the merge, not from now). */
export type RemoteDraftChange = Omit<DraftRecord, 'accountId'>;

/** A draft of a new application; a 补正's draft stays on this device and opens only for its submission. */
const isNewApplication = (record: DraftRecord) => record.correctionOf === undefined;

/** The account's drafts of new applications on this device (those draft sync shares), in no particular order. */
export function draftsOf(db: LocalDb, accountId: string): Promise<DraftRecord[]> {
  return db.drafts.where('accountId').equals(accountId).filter(isNewApplication).toArray();
}

/** The account's most recently edited draft of a new application, the one the form opens. */
export async function newestDraftOf(db: LocalDb, accountId: string): Promise<DraftRecord | undefined> {
  return (await db.drafts.where('accountId').equals(accountId).filter(isNewApplication).sortBy('updatedAt')).at(-1);
}

/** The draft correcting that submission (补正), if one was begun on this device. */
export function correctionDraftOf(db: LocalDb, accountId: string, submissionId: string): Promise<DraftRecord | undefined> {
  return db.drafts
    .where('accountId')
    .equals(accountId)
    .filter((record) => record.correctionOf?.submissionId === submissionId)
    .first();
}

/** The newest draft of any account: offline, it stands in for the session it was made in. */
export function newestDraft(db: LocalDb): Promise<DraftRecord | undefined> {
  return db.drafts.orderBy('updatedAt').last();
}

/**
 * Keeps `record` as the draft of its 补正, unless the device holds one for the same version already
 * (begun earlier, or by another tab meanwhile): the one kept is returned, so no edit is lost. One for
 * an older version (补正 asked again) is replaced.
 */
export function keepCorrectionDraft(db: LocalDb, record: DraftRecord & { correctionOf: CorrectionOf }): Promise<DraftRecord> {
  return db.transaction('rw', db.drafts, async () => {
    const existing = await correctionDraftOf(db, record.accountId, record.correctionOf.submissionId);
    if (existing?.correctionOf?.version === record.correctionOf.version) return existing;
    if (existing) await db.drafts.delete(existing.id);
    await db.drafts.put(record);
    return record;
  });
}

/** The device's storage is full: the browser's QuotaExceededError, as thrown or as Dexie wraps it. */
export function isQuotaExceeded(error: unknown): boolean {
  const named = (value: unknown) => (value as { name?: unknown } | undefined)?.name === 'QuotaExceededError';
  return named(error) || named((error as { inner?: unknown } | undefined)?.inner);
}

export function putDraft(db: LocalDb, record: DraftRecord): Promise<unknown> {
  return db.drafts.put(record);
}

/** Adds a draft brought from the server; false when one of that id is here already (another tab). */
export async function addDraft(db: LocalDb, record: DraftRecord): Promise<boolean> {
  try {
    await db.drafts.add(record);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes changes of the open draft. A row gone because it was submitted (tombstoned) stays gone, or the
 * person would find a submitted application back as a draft: 'retired'. A row gone for another reason
 * is written back whole from `record`, rather than lose the person's input.
 */
export function writeDraftChanges(
  db: LocalDb,
  record: DraftRecord,
  changes: Partial<DraftRecord>,
): Promise<'written' | 'retired'> {
  return db.transaction('rw', db.drafts, db.draftTombstones, async () => {
    if ((await db.drafts.update(record.id, changes)) > 0) return 'written';
    if (await db.draftTombstones.get(record.id)) return 'retired';
    await db.drafts.put(record);
    return 'written';
  });
}

/** Puts `record`; with another id (the server's draft adopted) the row under `previousId` goes with it. */
export function replaceDraft(db: LocalDb, record: DraftRecord, previousId: string): Promise<void> {
  return db.transaction('rw', db.drafts, async () => {
    await db.drafts.put(record);
    if (previousId !== record.id) await db.drafts.delete(previousId);
  });
}

/**
 * Reads the row as it is now and replaces it with what `change` makes of it, in one transaction (a
 * draft not open in this tab, merged with the server's copy). Undefined when the row is gone.
 */
export function changeDraft<T>(
  db: LocalDb,
  id: string,
  change: (current: DraftRecord) => { next: RemoteDraftChange; result: T },
): Promise<T | undefined> {
  return db.transaction('rw', db.drafts, async () => {
    const current = await db.drafts.get(id);
    if (!current) return undefined;
    const { next, result } = change(current);
    await db.drafts.put({ ...next, accountId: current.accountId });
    if (next.id !== id) await db.drafts.delete(id);
    return result;
  });
}

/**
 * The drafts were submitted: they go, and a tombstone each has the draft sync delete the server's copy
 * too, so that no pull brings them back. Runs inside a caller's rw transaction over drafts and
 * draftTombstones (the outbox's completion, with the receipt), or in its own.
 */
export function retireDrafts(db: LocalDb, accountId: string, draftIds: Iterable<string>, at: number): Promise<void> {
  const ids = [...new Set(draftIds)];
  return db.transaction('rw', db.drafts, db.draftTombstones, async () => {
    for (const id of ids) {
      await db.drafts.delete(id);
      await db.draftTombstones.put({ id, accountId, deletedAt: at });
    }
  });
}

/** Ids of the account's drafts submitted here whose server copy may still exist. */
export async function tombstonedDraftIds(db: LocalDb, accountId: string): Promise<string[]> {
  return (await db.draftTombstones.where('accountId').equals(accountId).toArray()).map((tombstone) => tombstone.id);
}

/** The server's copy is gone too: nothing is left to delete. */
export function forgetTombstone(db: LocalDb, id: string): Promise<void> {
  return db.draftTombstones.delete(id);
}

/** crypto.randomUUID exists only in secure contexts; fall back to random bytes elsewhere. */
export function newUuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
