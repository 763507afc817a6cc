/**
 * The reads and writes of 我的信息 and 注销账号 over tables other modules fill: the person's face checks,
 * and what closing an account removes. Kept here, beside their one use, rather than spread over stores.
 */
import type { Kysely } from 'kysely';
import type { FaceVerificationResult } from '../face-verification/face-verification-record.ts';
import type { Database } from '../db/schema.ts';

export interface FaceCheckRecord {
  result: FaceVerificationResult;
  at: string;
}

/** The account's face checks, newest first: the verdict and its time only (no provider reference). */
export async function faceChecksOf(db: Kysely<Database>, accountId: string): Promise<FaceCheckRecord[]> {
  const rows = await db
    .selectFrom('face_verifications')
    .select(['result', 'verified_at'])
    .where('account_id', '=', accountId)
    .orderBy('verified_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ result: row.result, at: row.verified_at }));
}

/**
 * Closes the account in the caller's transaction: every session ends; the row keeps no password hash,
 * mobile or name and no longer carries the ID number (so nobody signs in or recovers it by that
 * number, and the person may register afresh); drafts and unfinished 忘记密码 go, and so do attachments no kept application
 * names. `keptAttachments` are the ids the stored application versions refer to.
 */
export async function closeAccountRecords(
  trx: Kysely<Database>,
  input: { accountId: string; keptAttachments: ReadonlySet<string>; at: Date },
): Promise<void> {
  const { accountId } = input;
  await trx.deleteFrom('sessions').where('account_id', '=', accountId).execute();
  // A 忘记密码 begun before closing must not bring the account back.
  await trx.deleteFrom('password_resets').where('account_id', '=', accountId).execute();
  await trx.deleteFrom('drafts').where('account_id', '=', accountId).execute();
  let attachments = trx.deleteFrom('attachments').where('account_id', '=', accountId);
  if (input.keptAttachments.size > 0) attachments = attachments.where('source_sha256', 'not in', [...input.keptAttachments]);
  await attachments.execute();
  await trx
    .updateTable('accounts')
    .set({ password_hash: '', mobile: '', name: '', id_number: `closed:${accountId}` })
    .where('id', '=', accountId)
    .execute();
  await trx.insertInto('closed_accounts').values({ account_id: accountId, closed_at: input.at.toISOString() }).execute();
}
