import {
  CompiledQuery,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  SqliteAdapter,
  type SqliteDatabase,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
  type SqliteStatement,
} from 'kysely';

/**
 * Kysely's SQLite dialect with two changes, both about several processes sharing one file
 * (two servers started at once, a CLI next to the server):
 *
 * - Transactions start with BEGIN IMMEDIATE, taking the write lock up front. A plain (deferred) BEGIN
 *   that reads and then writes fails at once with SQLITE_BUSY if another process wrote in between;
 *   IMMEDIATE instead waits out busy_timeout. Within one process nothing changes: Kysely already
 *   runs everything on one connection, one transaction at a time.
 * - The adapter says DDL is transactional (it is in SQLite; Kysely plays safe and says no), so the
 *   Migrator applies pending migrations all or nothing, as on PostgreSQL. A later table rebuild that
 *   must relax foreign keys uses `PRAGMA defer_foreign_keys = ON`, which works inside a transaction.
 *
 * It also keeps prepared statements by their SQL (see withStatementCache).
 */

/** How many distinct statements are kept; the app's queries come in a few hundred shapes at most. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew, and preparing costs about as much as running a small one; the app
 * sends the same shapes over and over, so each is prepared once and reused (least recently used
 * dropped first). better-sqlite3 runs one statement at a time and re-prepares one whose tables
 * changed, so reuse is safe; nothing here streams rows, which would hold a statement busy.
 */
export function withStatementCache(file: SqliteDatabase, size = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close() {
      statements.clear();
      file.close();
    },
    prepare(query) {
      const kept = statements.get(query);
      if (kept) {
        // Moved to the end: the Map's order is the order of last use.
        statements.delete(query);
        statements.set(query, kept);
        return kept;
      }
      const statement = file.prepare(query);
      statements.set(query, statement);
      if (statements.size > size) statements.delete(statements.keys().next().value as string);
      return statement;
    },
  };
}

class ImmediateTransactionSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

export class SharedFileSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig & { database: SqliteDatabase }) {
    const shared = { ...config, database: withStatementCache(config.database) };
    super(shared);
    this.#config = shared;
  }

  override createDriver(): Driver {
    return new ImmediateTransactionSqliteDriver(this.#config);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}
