import type { Kysely, Selectable } from 'kysely';
import type { DraftContent, StoredDraft } from '../drafts/draft.ts';
import type { Database, DraftsTable } from './schema.ts';

export type DraftWriteResult =
  | { status: 'saved'; revision: number }
  /** The stored revision is not the one the write was based on: here is the stored copy. */
  | { status: 'conflict'; draft: StoredDraft }
  /** No such draft for this account: absent (with a base revision above 0) or someone else's. */
  | { status: 'not-found' };

export interface DraftWrite {
  id: string;
  accountId: string;
  /** The revision the device last had; 0 for a draft the server has never seen. */
  baseRevision: number;
  content: DraftContent;
  now?: Date;
}

/** Fixed key order, so the same content always gives the same text (a retry is recognised). */
function bodyOf(content: DraftContent): string {
  const { values, fieldUpdatedAt, photo, signature, updatedAt } = content;
  return JSON.stringify({ values, fieldUpdatedAt, photo, signature, updatedAt });
}

function toDraft(row: Selectable<DraftsTable>): StoredDraft {
  const body = JSON.parse(row.body) as DraftContent;
  return {
    id: row.id,
    accountId: row.account_id,
    revision: Number(row.revision),
    values: body.values,
    fieldUpdatedAt: body.fieldUpdatedAt,
    ...(body.photo === undefined ? {} : { photo: body.photo }),
    ...(body.signature === undefined ? {} : { signature: body.signature }),
    updatedAt: body.updatedAt,
    savedAt: row.updated_at,
  };
}

/**
 * Compare-and-set in one statement, so it holds across server instances sharing the database: a new
 * draft is an INSERT … ON CONFLICT DO NOTHING, a later one an UPDATE … WHERE revision = base. Of two
 * writes on the same base exactly one is saved; the other sees the winner's copy. A write whose
 * answer was lost and is sent again (same base, same content) is answered as saved once more.
 */
export async function writeDraft(db: Kysely<Database>, input: DraftWrite): Promise<DraftWriteResult> {
  const body = bodyOf(input.content);
  const savedAt = (input.now ?? new Date()).toISOString();
  const revision = input.baseRevision + 1;
  const written =
    input.baseRevision === 0
      ? await db
          .insertInto('drafts')
          .values({ id: input.id, account_id: input.accountId, revision, body, updated_at: savedAt })
          .onConflict((oc) => oc.column('id').doNothing())
          .returning('revision')
          .executeTakeFirst()
      : await db
          .updateTable('drafts')
          .set({ revision, body, updated_at: savedAt })
          .where('id', '=', input.id)
          .where('account_id', '=', input.accountId)
          .where('revision', '=', input.baseRevision)
          .returning('revision')
          .executeTakeFirst();
  if (written) return { status: 'saved', revision };

  const row = await db.selectFrom('drafts').selectAll().where('id', '=', input.id).executeTakeFirst();
  if (!row || row.account_id !== input.accountId) return { status: 'not-found' };
  if (Number(row.revision) === revision && row.body === body) return { status: 'saved', revision };
  return { status: 'conflict', draft: toDraft(row) };
}

/** The account's drafts, the most recently saved first. */
export async function listDrafts(db: Kysely<Database>, accountId: string): Promise<StoredDraft[]> {
  const rows = await db
    .selectFrom('drafts')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('updated_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map(toDraft);
}

/** Removes the account's draft; nothing happens when it is absent or someone else's. */
export async function deleteDraft(db: Kysely<Database>, accountId: string, id: string): Promise<void> {
  await db.deleteFrom('drafts').where('id', '=', id).where('account_id', '=', accountId).execute();
}
