import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { sha256Hex } from '../crypto/sha256.ts';
import type { Database } from './schema.ts';
import { translatingDuplicates } from './storage-errors.ts';

/**
 * Machine clients' bearer tokens. Only the SHA-256 of a token is kept: the token carries 256 random
 * bits, so a plain hash is enough and reading the table does not let anyone call the API.
 */

export interface ApiToken {
  id: string;
  name: string;
  createdAt: string;
  revokedAt?: string;
  lastUsedAt?: string;
}

type Row = { id: string; name: string; created_at: string; revoked_at: string | null; last_used_at: string | null };

function toApiToken(row: Row): ApiToken {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    ...(row.revoked_at === null ? {} : { revokedAt: row.revoked_at }),
    ...(row.last_used_at === null ? {} : { lastUsedAt: row.last_used_at }),
  };
}

/** A name already taken (revoked ones included) throws DuplicateError. */
export async function createApiToken(db: Kysely<Database>, input: { name: string; token: string; now?: Date }): Promise<ApiToken> {
  const row = {
    id: randomUUID(),
    name: input.name,
    token_sha256: sha256Hex(input.token),
    created_at: (input.now ?? new Date()).toISOString(),
    revoked_at: null,
    last_used_at: null,
  };
  await translatingDuplicates(() => db.insertInto('api_tokens').values(row).execute());
  return toApiToken(row);
}

/** The unrevoked token, its last use set to `now`; undefined when unknown or revoked. */
export async function useApiToken(db: Kysely<Database>, token: string, now: Date = new Date()): Promise<ApiToken | undefined> {
  const row = await db
    .updateTable('api_tokens')
    .set({ last_used_at: now.toISOString() })
    .where('token_sha256', '=', sha256Hex(token))
    .where('revoked_at', 'is', null)
    .returning(['id', 'name', 'created_at', 'revoked_at', 'last_used_at'])
    .executeTakeFirst();
  return row && toApiToken(row);
}

/** False when no unrevoked token has that name. */
export async function revokeApiToken(db: Kysely<Database>, name: string, now: Date = new Date()): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: now.toISOString() })
    .where('name', '=', name)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function listApiTokens(db: Kysely<Database>): Promise<ApiToken[]> {
  const rows = await db.selectFrom('api_tokens').select(['id', 'name', 'created_at', 'revoked_at', 'last_used_at']).orderBy('name').execute();
  return rows.map(toApiToken);
}
