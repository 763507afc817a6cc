/**
 * A fresh, migrated database for a store test: SQLite in a temp dir by default; PostgreSQL when
 * TEST_DATABASE_URL is set (a database is created beside it and dropped afterwards), as in
 * storage.test.ts, so the same test checks both dialects.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type DatabaseConfig, openDatabase, type Storage } from './database.ts';

export interface TestDatabase {
  dialect: 'sqlite' | 'postgres';
  config: DatabaseConfig;
  storage: Storage;
  /** Another handle on the same database: a second server instance. */
  openAnother(): Promise<Storage>;
  cleanup(): Promise<void>;
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

export async function openTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  const dataDir = await mkdtemp(join(tmpdir(), 'store-test-'));
  let config: DatabaseConfig = { dataDir };
  let dropDatabase = async () => {};
  if (adminUrl) {
    const name = `store_test_${randomUUID().replaceAll('-', '')}`;
    await adminQuery(adminUrl, `create database ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    config = { dataDir, databaseUrl: url.toString() };
    dropDatabase = () => adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
  }
  const storage = await openDatabase(config);
  const others: Storage[] = [];
  return {
    dialect: adminUrl ? 'postgres' : 'sqlite',
    config,
    storage,
    async openAnother() {
      const other = await openDatabase(config);
      others.push(other);
      return other;
    },
    async cleanup() {
      for (const other of others) await other.close();
      await storage.close();
      await dropDatabase();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
