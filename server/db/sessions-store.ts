import type { Kysely } from 'kysely';
import type { Account } from '../accounts/account.ts';
import { sha256Hex } from '../crypto/sha256.ts';
import { toAccount } from './accounts-store.ts';
import type { Database } from './schema.ts';
import { translatingDuplicates } from './storage-errors.ts';

/**
 * Sessions are looked up by the SHA-256 of their token. The token itself (the cookie value) is never
 * stored, so reading the table does not let anyone sign in. The token should carry ≥ 128 random bits,
 * which is why a plain hash, without salt or stretching, is enough.
 */

export interface Session {
  accountId: string;
  createdAt: string;
  expiresAt: string;
}

const tokenHash = sha256Hex;

export async function createSession(
  db: Kysely<Database>,
  input: { token: string; accountId: string; expiresAt: Date; now?: Date },
): Promise<Session> {
  const row = {
    id: tokenHash(input.token),
    account_id: input.accountId,
    created_at: (input.now ?? new Date()).toISOString(),
    expires_at: input.expiresAt.toISOString(),
  };
  await translatingDuplicates(() => db.insertInto('sessions').values(row).execute());
  return { accountId: row.account_id, createdAt: row.created_at, expiresAt: row.expires_at };
}

/**
 * The account signed in with a token, in one query (every signed-in request asks), unless the
 * session is unknown or has expired by `now`.
 */
export async function findAccountBySessionToken(
  db: Kysely<Database>,
  token: string,
  now: Date = new Date(),
): Promise<Account | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
    .selectAll('accounts')
    .where('sessions.id', '=', tokenHash(token))
    .where('sessions.expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return row && toAccount(row);
}

export async function deleteSession(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', tokenHash(token)).execute();
}

/** Housekeeping; returns how many were removed. */
export async function deleteExpiredSessions(db: Kysely<Database>, now: Date = new Date()): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', now.toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows);
}
