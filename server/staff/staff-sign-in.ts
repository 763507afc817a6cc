/**
 * Staff sign-in as domain functions that return a tagged result; the routes map it to HTTP. A wrong
 * username, password or code, a replayed code and a disabled account all answer the same `failed`, so
 * the answer does not tell which was wrong; five failures in a row lock the account for 15 minutes.
 */
import { formatChinaTime } from '../../shared/china-time.ts';
import { hashPassword, verifyAgainstDummy, verifyPassword } from '../accounts/password-hash.ts';
import { recordAudit } from '../audit/audit.ts';
import { appendAudit } from '../db/audit-log-store.ts';
import type { Storage } from '../db/database.ts';
import {
  acceptStaffSignIn,
  clearExpiredStaffLock,
  findStaffByUsername,
  recordStaffFailure,
  setStaffPassword,
} from '../db/staff-accounts-store.ts';
import { deleteStaffSessionsOf } from '../db/staff-sessions-store.ts';
import type { StaffAccount } from './staff-account.ts';
import { principalOf } from './staff-auth.ts';
import { checkTotpCode } from './totp.ts';

export const LOCK_AFTER_FAILURES = 5;
export const LOCK_MS = 15 * 60 * 1000;

export const lockedMessage = (until: string) => `连续登录失败次数过多，账号已锁定，请于 ${formatChinaTime(until)} 后再试`;
export const SAME_PASSWORD_MESSAGE = '新密码不能与原密码相同';

export interface Credentials {
  username: string;
  password: string;
  code: string;
}

export type SignInResult =
  | { kind: 'signed-in'; account: StaffAccount }
  | { kind: 'failed' }
  | { kind: 'locked'; until: string }
  | { kind: 'password-change-required' };

export type PasswordChangeResult = SignInResult | { kind: 'same-password' };


type Checked = { kind: 'ok'; account: StaffAccount; step: number } | Exclude<SignInResult, { kind: 'signed-in' | 'password-change-required' }>;

/** Password and code against the account, counting a failure; does not yet take the code's step. */
async function checkCredentials(storage: Storage, input: Credentials, now: Date, address: string): Promise<Checked> {
  const found = await findStaffByUsername(storage.db, input.username);
  if (!found) {
    // Costs a hash check as a known name does: timing does not tell which usernames exist.
    await verifyAgainstDummy(input.password);
    // Who it was is unknown; the typed name is not kept (people type passwords into it by mistake).
    await appendAudit(storage.db, { actor: 'anonymous', action: 'staff.sign-in-failed', subject: 'staff', address, now });
    return { kind: 'failed' };
  }
  let account = found;
  if (account.lockedUntil !== undefined && Date.parse(account.lockedUntil) > now.getTime()) return { kind: 'locked', until: account.lockedUntil };
  if (account.lockedUntil !== undefined) await clearExpiredStaffLock(storage.db, account.id, now);
  const passwordOk = await verifyPassword(input.password, account.passwordHash);
  const totp = passwordOk ? checkTotpCode(account.totpSecret, input.code, account.totpLastStep, now) : undefined;
  if (totp?.ok && account.disabledAt === undefined) return { kind: 'ok', account, step: totp.step };

  await recordAudit(storage.db, { principal: principalOf(account), action: 'staff.sign-in-failed', address, at: now });
  account = (await recordStaffFailure(storage.db, account.id, { lockAfter: LOCK_AFTER_FAILURES, lockUntil: new Date(now.getTime() + LOCK_MS) })) ?? account;
  if (account.lockedUntil !== undefined && Date.parse(account.lockedUntil) > now.getTime()) return { kind: 'locked', until: account.lockedUntil };
  return { kind: 'failed' };
}

/**
 * Takes the code's step (one of two requests with the same code wins) and records the sign-in.
 * A lost race counts as a replayed code.
 */
async function accept(storage: Storage, account: StaffAccount, step: number, action: string, now: Date, address: string): Promise<SignInResult> {
  if (!(await acceptStaffSignIn(storage.db, account.id, step))) {
    await recordAudit(storage.db, { principal: principalOf(account), action: 'staff.sign-in-failed', address, at: now });
    return { kind: 'failed' };
  }
  await recordAudit(storage.db, { principal: principalOf(account), action, address, at: now });
  return { kind: 'signed-in', account };
}

/** POST /api/staff/session. A one-time password, even with a right code, does not sign in. */
export async function signInStaff(storage: Storage, input: Credentials, now: Date, address: string): Promise<SignInResult> {
  const checked = await checkCredentials(storage, input, now, address);
  if (checked.kind !== 'ok') return checked;
  // The code's step is not taken here: the person types the same code again with the new password.
  if (checked.account.passwordTemporary) return { kind: 'password-change-required' };
  return accept(storage, checked.account, checked.step, 'staff.sign-in', now, address);
}

/** POST /api/staff/password: sets a new password (the applicants' rule, checked by the schema) and signs in. */
export async function changeStaffPassword(
  storage: Storage,
  input: Credentials & { newPassword: string },
  now: Date,
  address: string,
): Promise<PasswordChangeResult> {
  if (input.newPassword === input.password) return { kind: 'same-password' };
  const checked = await checkCredentials(storage, input, now, address);
  if (checked.kind !== 'ok') return checked;
  const result = await accept(storage, checked.account, checked.step, 'staff.password-change', now, address);
  if (result.kind !== 'signed-in') return result;
  // Sessions started with the old password end; the caller starts the new one.
  await deleteStaffSessionsOf(storage.db, checked.account.id);
  await setStaffPassword(storage.db, checked.account.id, await hashPassword(input.newPassword), false);
  return { kind: 'signed-in', account: { ...checked.account, passwordTemporary: false } };
}
