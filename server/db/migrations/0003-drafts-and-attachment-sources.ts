import { type Kysely, sql } from 'kysely';
import { binaryColumnType } from './column-types.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Drafts synced between a person's devices. The id is made on the device; `revision` is the
  // compare-and-set counter; `body` is JSON (values, fieldUpdatedAt, photo, signature, updatedAt);
  // `updated_at` is the server's time of the last write, for listing newest first.
  await db.schema
    .createTable('drafts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('drafts_revision_check', sql`revision >= 1`)
    .execute();
  await db.schema.createIndex('drafts_account_id_index').on('drafts').columns(['account_id', 'updated_at']).execute();

  // Attachments become addressed by the SHA-256 the device computed of the bytes it uploaded
  // (`source_sha256`), per account. The old primary key, the SHA-256 of the re-encoded bytes, made
  // two accounts uploading the same picture collide. Neither dialect can swap a primary key in
  // place (SQLite cannot alter one at all), so the table is rebuilt, the portable way: create,
  // copy, drop, rename. The key is (account_id, source_sha256), which is also the unique index
  // that makes an upload retry free. `sha256` keeps its meaning: the hash of `bytes`.
  // Rows from before had only that hash as their id, and that is what devices hold, so it becomes
  // their `source_sha256`. `width`/`height` are known for new rows only (old ones: null).
  await db.schema
    .createTable('attachments_0003')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('source_sha256', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('bytes', binaryColumnType(db), (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('attachments_account_source_pk', ['account_id', 'source_sha256'])
    .addCheckConstraint('attachments_source_kind_check', sql`kind in ('photo', 'signature')`)
    .execute();
  await sql`insert into attachments_0003 (account_id, source_sha256, sha256, kind, mime, bytes, size, created_at)
    select account_id, sha256, sha256, kind, mime, bytes, size, created_at from attachments`.execute(db);
  await db.schema.dropTable('attachments').execute();
  await db.schema.alterTable('attachments_0003').renameTo('attachments').execute();
}
