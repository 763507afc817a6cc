/**
 * A fresh, migrated database for a test: SQLite in a temp dir by default; PostgreSQL when
 * TEST_DATABASE_URL is set (a database is created beside it and dropped afterwards), as in
 * server/db/storage.test.ts, so the same test checks both dialects.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type DatabaseConfig, openDatabase, type Storage } from '../../server/db/database.ts';

export interface TestDatabase {
  dialect: 'sqlite' | 'postgres';
  config: DatabaseConfig;
  storage: Storage;
  /** Another handle on the same database: a second server instance. */
  openAnother(): Promise<Storage>;
  cleanup(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** SQLite even when TEST_DATABASE_URL is set: for tests of HTTP behaviour, not of storage. */
  sqliteOnly?: boolean;
}

async function adminQuery(adminUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * Storage#close ends the pg pool without waiting for its connections to leave; dropping the database
 * WITH (FORCE) while they are leaving makes that pool report errors. So wait for them, a bounded while.
 */
async function untilDisconnected(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    for (let attempt = 0; attempt < 100; attempt++) {
      const { rows } = await client.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
      if (rows[0]?.n === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await client.end();
  }
}

/** Where a fresh database lives, not yet opened (a test may open it several times, or in a child process). */
export interface TestDatabaseConfig {
  dialect: 'sqlite' | 'postgres';
  config: DatabaseConfig;
  /** Drops the database and removes the directory; every handle on it must be closed first. */
  cleanup(): Promise<void>;
}

export async function freshTestDatabaseConfig({ sqliteOnly = false }: TestDatabaseOptions = {}): Promise<TestDatabaseConfig> {
  const adminUrl = sqliteOnly ? undefined : process.env.TEST_DATABASE_URL;
  const dataDir = await mkdtemp(join(tmpdir(), 'store-test-'));
  const removeDir = () => rm(dataDir, { recursive: true, force: true });
  if (!adminUrl) return { dialect: 'sqlite', config: { dataDir }, cleanup: removeDir };
  const name = `store_test_${randomUUID().replaceAll('-', '')}`;
  await adminQuery(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    dialect: 'postgres',
    config: { dataDir, databaseUrl: url.toString() },
    async cleanup() {
      await untilDisconnected(adminUrl, name);
      await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
      await removeDir();
    },
  };
}

export async function openTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const fresh = await freshTestDatabaseConfig(options);
  const storage = await openDatabase(fresh.config);
  const others: Storage[] = [];
  return {
    dialect: fresh.dialect,
    config: fresh.config,
    storage,
    async openAnother() {
      const other = await openDatabase(fresh.config);
      others.push(other);
      return other;
    },
    async cleanup() {
      for (const other of others) await other.close();
      await storage.close();
      await fresh.cleanup();
    },
  };
}
