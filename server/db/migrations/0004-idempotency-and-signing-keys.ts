import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Exactly-once for POST /api/submissions across instances: a key is claimed here before any
  // work, and marked done with its answer in the transaction that stores the submission.
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('body_sha256', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('response', 'text')
    .addColumn('locked_until', 'text', (c) => c.notNull())
    .addColumn('claim_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('idempotency_keys_state_check', sql`state in ('in_flight', 'done')`)
    .execute();

  // The receipt signing key, when none is configured. One per algorithm (the unique constraint),
  // so instances starting together on a fresh database keep the same one.
  await db.schema
    .createTable('server_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('algorithm', 'text', (c) => c.notNull())
    .addColumn('private_pkcs8', 'text', (c) => c.notNull())
    .addColumn('public_raw', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('server_keys_algorithm_unique', ['algorithm'])
    .execute();

  // Each submission keeps its signed receipt, so GET and every replay show the very same one.
  for (const column of ['receipt_key_id', 'receipt_signature']) {
    await db.schema.alterTable('submissions').addColumn(column, 'text').execute();
  }
}
