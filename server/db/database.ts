import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { errorFields, logger } from '../observability/logger.ts';
import { migrateToLatest } from './migrate.ts';
import { SharedFileSqliteDialect } from './sqlite-dialect.ts';
import type { Database } from './schema.ts';

export type DialectName = 'sqlite' | 'postgres';

/**
 * An open, migrated database. `db` is what every store function takes. Open one per process: with
 * SQLite a second handle on the same file in the same process could wait on itself for a lock.
 */
export interface Storage {
  db: Kysely<Database>;
  dialect: DialectName;
  /** Closes the connection (SQLite) or ends the pool (PostgreSQL); calling it again does nothing. */
  close(): Promise<void>;
  /** The pool's connections now (the metrics); SQLite has its one. */
  connections?(): ConnectionUse;
}

export interface ConnectionUse {
  total: number;
  /** Open but unused; unknown for SQLite. */
  idle?: number;
  /** Queries waiting for a connection; unknown for SQLite. */
  waiting?: number;
}

const poolOf = new WeakMap<Kysely<Database>, pg.Pool>();

export interface DatabaseConfig {
  /** Where the embedded SQLite file lives (`app.sqlite`); created if missing. Unused with PostgreSQL. */
  dataDir: string;
  /** `postgres://…`: use PostgreSQL instead of SQLite. */
  databaseUrl?: string | undefined;
}

export const SQLITE_FILE_NAME = 'app.sqlite';

function openSqlite(dataDir: string): Kysely<Database> {
  const dir = resolve(dataDir);
  // The file holds ID numbers and photos: readable by the server's user only.
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = new SqliteDatabase(join(dir, SQLITE_FILE_NAME));
  // A write the server has confirmed must survive power loss: WAL with synchronous=FULL syncs the
  // log on every commit. busy_timeout lets a second process (a CLI, a backup) wait instead of failing.
  file.pragma('journal_mode = WAL');
  file.pragma('synchronous = FULL');
  file.pragma('foreign_keys = ON');
  file.pragma('busy_timeout = 5000');
  return new Kysely<Database>({ dialect: new SharedFileSqliteDialect({ database: file }) });
}

function openPostgres(databaseUrl: string): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: databaseUrl });
  // An idle client losing its connection (server restart, failover) must not crash the process;
  // the pool replaces it on the next query.
  pool.on('error', (err) => logger.error(errorFields(err), 'PostgreSQL 空闲连接中断'));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  poolOf.set(db, pool);
  return db;
}

/**
 * Opens SQLite in `dataDir` by default, or PostgreSQL when `databaseUrl` is set, and brings the
 * schema up to date before returning. On failure nothing stays open.
 */
export async function openDatabase(config: DatabaseConfig): Promise<Storage> {
  const dialect: DialectName = config.databaseUrl ? 'postgres' : 'sqlite';
  const db = config.databaseUrl ? openPostgres(config.databaseUrl) : openSqlite(config.dataDir);
  try {
    await migrateToLatest(db);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  let closing: Promise<void> | undefined;
  return {
    db,
    dialect,
    close() {
      closing ??= db.destroy();
      return closing;
    },
    connections() {
      const pool = poolOf.get(db);
      return pool ? { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } : { total: 1 };
    },
  };
}

export type DurabilitySettings =
  | { dialect: 'sqlite'; journalMode: string; synchronous: number; foreignKeys: boolean; busyTimeoutMs: number }
  | { dialect: 'postgres'; fsync: string; synchronousCommit: string };

/** What the database will do on commit, as it reports it itself (for tests and the health check). */
export async function readDurabilitySettings(storage: Storage): Promise<DurabilitySettings> {
  if (storage.dialect === 'sqlite') {
    const pragma = async (name: string) => {
      // PRAGMA names cannot be bound parameters; `name` is always one of the literals below.
      const { rows } = await sql<Record<string, unknown>>`pragma ${sql.raw(name)}`.execute(storage.db);
      const row = rows[0];
      return row ? Object.values(row)[0] : undefined;
    };
    return {
      dialect: 'sqlite',
      journalMode: String(await pragma('journal_mode')),
      synchronous: Number(await pragma('synchronous')),
      foreignKeys: Number(await pragma('foreign_keys')) === 1,
      busyTimeoutMs: Number(await pragma('busy_timeout')),
    };
  }
  const { rows } = await sql<{ fsync: string; synchronous_commit: string }>`
    select current_setting('fsync') as fsync, current_setting('synchronous_commit') as synchronous_commit
  `.execute(storage.db);
  const row = rows[0];
  return { dialect: 'postgres', fsync: row?.fsync ?? '', synchronousCommit: row?.synchronous_commit ?? '' };
}
