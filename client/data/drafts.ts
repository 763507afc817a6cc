/**
 * The application drafts kept on this device (db.drafts) and the tombstones of those submitted here
 * (db.draftTombstones). Nothing else writes these two tables: the open draft goes through DraftStore
 * (./draft-store.ts), the draft sync and the outbox's completion through the functions below.
 */
import type { DraftRecord, LocalDb } from './local-db.ts';

/** What a merge with the server's copy may change (edit times come from the merge, not from now). */
export type RemoteDraftChange = Omit<DraftRecord, 'accountId'>;

/** The account's drafts on this device, in no particular order. */
export function draftsOf(db: LocalDb, accountId: string): Promise<DraftRecord[]> {
  return db.drafts.where('accountId').equals(accountId).toArray();
}

/** The account's most recently edited draft, the one the form opens. */
export async function newestDraftOf(db: LocalDb, accountId: string): Promise<DraftRecord | undefined> {
  return (await db.drafts.where('accountId').equals(accountId).sortBy('updatedAt')).at(-1);
}

/** The newest draft of any account: offline, it stands in for the session it was made in. */
export function newestDraft(db: LocalDb): Promise<DraftRecord | undefined> {
  return db.drafts.orderBy('updatedAt').last();
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
