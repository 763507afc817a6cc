import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Account } from '../accounts/account.ts';
import type { AccountsTable, Database } from './schema.ts';
import { translatingDuplicates } from './storage-errors.ts';

export interface NewAccount {
  /** Made on the device when present, so a retried registration is recognisable. */
  id?: string;
  name: string;
  idNumber: string;
  mobile: string;
  /** Already hashed by the caller; the store never sees a password. */
  passwordHash: string;
  now?: Date;
}

/** A row of `accounts` as the app's Account (also read by sessions-store's join). */
export function toAccount(row: Selectable<AccountsTable>): Account {
  return {
    id: row.id,
    name: row.name,
    idNumber: row.id_number,
    mobile: row.mobile,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
  };
}

/** The check character may be typed as `x`; one person must not get two accounts by its case. */
function canonicalIdNumber(idNumber: string): string {
  return idNumber.trim().toUpperCase();
}

/** Creates an account. An ID number (or id) already taken throws DuplicateError and writes nothing. */
export async function createAccount(db: Kysely<Database>, input: NewAccount): Promise<Account> {
  const row = {
    id: input.id ?? randomUUID(),
    name: input.name,
    id_number: canonicalIdNumber(input.idNumber),
    mobile: input.mobile,
    password_hash: input.passwordHash,
    created_at: (input.now ?? new Date()).toISOString(),
  };
  await translatingDuplicates(() => db.insertInto('accounts').values(row).execute());
  return toAccount(row);
}

export async function findAccountByIdNumber(db: Kysely<Database>, idNumber: string): Promise<Account | undefined> {
  const row = await db
    .selectFrom('accounts')
    .selectAll()
    .where('id_number', '=', canonicalIdNumber(idNumber))
    .executeTakeFirst();
  return row && toAccount(row);
}

export async function findAccountById(db: Kysely<Database>, id: string): Promise<Account | undefined> {
  const row = await db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toAccount(row);
}
