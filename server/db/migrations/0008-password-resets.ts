import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // 忘记密码: one row per attempt, found by the SHA-256 of its reset id (the id itself is the bearer's).
  // account_id is null when the name and ID number matched no account: such an attempt looks the
  // same from outside and keeps nothing about the person.
  await db.schema
    .createTable('password_resets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.references('accounts.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('face_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('face_passed_at', 'text')
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('password_resets_account_id_index').on('password_resets').column('account_id').execute();
}
