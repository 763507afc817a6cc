import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { SubmissionStatus } from '../../shared/submission-status.ts';
import {
  INITIAL_SUBMISSION_STATUS,
  type ReceiptSignature,
  type Submission,
  type SubmissionBody,
  type SubmissionCommitment,
} from '../submissions/submission.ts';
import type { Database, SubmissionsTable } from './schema.ts';
import { translatingDuplicates } from './storage-errors.ts';

export interface NewSubmission {
  id?: string;
  receiptNumber: string;
  accountId: string;
  idempotencyKey: string;
  /** The validated form, stored and hashed exactly as given. */
  body: SubmissionBody;
  status?: SubmissionStatus;
  commitment?: SubmissionCommitment;
  receiptSignature?: ReceiptSignature;
  now?: Date;
}

/** The USCC the application names, read from its stored JSON. */
function enterpriseUsccOf(body: SubmissionBody): string | null {
  return (JSON.parse(body.json) as { enterprise?: { uscc?: string } }).enterprise?.uscc ?? null;
}

function toSubmission(row: Selectable<SubmissionsTable>): Submission {
  return {
    id: row.id,
    receiptNumber: row.receipt_number,
    accountId: row.account_id,
    idempotencyKey: row.idempotency_key,
    bodySha256: row.body_sha256,
    bodyJson: row.body,
    // Written only from SUBMISSION_STATUSES (the column has no other writer).
    status: row.status as SubmissionStatus,
    version: row.version,
    createdAt: row.created_at,
    commitment:
      row.commitment_version && row.commitment_sha256 && row.committed_at
        ? { version: row.commitment_version, sha256: row.commitment_sha256, acceptedAt: row.committed_at }
        : null,
    receiptSignature:
      row.receipt_key_id && row.receipt_signature ? { keyId: row.receipt_key_id, signature: row.receipt_signature } : null,
  };
}

/**
 * Accepts a submission exactly once per idempotency key, across processes and server instances:
 * the unique constraint decides (INSERT … ON CONFLICT DO NOTHING), never a lock in memory. A repeat
 * writes nothing and returns the first row with `created: false`; the caller compares `bodySha256`
 * to tell a retry from a different body under the same key. A clash on `id` or `receiptNumber`
 * (not on the key) throws DuplicateError, so the caller can pick a new receipt number and retry.
 */
export async function insertSubmission(
  db: Kysely<Database>,
  input: NewSubmission,
): Promise<{ created: boolean; submission: Submission }> {
  const row: Selectable<SubmissionsTable> = {
    id: input.id ?? randomUUID(),
    receipt_number: input.receiptNumber,
    account_id: input.accountId,
    idempotency_key: input.idempotencyKey,
    body_sha256: input.body.sha256,
    body: input.body.json,
    status: input.status ?? INITIAL_SUBMISSION_STATUS,
    created_at: (input.now ?? new Date()).toISOString(),
    commitment_version: input.commitment?.version ?? null,
    commitment_sha256: input.commitment?.sha256 ?? null,
    committed_at: input.commitment?.acceptedAt ?? null,
    receipt_key_id: input.receiptSignature?.keyId ?? null,
    receipt_signature: input.receiptSignature?.signature ?? null,
    version: 1,
    enterprise_uscc: enterpriseUsccOf(input.body),
  };
  const inserted = await translatingDuplicates(() =>
    db
      .insertInto('submissions')
      .values(row)
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returning('id')
      .executeTakeFirst(),
  );
  if (inserted) return { created: true, submission: toSubmission(row) };
  // The conflicting insert has committed by now (PostgreSQL waits for it), so this read finds it.
  const existing = await findSubmissionByIdempotencyKey(db, input.idempotencyKey);
  if (!existing) throw new Error('submission vanished between insert and read');
  return { created: false, submission: existing };
}

export async function findSubmissionByIdempotencyKey(
  db: Kysely<Database>,
  idempotencyKey: string,
): Promise<Submission | undefined> {
  const row = await db
    .selectFrom('submissions')
    .selectAll()
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst();
  return row && toSubmission(row);
}

export async function findSubmissionById(db: Kysely<Database>, id: string): Promise<Submission | undefined> {
  const row = await db.selectFrom('submissions').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toSubmission(row);
}

/** One account's submissions, newest first (receipt number breaks a tie within one millisecond). */
export async function listSubmissionsForAccount(db: Kysely<Database>, accountId: string): Promise<Submission[]> {
  const rows = await db
    .selectFrom('submissions')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .orderBy('receipt_number', 'desc')
    .execute();
  return rows.map(toSubmission);
}

/**
 * Gives a submission stored before receipts were signed its signature, once: a row that has one
 * keeps it. Returns the row as stored afterwards.
 */
export async function addReceiptSignature(
  db: Kysely<Database>,
  id: string,
  receiptSignature: ReceiptSignature,
): Promise<Submission | undefined> {
  await db
    .updateTable('submissions')
    .set({ receipt_key_id: receiptSignature.keyId, receipt_signature: receiptSignature.signature })
    .where('id', '=', id)
    .where('receipt_signature', 'is', null)
    .execute();
  return findSubmissionById(db, id);
}

/** Where a submission must still stand for a change to apply: compare-and-set, so a concurrent change wins once. */
export interface SubmissionState {
  status: SubmissionStatus;
  version: number;
}

/**
 * Makes a new version the current one: its body, signature, commitment and the status it leads to.
 * Applies only while the row is still at `from`; returns whether it did.
 */
export async function replaceCurrentVersion(
  db: Kysely<Database>,
  id: string,
  from: SubmissionState,
  to: { version: number; status: SubmissionStatus; body: SubmissionBody; commitment: SubmissionCommitment; receiptSignature: ReceiptSignature },
): Promise<boolean> {
  const updated = await db
    .updateTable('submissions')
    .set({
      version: to.version,
      status: to.status,
      body: to.body.json,
      body_sha256: to.body.sha256,
      enterprise_uscc: enterpriseUsccOf(to.body),
      commitment_version: to.commitment.version,
      commitment_sha256: to.commitment.sha256,
      committed_at: to.commitment.acceptedAt,
      receipt_key_id: to.receiptSignature.keyId,
      receipt_signature: to.receiptSignature.signature,
    })
    .where('id', '=', id)
    .where('status', '=', from.status)
    .where('version', '=', from.version)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** Moves a submission to `status`, only while it is still at `from`; returns whether it did. */
export async function moveSubmissionStatus(
  db: Kysely<Database>,
  id: string,
  from: SubmissionState,
  status: SubmissionStatus,
): Promise<boolean> {
  const updated = await db
    .updateTable('submissions')
    .set({ status })
    .where('id', '=', id)
    .where('status', '=', from.status)
    .where('version', '=', from.version)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}
