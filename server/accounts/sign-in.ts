import { findAccountByIdNumber } from '../db/accounts-store.ts';
import type { Account } from './account.ts';
import type { Storage } from '../db/database.ts';
import { verifyAgainstDummy, verifyPassword } from './password-hash.ts';


/** The account when the ID number and password match, else undefined (whichever was wrong). */
export async function authenticate(storage: Storage, idNumber: string, password: string): Promise<Account | undefined> {
  const account = await findAccountByIdNumber(storage.db, idNumber);
  // An unknown ID costs a hash check as a known one does: timing does not tell which ID numbers have accounts.
  if (!account) {
    await verifyAgainstDummy(password);
    return undefined;
  }
  return (await verifyPassword(password, account.passwordHash)) ? account : undefined;
}
