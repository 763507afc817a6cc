import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Key rotation: several receipt keys per algorithm, every one kept so its public half stays
  // published; one signs. The old unique constraint on `algorithm` moves to `active_for` (the
  // algorithm while the key signs, null once retired): NULLs never clash, so retired keys pile up,
  // while instances starting together on a fresh database still keep exactly one signing key.
  // `private_pkcs8` becomes nullable for a configured key (RECEIPT_SIGNING_KEY), of which only the
  // public half is recorded. SQLite cannot drop a constraint, so the table is rebuilt: create,
  // copy, drop, rename (nothing references it).
  await db.schema
    .createTable('server_keys_0011')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('algorithm', 'text', (c) => c.notNull())
    .addColumn('private_pkcs8', 'text')
    .addColumn('public_raw', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('active_for', 'text')
    .addColumn('retired_at', 'text')
    .addUniqueConstraint('server_keys_active_for_unique', ['active_for'])
    .execute();
  await sql`insert into server_keys_0011 (id, algorithm, private_pkcs8, public_raw, created_at, active_for)
    select id, algorithm, private_pkcs8, public_raw, created_at, algorithm from server_keys`.execute(db);
  await db.schema.dropTable('server_keys').execute();
  await db.schema.alterTable('server_keys_0011').renameTo('server_keys').execute();
}
