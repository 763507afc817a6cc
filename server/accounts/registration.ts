import { createAccount, findAccountByIdNumber } from '../db/accounts-store.ts';
import type { Account } from './account.ts';
import type { Storage } from '../db/database.ts';
import { DuplicateError } from '../db/storage-errors.ts';
import { hashPassword } from './password-hash.ts';

export interface Registration {
  name: string;
  idNumber: string;
  mobile: string;
  password: string;
}

export type RegistrationResult = { ok: true; account: Account } | { ok: false; reason: 'duplicate' };

/** Creates the account; one ID number gets one account. */
export async function registerAccount(storage: Storage, input: Registration): Promise<RegistrationResult> {
  // Checked first only to spare a costly hash; the unique constraint below is what decides.
  if (await findAccountByIdNumber(storage.db, input.idNumber)) return { ok: false, reason: 'duplicate' };
  const passwordHash = await hashPassword(input.password);
  try {
    const account = await createAccount(storage.db, {
      name: input.name,
      idNumber: input.idNumber,
      mobile: input.mobile,
      passwordHash,
    });
    return { ok: true, account };
  } catch (err) {
    if (err instanceof DuplicateError) return { ok: false, reason: 'duplicate' };
    throw err;
  }
}
