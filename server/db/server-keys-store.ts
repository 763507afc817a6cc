import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

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

async function findSigningKey(db: Kysely<Database>, algorithm: string): Promise<StoredSigningKey | undefined> {
  const row = await db
    .selectFrom('server_keys')
    .selectAll()
    .where('algorithm', '=', algorithm)
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      algorithm: row.algorithm,
      privatePkcs8: row.private_pkcs8,
      publicRaw: row.public_raw,
      createdAt: row.created_at,
    }
  );
}

/**
 * The stored key for `algorithm`, made with `makeKey` and stored first if there is none. Several
 * instances starting together on a fresh database each offer their own key, but the unique
 * constraint on `algorithm` lets only the first insert land (ON CONFLICT DO NOTHING); all then read
 * that one back, so every receipt is signed with the same key.
 */
export async function ensureSigningKey(
  db: Kysely<Database>,
  algorithm: string,
  makeKey: () => NewSigningKey,
  now: Date = new Date(),
): Promise<StoredSigningKey> {
  const existing = await findSigningKey(db, algorithm);
  if (existing) return existing;
  const key = makeKey();
  if (key.algorithm !== algorithm) throw new Error(`ensureSigningKey: made a ${key.algorithm} key, wanted ${algorithm}`);
  await db
    .insertInto('server_keys')
    .values({
      id: key.id,
      algorithm: key.algorithm,
      private_pkcs8: key.privatePkcs8,
      public_raw: key.publicRaw,
      created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const stored = await findSigningKey(db, algorithm);
  if (!stored) throw new Error('signing key vanished between insert and read');
  return stored;
}
