import type { Kysely, Selectable } from 'kysely';
import type { ReceiptSignature, SubmissionBody } from '../submissions/submission.ts';
import type { Database, SubmissionVersionsTable } from './schema.ts';
import { translatingDuplicates } from './storage-errors.ts';

/** One version of an application as submitted: the first, or a resubmission after 补正. */
export interface SubmissionVersion {
  submissionId: string;
  version: number;
  idempotencyKey: string;
  bodySha256: string;
  bodyJson: string;
  /** Null only for versions copied from rows stored before receipts were signed. */
  receiptSignature: ReceiptSignature | null;
  createdAt: string;
}

export interface NewSubmissionVersion {
  submissionId: string;
  version: number;
  idempotencyKey: string;
  body: SubmissionBody;
  receiptSignature: ReceiptSignature;
  at: Date;
}

function toVersion(row: Selectable<SubmissionVersionsTable>): SubmissionVersion {
  return {
    submissionId: row.submission_id,
    version: row.version,
    idempotencyKey: row.idempotency_key,
    bodySha256: row.body_sha256,
    bodyJson: row.body,
    receiptSignature:
      row.receipt_key_id && row.receipt_signature ? { keyId: row.receipt_key_id, signature: row.receipt_signature } : null,
    createdAt: row.created_at,
  };
}

/**
 * Stores a version once per Idempotency-Key: a repeat of the key writes nothing and returns false
 * (the caller reads the first). A version number taken by another key throws DuplicateError.
 */
export async function insertSubmissionVersion(db: Kysely<Database>, input: NewSubmissionVersion): Promise<boolean> {
  const inserted = await translatingDuplicates(() =>
    db
      .insertInto('submission_versions')
      .values({
        submission_id: input.submissionId,
        version: input.version,
        idempotency_key: input.idempotencyKey,
        body_sha256: input.body.sha256,
        body: input.body.json,
        receipt_key_id: input.receiptSignature.keyId,
        receipt_signature: input.receiptSignature.signature,
        created_at: input.at.toISOString(),
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returning('version')
      .executeTakeFirst(),
  );
  return inserted !== undefined;
}

export async function findVersionByIdempotencyKey(db: Kysely<Database>, key: string): Promise<SubmissionVersion | undefined> {
  const row = await db.selectFrom('submission_versions').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
  return row && toVersion(row);
}

export async function findSubmissionVersion(
  db: Kysely<Database>,
  submissionId: string,
  version: number,
): Promise<SubmissionVersion | undefined> {
  const row = await db
    .selectFrom('submission_versions')
    .selectAll()
    .where('submission_id', '=', submissionId)
    .where('version', '=', version)
    .executeTakeFirst();
  return row && toVersion(row);
}

/** Every version of one application, the first first. */
export async function listSubmissionVersions(db: Kysely<Database>, submissionId: string): Promise<SubmissionVersion[]> {
  const rows = await db.selectFrom('submission_versions').selectAll().where('submission_id', '=', submissionId).orderBy('version').execute();
  return rows.map(toVersion);
}
