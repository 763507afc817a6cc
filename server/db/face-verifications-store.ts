import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { FaceVerification, FaceVerificationResult } from '../face-verification/face-verification-record.ts';
import type { Database, FaceVerificationsTable } from './schema.ts';

function toFaceVerification(row: Selectable<FaceVerificationsTable>): FaceVerification {
  return {
    id: row.id,
    accountId: row.account_id,
    result: row.result,
    provider: row.provider,
    reference: row.reference,
    verifiedAt: row.verified_at,
  };
}

export async function recordFaceVerification(
  db: Kysely<Database>,
  input: { accountId: string; result: FaceVerificationResult; provider: string; reference: string; now?: Date },
): Promise<FaceVerification> {
  const row = {
    id: randomUUID(),
    account_id: input.accountId,
    result: input.result,
    provider: input.provider,
    reference: input.reference,
    verified_at: (input.now ?? new Date()).toISOString(),
  };
  await db.insertInto('face_verifications').values(row).execute();
  return toFaceVerification(row);
}

/** The newest passed check of the account at or after `since`, if any. */
export async function latestPassedVerification(
  db: Kysely<Database>,
  accountId: string,
  since: Date,
): Promise<FaceVerification | undefined> {
  const row = await db
    .selectFrom('face_verifications')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('result', '=', 'pass')
    .where('verified_at', '>=', since.toISOString())
    .orderBy('verified_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && toFaceVerification(row);
}
