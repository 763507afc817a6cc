import type { Kysely } from 'kysely';
import { sha256Hex } from '../crypto/sha256.ts';
import type { Database } from '../db/schema.ts';

/**
 * 忘记密码 attempts, looked up by the SHA-256 of their reset id, as sessions are: reading the table
 * does not let anyone finish a reset.
 */

export interface PasswordReset {
  /** null when the name and ID number matched no account. */
  accountId: string | null;
  expiresAt: string;
  facePassed: boolean;
  faceFailures: number;
}

const idHash = sha256Hex;

export async function insertPasswordReset(
  db: Kysely<Database>,
  input: { resetId: string; accountId: string | null; now: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('password_resets')
    .values({
      id: idHash(input.resetId),
      account_id: input.accountId,
      created_at: input.now.toISOString(),
      expires_at: input.expiresAt.toISOString(),
      face_passed_at: null,
      used_at: null,
    })
    .execute();
}

/** The reset, unless it is unknown, used, expired by `now`, or out of face attempts. */
export async function findOpenPasswordReset(
  db: Kysely<Database>,
  resetId: string,
  now: Date,
  maxFaceFailures: number,
): Promise<PasswordReset | undefined> {
  const row = await db
    .selectFrom('password_resets')
    .select(['account_id', 'expires_at', 'face_passed_at', 'face_failures'])
    .where('id', '=', idHash(resetId))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .where('face_failures', '<', maxFaceFailures)
    .executeTakeFirst();
  return (
    row && {
      accountId: row.account_id,
      expiresAt: row.expires_at,
      facePassed: row.face_passed_at !== null,
      faceFailures: row.face_failures,
    }
  );
}

export async function countFaceFailure(db: Kysely<Database>, resetId: string): Promise<void> {
  await db
    .updateTable('password_resets')
    .set((eb) => ({ face_failures: eb('face_failures', '+', 1) }))
    .where('id', '=', idHash(resetId))
    .execute();
}

export async function markFacePassed(db: Kysely<Database>, resetId: string, now: Date): Promise<void> {
  await db.updateTable('password_resets').set({ face_passed_at: now.toISOString() }).where('id', '=', idHash(resetId)).execute();
}

/** Claims the reset for its one use; false when another request used it first. */
export async function markUsed(db: Kysely<Database>, resetId: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('password_resets')
    .set({ used_at: now.toISOString() })
    .where('id', '=', idHash(resetId))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** A new password ends every session of the account: whoever knew the old one is signed out too. */
export async function replacePassword(db: Kysely<Database>, accountId: string, passwordHash: string): Promise<void> {
  await db.updateTable('accounts').set({ password_hash: passwordHash }).where('id', '=', accountId).execute();
  await db.deleteFrom('sessions').where('account_id', '=', accountId).execute();
}
