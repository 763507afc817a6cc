import {
  CompiledQuery,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  SqliteAdapter,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
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
 */

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

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateTransactionSqliteDriver(this.#config);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}
