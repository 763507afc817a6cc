import type { AccountView } from '../../shared/account.ts';
import { birthDateFromId, sexFromId } from '../../shared/resident-id.ts';
import type { Account } from './account.ts';
import type { Storage } from '../db/database.ts';
import { latestPassedVerification } from '../db/face-verifications-store.ts';

export type { AccountView };

/** A passed face check counts for this long; after that the person verifies again. */
export const FACE_VERIFICATION_VALID_MS = 24 * 60 * 60 * 1000;

export async function toAccountView(storage: Storage, account: Account, now: Date = new Date()): Promise<AccountView> {
  const since = new Date(now.getTime() - FACE_VERIFICATION_VALID_MS);
  const passed = await latestPassedVerification(storage.db, account.id, since);
  const birthDate = birthDateFromId(account.idNumber);
  const sex = sexFromId(account.idNumber);
  // Accounts are only created with a validated ID; a row without one is corrupt, not a person's mistake.
  if (birthDate === undefined || sex === undefined) throw new Error(`account ${account.id} has a malformed ID number`);
  return {
    id: account.id,
    name: account.name,
    idNumber: account.idNumber,
    mobile: account.mobile,
    birthDate,
    sex,
    faceVerified: passed !== undefined,
  };
}
