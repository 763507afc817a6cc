/**
 * The outbox of text messages to applicants. Whatever changes an application's status calls
 * `enqueueNotice` inside its own transaction, so the notice exists exactly when the change does; the
 * sender (notice-sender.ts) delivers it afterwards, and a failing provider never undoes the change.
 */
import type { Kysely } from 'kysely';
import { insertNotice, listNoticesOfAccount } from '../db/notices-store.ts';
import type { Database, NoticeEvent, NoticeState } from '../db/schema.ts';
import { noticeText } from './notice-text.ts';

export interface NoticeRequest {
  accountId: string;
  submissionId: string;
  event: NoticeEvent;
  /** The application's status after the change. */
  status: string;
  at: Date;
  /** For 补正: the last day to answer ('YYYY-MM-DD', see correctionReplyDue). */
  deadline?: string;
}

/**
 * Writes the message to send; `trx` must be the transaction of the status change. The text is built
 * from the 申请编号 (read here, so callers cannot pass anything else in) and the status.
 */
export async function enqueueNotice(trx: Kysely<Database>, request: NoticeRequest): Promise<void> {
  const row = await trx.selectFrom('submissions').select('receipt_number').where('id', '=', request.submissionId).executeTakeFirst();
  if (!row) throw new Error('a notice for a submission that does not exist');
  const text = noticeText({ event: request.event, receiptNumber: row.receipt_number, status: request.status, deadline: request.deadline });
  await insertNotice(trx, {
    accountId: request.accountId,
    submissionId: request.submissionId,
    event: request.event,
    status: request.status,
    text,
    at: request.at,
  });
}

/** One notice as the person may see it in 我的信息. */
export interface NoticeRecord {
  submissionId: string;
  event: NoticeEvent;
  text: string;
  /** pending: not sent yet (or being retried); sent; failed: given up. */
  state: Exclude<NoticeState, 'sending'>;
  createdAt: string;
  sentAt: string | null;
}

/** What was (or is to be) sent to an account, oldest first. */
export async function listNoticesFor(db: Kysely<Database>, accountId: string): Promise<NoticeRecord[]> {
  const notices = await listNoticesOfAccount(db, accountId);
  return notices.map((notice) => ({
    submissionId: notice.submissionId,
    event: notice.event,
    text: notice.text,
    // A message being handed over is, to its reader, not sent yet.
    state: notice.state === 'sending' ? 'pending' : notice.state,
    createdAt: notice.createdAt,
    sentAt: notice.sentAt,
  }));
}
