/** The embedded SQLite file as the backup and restore commands handle it, outside Kysely. */
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type SqliteDatabase from 'better-sqlite3';
import { SQLITE_FILE_NAME } from '../db/database.ts';

export function sqliteFileOf(dataDir: string): string {
  return join(resolve(dataDir), SQLITE_FILE_NAME);
}

/** What a copy holds, printed after a backup or a restore so the operator sees it is the right one. */
export interface DatabaseSummary {
  submissions: number;
  accounts: number;
  attachments: number;
  auditEntries: number;
  /** The last seq of the change feed (submission_events). */
  feedHead: number;
  /** The newest applied migration. */
  migration: string;
}

export function summarise(file: SqliteDatabase.Database): DatabaseSummary {
  const count = (table: string) => Number((file.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n);
  const head = file.prepare('select value from feed_counter where id = 1').get() as { value: number } | undefined;
  const migration = file.prepare('select name from kysely_migration order by name desc limit 1').get() as { name: string } | undefined;
  return {
    submissions: count('submissions'),
    accounts: count('accounts'),
    attachments: count('attachments'),
    auditEntries: count('audit_log'),
    feedHead: Number(head?.value ?? 0),
    migration: migration?.name ?? '',
  };
}

export function describeSummary(summary: DatabaseSummary): string {
  return `申请 ${summary.submissions} 份，账号 ${summary.accounts} 个，附件 ${summary.attachments} 个，审计记录 ${summary.auditEntries} 条，变更序号至 ${summary.feedHead}（数据库版本 ${summary.migration}）`;
}

/** Syncs a file or directory to disk, so a rename that follows survives a power cut. */
export function syncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
