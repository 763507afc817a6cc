import { randomUUID } from 'node:crypto';
import { type Kysely, PostgresAdapter, type Selectable } from 'kysely';
import type { Database, NoticeEvent, NoticeState, NoticesTable } from './schema.ts';

/**
 * The notices outbox, shared by every server instance. A row is written in the transaction of the
 * status change it tells of; a sender claims it (state 'sending', its own claim id, a lease), hands it
 * to the provider and settles it with a compare-and-set on that claim id, so a sender whose lease ran
 * out cannot overwrite what the one that took over recorded.
 */

export interface NewNotice {
  accountId: string;
  submissionId: string;
  event: NoticeEvent;
  status: string;
  text: string;
  at: Date;
}

export interface StoredNotice {
  id: string;
  accountId: string;
  submissionId: string;
  event: NoticeEvent;
  status: string;
  text: string;
  state: NoticeState;
  attempts: number;
  nextAttemptAt: string;
  provider: string | null;
  createdAt: string;
  sentAt: string | null;
}

/** A row a sender holds: to be sent to the account's current mobile number. */
export interface ClaimedNotice extends StoredNotice {
  claimId: string;
  mobile: string;
}

function fromRow(row: Selectable<NoticesTable>): StoredNotice {
  return {
    id: row.id,
    accountId: row.account_id,
    submissionId: row.submission_id,
    event: row.event,
    status: row.status,
    text: row.text,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    provider: row.provider,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
}

/** Writes one notice, due at once; pass the caller's transaction as `db`. */
export async function insertNotice(db: Kysely<Database>, notice: NewNotice): Promise<string> {
  const id = randomUUID();
  const at = notice.at.toISOString();
  await db
    .insertInto('notices')
    .values({
      id,
      account_id: notice.accountId,
      submission_id: notice.submissionId,
      event: notice.event,
      status: notice.status,
      text: notice.text,
      state: 'pending',
      next_attempt_at: at,
      created_at: at,
    })
    .execute();
  return id;
}

export interface ClaimInput {
  now: Date;
  /** How long the claim holds; past it the sender is presumed dead and another takes the row. */
  leaseMs: number;
  limit: number;
}

/**
 * Claims up to `limit` due notices in one statement: pending ones whose backoff has run out, and ones
 * whose sender's lease has. On PostgreSQL the candidates are locked with SKIP LOCKED, so instances
 * claiming at once take different rows instead of waiting on each other; SQLite has one writer, which
 * makes the statement atomic by itself.
 */
export async function claimDueNotices(db: Kysely<Database>, input: ClaimInput): Promise<ClaimedNotice[]> {
  const now = input.now.toISOString();
  const claimId = randomUUID();
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const rows = await db
    .updateTable('notices')
    .set((eb) => ({
      state: 'sending',
      claim_id: claimId,
      claimed_until: new Date(input.now.getTime() + input.leaseMs).toISOString(),
      attempts: eb('attempts', '+', 1),
    }))
    .where('id', 'in', (eb) => {
      const due = eb
        .selectFrom('notices')
        .select('id')
        .where((w) =>
          w.or([
            w.and([w('state', '=', 'pending'), w('next_attempt_at', '<=', now)]),
            w.and([w('state', '=', 'sending'), w('claimed_until', '<=', now)]),
          ]),
        )
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(input.limit);
      return postgres ? due.forUpdate().skipLocked() : due;
    })
    .returningAll()
    .execute();
  if (rows.length === 0) return [];
  const mobiles = await db
    .selectFrom('accounts')
    .select(['id', 'mobile'])
    .where(
      'id',
      'in',
      rows.map((row) => row.account_id),
    )
    .execute();
  const mobileOf = new Map(mobiles.map((row) => [row.id, row.mobile]));
  return rows
    .map((row) => ({ ...fromRow(row), claimId, mobile: mobileOf.get(row.account_id) ?? '' }))
    .sort((a, b) => a.nextAttemptAt.localeCompare(b.nextAttemptAt) || a.id.localeCompare(b.id));
}

/** Records the hand-over; false when the claim was lost meanwhile (another sender owns the row now). */
export async function markNoticeSent(db: Kysely<Database>, notice: ClaimedNotice, provider: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('notices')
    .set({ state: 'sent', sent_at: now.toISOString(), provider, claim_id: null, claimed_until: null })
    .where('id', '=', notice.id)
    .where('claim_id', '=', notice.claimId)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Puts the row back for a later attempt, or (`retryAt` undefined) gives it up as failed. */
export async function markNoticeFailed(db: Kysely<Database>, notice: ClaimedNotice, retryAt: Date | undefined): Promise<boolean> {
  const result = await db
    .updateTable('notices')
    .set(
      retryAt
        ? { state: 'pending', next_attempt_at: retryAt.toISOString(), claim_id: null, claimed_until: null }
        : { state: 'failed', claim_id: null, claimed_until: null },
    )
    .where('id', '=', notice.id)
    .where('claim_id', '=', notice.claimId)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Every notice of one account, oldest first. */
export async function listNoticesOfAccount(db: Kysely<Database>, accountId: string): Promise<StoredNotice[]> {
  const rows = await db.selectFrom('notices').selectAll().where('account_id', '=', accountId).orderBy('created_at').orderBy('id').execute();
  return rows.map(fromRow);
}

export interface DevelopmentSms {
  reference: string;
  mobile: string;
  text: string;
  sentAt: string;
}

/** Keeps a development message once per reference; false when it was kept before. */
export async function keepDevelopmentSms(db: Kysely<Database>, sms: DevelopmentSms): Promise<boolean> {
  const inserted = await db
    .insertInto('development_sms')
    .values({ reference: sms.reference, mobile: sms.mobile, text: sms.text, sent_at: sms.sentAt })
    .onConflict((oc) => oc.column('reference').doNothing())
    .returning('reference')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** What the development provider sent, oldest first; to one number when `mobile` is given. */
export async function listDevelopmentSms(db: Kysely<Database>, mobile?: string): Promise<DevelopmentSms[]> {
  let query = db.selectFrom('development_sms').selectAll().orderBy('sent_at').orderBy('reference');
  if (mobile !== undefined) query = query.where('mobile', '=', mobile);
  const rows = await query.execute();
  return rows.map((row) => ({ reference: row.reference, mobile: row.mobile, text: row.text, sentAt: row.sent_at }));
}
