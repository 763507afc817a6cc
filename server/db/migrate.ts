import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import { migrations } from './migrations/index.ts';

/** Serves the migrations from memory: nothing to find on disk, so bundling and cwd do not matter. */
class InMemoryMigrationProvider implements MigrationProvider {
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(migrations);
  }
}

/**
 * Brings the schema up to date; a no-op when it already is. Safe when several server instances start
 * at once: Kysely's Migrator takes a lock (an advisory lock on PostgreSQL) and each migration runs in
 * a transaction, so a failed one leaves nothing half-applied.
 */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<void> {
  const migrator = new Migrator({ db, provider: new InMemoryMigrationProvider() });
  const { error, results } = await migrator.migrateToLatest();
  if (error === undefined) return;
  const failed = results?.find((result) => result.status === 'Error')?.migrationName;
  const reason = error instanceof Error ? error.message : String(error);
  throw new Error(failed ? `migration ${failed} failed: ${reason}` : `migrations failed: ${reason}`, { cause: error });
}

/** Names of the migrations this build knows that the database has not run yet (read-only). */
export async function pendingMigrations<DB>(db: Kysely<DB>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new InMemoryMigrationProvider() });
  return (await migrator.getMigrations()).filter((info) => info.executedAt === undefined).map((info) => info.name);
}
