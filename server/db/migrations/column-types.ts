import { type Kysely, PostgresAdapter } from 'kysely';

/** The one type the two dialects spell differently. */
export function binaryColumnType(db: Kysely<unknown>): 'bytea' | 'blob' {
  // getExecutor() is marked internal in Kysely's typings but is the only handle on the dialect
  // from inside a migration, which receives nothing else.
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob';
}
