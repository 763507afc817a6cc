import type { Kysely } from 'kysely';

/**
 * Drafts are found by account alone (a person has a few); the index also held updated_at, which every
 * draft save changes, so each save rewrote an index page beside the row: twice the pages written and
 * synced per save on SQLite, and no HOT update on PostgreSQL. The list's order by updated_at is a sort
 * of those few rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('drafts_account_id_index').execute();
  await db.schema.createIndex('drafts_account_id_index').on('drafts').column('account_id').execute();
}
