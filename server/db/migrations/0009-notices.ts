import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The outbox of text messages: written with the status change it tells of, sent afterwards by
  // whichever server instance claims the row first.
  await db.schema
    .createTable('notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('submission_id', 'text', (c) => c.notNull().references('submissions.id').onDelete('cascade'))
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('claim_id', 'text')
    .addColumn('claimed_until', 'text')
    .addColumn('provider', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addCheckConstraint('notices_event_check', sql`event in ('received', 'correction_requested', 'decision')`)
    .addCheckConstraint('notices_state_check', sql`state in ('pending', 'sending', 'sent', 'failed')`)
    .execute();
  await db.schema.createIndex('notices_due_index').on('notices').columns(['state', 'next_attempt_at']).execute();
  await db.schema.createIndex('notices_account_index').on('notices').columns(['account_id', 'created_at']).execute();
  // What the development provider "sent": the phone's inbox, for tests and demos. Keyed by the
  // notice, so a message handed over twice (a sender died before recording it) is kept once.
  await db.schema
    .createTable('development_sms')
    .addColumn('reference', 'text', (c) => c.primaryKey())
    .addColumn('mobile', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .execute();
}
