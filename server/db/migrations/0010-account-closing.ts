import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // 注销账号: the accounts row stays, for the decided applications that name it, but keeps nothing to
  // sign in with or to find the person by; this says which accounts were closed, and when.
  await db.schema
    .createTable('closed_accounts')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references('accounts.id'))
    .addColumn('closed_at', 'text', (c) => c.notNull())
    .execute();
}
