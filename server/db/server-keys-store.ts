import type { Kysely } from 'kysely';
import type { Database, ServerKeysTable } from './schema.ts';

/** A signing key the server made and keeps in the database; the encodings are those of the columns. */
export interface StoredSigningKey {
  id: string;
  algorithm: string;
  /** PKCS#8 DER, base64. */
  privatePkcs8: string;
  /** Raw public key, base64url. */
  publicRaw: string;
  createdAt: string;
}

export type NewSigningKey = Omit<StoredSigningKey, 'createdAt'>;

/** Any key ever used to sign receipts here, as published: no private part. */
export interface PublishedSigningKey {
  id: string;
  algorithm: string;
  publicRaw: string;
  createdAt: string;
  /** The database's signing key for its algorithm (a configured key, if any, signs instead). */
  active: boolean;
  retiredAt: string | null;
  /** Recorded from RECEIPT_SIGNING_KEY: the private part is not kept here. */
  configured: boolean;
}

function storedOf(row: Pick<ServerKeysTable, 'id' | 'algorithm' | 'private_pkcs8' | 'public_raw' | 'created_at'>): StoredSigningKey {
  if (row.private_pkcs8 === null) throw new Error(`signing key ${row.id} has no private part`);
  return { id: row.id, algorithm: row.algorithm, privatePkcs8: row.private_pkcs8, publicRaw: row.public_raw, createdAt: row.created_at };
}

/** The key that signs for `algorithm` now, if there is one. */
export async function findActiveSigningKey(db: Kysely<Database>, algorithm: string): Promise<StoredSigningKey | undefined> {
  const row = await db.selectFrom('server_keys').selectAll().where('active_for', '=', algorithm).executeTakeFirst();
  return row && storedOf(row);
}

/** Only the id of the signing key: what running instances poll to notice a rotation. */
export async function activeSigningKeyId(db: Kysely<Database>, algorithm: string): Promise<string | undefined> {
  const row = await db.selectFrom('server_keys').select('id').where('active_for', '=', algorithm).executeTakeFirst();
  return row?.id;
}

function rowOf(key: NewSigningKey, now: Date, active: boolean) {
  return {
    id: key.id,
    algorithm: key.algorithm,
    private_pkcs8: key.privatePkcs8,
    public_raw: key.publicRaw,
    created_at: now.toISOString(),
    active_for: active ? key.algorithm : null,
    retired_at: null,
  };
}

/**
 * The signing key for `algorithm`, made with `makeKey` and stored first if there is none. Several
 * instances starting together on a fresh database each offer their own key, but the unique
 * constraint on `active_for` lets only the first insert land (ON CONFLICT DO NOTHING); all then read
 * that one back, so every receipt is signed with the same key.
 */
export async function ensureSigningKey(
  db: Kysely<Database>,
  algorithm: string,
  makeKey: () => NewSigningKey,
  now: Date = new Date(),
): Promise<StoredSigningKey> {
  const existing = await findActiveSigningKey(db, algorithm);
  if (existing) return existing;
  const key = makeKey();
  if (key.algorithm !== algorithm) throw new Error(`ensureSigningKey: made a ${key.algorithm} key, wanted ${algorithm}`);
  await db
    .insertInto('server_keys')
    .values(rowOf(key, now, true))
    .onConflict((oc) => oc.doNothing())
    .execute();
  const stored = await findActiveSigningKey(db, algorithm);
  if (!stored) throw new Error('signing key vanished between insert and read');
  return stored;
}

/**
 * Makes `key` the signing key for its algorithm and retires the one before, in one transaction; the
 * retired key stays (its public half is still published). A rotation racing another fails on the
 * unique constraint rather than leaving two signing keys.
 */
export async function rotateSigningKey(db: Kysely<Database>, key: NewSigningKey, now: Date = new Date()): Promise<StoredSigningKey> {
  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable('server_keys')
      .set({ active_for: null, retired_at: now.toISOString() })
      .where('active_for', '=', key.algorithm)
      .execute();
    await trx.insertInto('server_keys').values(rowOf(key, now, true)).execute();
    const stored = await findActiveSigningKey(trx, key.algorithm);
    if (stored?.id !== key.id) throw new Error('rotated key not found');
    return stored;
  });
}

/**
 * Records a configured key's public half (never its private part), so that receipts it signed stay
 * checkable after the configuration names another key. Recording it again changes nothing.
 */
export async function recordConfiguredKey(
  db: Kysely<Database>,
  key: { id: string; algorithm: string; publicRaw: string },
  now: Date = new Date(),
): Promise<void> {
  await db
    .insertInto('server_keys')
    .values({
      id: key.id,
      algorithm: key.algorithm,
      private_pkcs8: null,
      public_raw: key.publicRaw,
      created_at: now.toISOString(),
      active_for: null,
      retired_at: null,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** Every key kept, oldest first. */
export async function listSigningKeys(db: Kysely<Database>): Promise<PublishedSigningKey[]> {
  const rows = await db
    .selectFrom('server_keys')
    .select(['id', 'algorithm', 'public_raw', 'created_at', 'active_for', 'retired_at', 'private_pkcs8'])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    algorithm: row.algorithm,
    publicRaw: row.public_raw,
    createdAt: row.created_at,
    active: row.active_for !== null,
    retiredAt: row.retired_at,
    configured: row.private_pkcs8 === null,
  }));
}
