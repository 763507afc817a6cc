import { type Kysely, sql } from 'kysely';
import type { Database, SubmissionEventKind } from './schema.ts';

export interface NewSubmissionEvent {
  submissionId: string;
  version: number;
  status: string;
  kind: SubmissionEventKind;
  actor: string;
  /** JSON text, or null. */
  detail: string | null;
  at: string;
}

export interface StoredSubmissionEvent extends NewSubmissionEvent {
  seq: number;
}

/** A feed line: the event and the receipt number of its application. */
export interface FeedRow {
  seq: number;
  submissionId: string;
  receiptNumber: string;
  version: number;
  status: string;
  at: string;
}

/**
 * Takes the next number from feed_counter and stores the event under it. The UPDATE locks the counter
 * row until the transaction ends, so whoever numbers next waits for this commit: seq order is commit order.
 */
export async function insertNumberedEvent(trx: Kysely<Database>, event: NewSubmissionEvent): Promise<number> {
  const { value: seq } = await trx
    .updateTable('feed_counter')
    .set({ value: sql<number>`value + 1` })
    .where('id', '=', 1)
    .returning('value')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('submission_events')
    .values({
      seq,
      submission_id: event.submissionId,
      version: event.version,
      status: event.status,
      kind: event.kind,
      actor: event.actor,
      detail: event.detail,
      at: event.at,
    })
    .execute();
  return seq;
}

function fromRow(row: Database['submission_events']): StoredSubmissionEvent {
  return {
    seq: row.seq,
    submissionId: row.submission_id,
    version: row.version,
    status: row.status,
    kind: row.kind,
    actor: row.actor,
    detail: row.detail,
    at: row.at,
  };
}

/** One application's events, oldest first. */
export async function listEventsOf(db: Kysely<Database>, submissionId: string): Promise<StoredSubmissionEvent[]> {
  const rows = await db.selectFrom('submission_events').selectAll().where('submission_id', '=', submissionId).orderBy('seq').execute();
  return rows.map(fromRow);
}

/** The newest event of one application that led to `status`, if any. */
export async function latestEventWithStatus(
  db: Kysely<Database>,
  submissionId: string,
  status: string,
): Promise<StoredSubmissionEvent | undefined> {
  const row = await db
    .selectFrom('submission_events')
    .selectAll()
    .where('submission_id', '=', submissionId)
    .where('status', '=', status)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && fromRow(row);
}

/** Events after `seq`, in seq order, at most `limit`. */
export async function listFeedAfter(db: Kysely<Database>, seq: number, limit: number): Promise<FeedRow[]> {
  return db
    .selectFrom('submission_events as e')
    .innerJoin('submissions as s', 's.id', 'e.submission_id')
    .select(['e.seq', 'e.submission_id as submissionId', 's.receipt_number as receiptNumber', 'e.version', 'e.status', 'e.at'])
    .where('e.seq', '>', seq)
    .orderBy('e.seq')
    .limit(limit)
    .execute();
}

/** The key that seals feed cursors (migration 0007), as bytes. */
export async function readFeedSecret(db: Kysely<Database>): Promise<Uint8Array> {
  const row = await db.selectFrom('feed_secret').select('secret').where('id', '=', 1).executeTakeFirstOrThrow();
  return Buffer.from(row.secret, 'base64url');
}
