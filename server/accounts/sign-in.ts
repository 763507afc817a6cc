import { findAccountByIdNumber } from '../db/accounts-store.ts';
import type { Account } from './account.ts';
import type { Storage } from '../db/database.ts';
import { hashPassword, verifyPassword } from './password-hash.ts';

// Made once per process on first use: an unknown ID is checked against it, so answering takes as long
// as for a known ID with a wrong password and timing does not tell which ID numbers have accounts.
let dummyHash: Promise<string> | undefined;

/** Computes the dummy hash ahead of the first sign-in, so even that one takes no longer than the rest. */
export function prepareSignIn(): void {
  dummyHash ??= hashPassword('not-a-password-0');
}

/** The account when the ID number and password match, else undefined (whichever was wrong). */
export async function authenticate(storage: Storage, idNumber: string, password: string): Promise<Account | undefined> {
  const account = await findAccountByIdNumber(storage.db, idNumber);
  if (!account) {
    prepareSignIn();
    await verifyPassword(password, await dummyHash!);
    return undefined;
  }
  return (await verifyPassword(password, account.passwordHash)) ? account : undefined;
}
