import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The key that seals the change feed's cursors: one per deployment, made here once (migrations run
  // under a lock), shared by every instance, and of no other use, so no other key is exposed by it.
  await db.schema
    .createTable('feed_secret')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('secret', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into feed_secret (id, secret) values (1, ${randomBytes(32).toString('base64url')})`.execute(db);
}
