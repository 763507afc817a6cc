/**
 * 忘记密码: 姓名 + 身份证号码 → 人脸识别 → 设置新密码. Until the face check has passed, every answer is
 * the same whether the ID number has an account or not: an unknown one gets a reset id as well and
 * then fails the face check as a wrong face does.
 */
import { randomBytes } from 'node:crypto';
import { recordAudit } from '../audit/audit.ts';
import { findAccountById, findAccountByIdNumber } from '../db/accounts-store.ts';
import { appendAudit } from '../db/audit-log-store.ts';
import type { Storage } from '../db/database.ts';
import type { FaceUpload } from '../face-verification/face-upload.ts';
import type { FaceVerification } from '../face-verification/face-verification-record.ts';
import { runFaceVerification } from '../face-verification/face-verification.ts';
import type { FaceVerifier } from '../face-verification/verifier.ts';
import type { Account } from './account.ts';
import { hashPassword } from './password-hash.ts';
import {
  countFaceFailure,
  findOpenPasswordReset,
  insertPasswordReset,
  markFacePassed,
  markUsed,
  replacePassword,
} from './password-reset-store.ts';
import { MINUTE_MS } from './rate-limit.ts';

/** From the first step to the new password. */
export const PASSWORD_RESET_VALID_MS = 15 * MINUTE_MS;
/** Failed face checks after which the reset is void and the person starts again. */
export const PASSWORD_RESET_FACE_ATTEMPTS = 5;

export interface Requester {
  address: string;
  now?: Date;
}

/** An attempt for an unknown ID is audited without anything that could name a person. */
function auditAnonymous(storage: Storage, action: string, now: Date) {
  return appendAudit(storage.db, { actor: 'anonymous', action, subject: 'password-reset', now });
}

function auditApplicant(storage: Storage, accountId: string, action: string, requester: Requester, now: Date) {
  return recordAudit(storage.db, {
    principal: { kind: 'applicant', accountId },
    action,
    subject: `account:${accountId}`,
    address: requester.address,
    at: now,
  });
}

/** Step 1: a reset id for anyone; it leads somewhere only when name and ID number match an account. */
export async function startPasswordReset(
  storage: Storage,
  input: { name: string; idNumber: string },
  requester: Requester,
): Promise<{ resetId: string; expiresAt: string }> {
  const now = requester.now ?? new Date();
  const account = await findAccountByIdNumber(storage.db, input.idNumber);
  const accountId = account !== undefined && account.name === input.name ? account.id : null;
  const resetId = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + PASSWORD_RESET_VALID_MS);
  await insertPasswordReset(storage.db, { resetId, accountId, now, expiresAt });
  if (accountId) await auditApplicant(storage, accountId, 'password-reset.request', requester, now);
  else await auditAnonymous(storage, 'password-reset.request', now);
  return { resetId, expiresAt: expiresAt.toISOString() };
}

export type ResetFaceOutcome =
  | { kind: 'passed'; verification: FaceVerification }
  | { kind: 'failed' }
  | { kind: 'not-found' }
  | { kind: 'unavailable' };

/** Step 2: the journey's face check, on the account the reset names. */
export async function verifyResetFace(
  storage: Storage,
  verifier: FaceVerifier,
  resetId: string,
  upload: FaceUpload,
  requester: Requester,
): Promise<ResetFaceOutcome> {
  const now = requester.now ?? new Date();
  const reset = await findOpenPasswordReset(storage.db, resetId, now, PASSWORD_RESET_FACE_ATTEMPTS);
  if (!reset) return { kind: 'not-found' };
  if (reset.accountId === null) {
    // No account, so no face to compare with: the image goes nowhere.
    await countFaceFailure(storage.db, resetId);
    await auditAnonymous(storage, 'password-reset.face-fail', now);
    return { kind: 'failed' };
  }
  const outcome = await runFaceVerification(storage, verifier, reset.accountId, upload);
  if (outcome === 'unavailable') return { kind: 'unavailable' };
  if (outcome.result !== 'pass') {
    await countFaceFailure(storage.db, resetId);
    await auditApplicant(storage, reset.accountId, 'password-reset.face-fail', requester, now);
    return { kind: 'failed' };
  }
  await markFacePassed(storage.db, resetId, now);
  await auditApplicant(storage, reset.accountId, 'password-reset.face-pass', requester, now);
  return { kind: 'passed', verification: outcome };
}

export type ResetPasswordOutcome = { kind: 'done'; account: Account } | { kind: 'face-required' } | { kind: 'not-found' };

/** Step 3: the new password, once; every session of the account ends with it. */
export async function completePasswordReset(
  storage: Storage,
  resetId: string,
  password: string,
  requester: Requester,
): Promise<ResetPasswordOutcome> {
  const now = requester.now ?? new Date();
  const reset = await findOpenPasswordReset(storage.db, resetId, now, PASSWORD_RESET_FACE_ATTEMPTS);
  if (!reset) return { kind: 'not-found' };
  // An unknown ID never passes the face check, so it ends here like a known one that has not.
  if (!reset.facePassed || reset.accountId === null) return { kind: 'face-required' };
  const accountId = reset.accountId;
  const passwordHash = await hashPassword(password);
  const used = await storage.db.transaction().execute(async (trx) => {
    if (!(await markUsed(trx, resetId, now))) return false;
    await replacePassword(trx, accountId, passwordHash);
    await recordAudit(trx, {
      principal: { kind: 'applicant', accountId },
      action: 'password-reset.complete',
      subject: `account:${accountId}`,
      address: requester.address,
      at: now,
    });
    return true;
  });
  if (!used) return { kind: 'not-found' };
  const account = await findAccountById(storage.db, accountId);
  return account ? { kind: 'done', account } : { kind: 'not-found' };
}
