import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { StaffAccount, StaffRole } from '../staff/staff-account.ts';
import type { Database, StaffAccountsTable } from './schema.ts';
import { translatingDuplicates } from './storage-errors.ts';

export interface NewStaffAccount {
  username: string;
  role: StaffRole;
  /** Required for employers, absent otherwise (a check constraint holds the table to it). */
  uscc?: string;
  /** Already hashed by the caller; the store never sees a password. */
  passwordHash: string;
  totpSecret: string;
  now?: Date;
}

function toStaffAccount(row: Selectable<StaffAccountsTable>): StaffAccount {
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    ...(row.uscc === null ? {} : { uscc: row.uscc }),
    passwordHash: row.password_hash,
    passwordTemporary: Number(row.password_temporary) === 1,
    totpSecret: row.totp_secret,
    ...(row.totp_last_step === null ? {} : { totpLastStep: Number(row.totp_last_step) }),
    failedAttempts: Number(row.failed_attempts),
    ...(row.locked_until === null ? {} : { lockedUntil: row.locked_until }),
    ...(row.disabled_at === null ? {} : { disabledAt: row.disabled_at }),
    createdAt: row.created_at,
  };
}

/** Creates an account with a one-time password. A username already taken throws DuplicateError. */
export async function createStaffAccount(db: Kysely<Database>, input: NewStaffAccount): Promise<StaffAccount> {
  const row = {
    id: randomUUID(),
    username: input.username,
    role: input.role,
    uscc: input.uscc ?? null,
    password_hash: input.passwordHash,
    password_temporary: 1,
    totp_secret: input.totpSecret,
    totp_last_step: null,
    failed_attempts: 0,
    locked_until: null,
    disabled_at: null,
    created_at: (input.now ?? new Date()).toISOString(),
  };
  await translatingDuplicates(() => db.insertInto('staff_accounts').values(row).execute());
  return toStaffAccount(row);
}

export async function findStaffByUsername(db: Kysely<Database>, username: string): Promise<StaffAccount | undefined> {
  const row = await db.selectFrom('staff_accounts').selectAll().where('username', '=', username).executeTakeFirst();
  return row && toStaffAccount(row);
}

export async function findStaffById(db: Kysely<Database>, id: string): Promise<StaffAccount | undefined> {
  const row = await db.selectFrom('staff_accounts').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toStaffAccount(row);
}

export async function listStaffAccounts(db: Kysely<Database>): Promise<StaffAccount[]> {
  const rows = await db.selectFrom('staff_accounts').selectAll().orderBy('username').execute();
  return rows.map(toStaffAccount);
}

/**
 * Counts one failure in a row, in one statement (so concurrent failures all count), and locks the
 * account until `lockUntil` when this failure reaches `lockAfter`. Returns the account after it.
 */
export async function recordStaffFailure(
  db: Kysely<Database>,
  id: string,
  input: { lockAfter: number; lockUntil: Date },
): Promise<StaffAccount | undefined> {
  const row = await db
    .updateTable('staff_accounts')
    .set((eb) => ({
      failed_attempts: eb('failed_attempts', '+', eb.lit(1)),
      locked_until: eb
        .case()
        .when(eb('failed_attempts', '+', eb.lit(1)), '>=', input.lockAfter)
        .then(input.lockUntil.toISOString())
        .else(eb.ref('locked_until'))
        .end(),
    }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row && toStaffAccount(row);
}

/**
 * A lock that has run out starts a fresh count of failures. Only clears a lock that ended before `now`,
 * so a failure committed meanwhile is not lost.
 */
export async function clearExpiredStaffLock(db: Kysely<Database>, id: string, now: Date): Promise<void> {
  await db
    .updateTable('staff_accounts')
    .set({ failed_attempts: 0, locked_until: null })
    .where('id', '=', id)
    .where('locked_until', '<=', now.toISOString())
    .execute();
}

/**
 * Takes the TOTP step for a sign-in and clears the failure count, only when the step is newer than the
 * last one stored: of two requests with the same code, one wins. False when the step was taken already.
 */
export async function acceptStaffSignIn(db: Kysely<Database>, id: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('staff_accounts')
    .set({ totp_last_step: step, failed_attempts: 0, locked_until: null })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function setStaffPassword(db: Kysely<Database>, id: string, passwordHash: string, temporary: boolean): Promise<void> {
  await db
    .updateTable('staff_accounts')
    .set({ password_hash: passwordHash, password_temporary: temporary ? 1 : 0 })
    .where('id', '=', id)
    .execute();
}

/** Disables the account; false when there is none of that name. Its sessions stop working at once. */
export async function disableStaffAccount(db: Kysely<Database>, username: string, now: Date = new Date()): Promise<boolean> {
  const result = await db
    .updateTable('staff_accounts')
    .set({ disabled_at: now.toISOString() })
    .where('username', '=', username)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 1) return true;
  return (await findStaffByUsername(db, username)) !== undefined;
}

/** A new TOTP secret; the old authenticator entry stops working. False when there is no such account. */
export async function resetStaffTotp(db: Kysely<Database>, username: string, totpSecret: string): Promise<boolean> {
  const result = await db
    .updateTable('staff_accounts')
    .set({ totp_secret: totpSecret, totp_last_step: null })
    .where('username', '=', username)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
