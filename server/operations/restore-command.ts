/**
 * Puts a backup made by `npm run backup` back, on a stopped server:
 *   npm run restore -- <备份文件>
 * The file is copied into DATA_DIR and checked there (a SQLite database, intact, of this application,
 * not from a newer version) before anything is replaced. The current database is kept beside it,
 * renamed with the time of the restore, with its -wal/-shm files, so a stale log never meets the
 * restored file. The next server start applies any newer migrations. PostgreSQL is restored with
 * pg_restore instead (docs/operations.md).
 * Exit codes: 0 restored, 1 refused or failed, 2 usage.
 */
import { chmodSync, chownSync, copyFileSync, constants, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { loadConfig } from '../config.ts';
import { migrations } from '../db/migrations/index.ts';
import { type CommandIo, runWhenMain } from '../commands/command-io.ts';
import { type DatabaseSummary, describeSummary, sqliteFileOf, summarise, syncPath } from './sqlite-file.ts';

export const USAGE = [
  '用法：npm run restore -- <备份文件>',
  '先停止服务器，再用 npm run backup 生成的文件恢复 SQLite 数据库；当前数据库会改名保留。',
  '使用 PostgreSQL（设置了 DATABASE_URL）时请用 pg_restore 恢复，见 docs/operations.md 的 Backup and restore 一节。',
].join('\n');

const SIDE_FILES = ['-wal', '-shm'] as const;

class Refusal extends Error {}

/** Checks the copy about to be put in place; throws a Refusal saying what is wrong with it. */
function checkBackup(file: string, shownAs: string): DatabaseSummary {
  let database: SqliteDatabase.Database;
  try {
    database = new SqliteDatabase(file, { fileMustExist: true });
  } catch {
    throw new Refusal(`无法打开备份文件：${shownAs}`);
  }
  try {
    let integrity: unknown;
    try {
      integrity = database.pragma('integrity_check', { simple: true });
    } catch (err) {
      const code = (err as { code?: string }).code;
      throw new Refusal(code === 'SQLITE_NOTADB' ? `不是 SQLite 数据库文件：${shownAs}` : `备份文件无法读取：${shownAs}`);
    }
    if (integrity !== 'ok') throw new Refusal(`备份文件已损坏（integrity_check：${String(integrity)}）：${shownAs}`);
    const hasMigrations = database.prepare("select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'").get();
    if (!hasMigrations) throw new Refusal(`不是本系统的数据库（没有迁移记录）：${shownAs}`);
    const applied = (database.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map((r) => r.name);
    if (!applied.includes('0001_initial')) throw new Refusal(`不是本系统的数据库（迁移记录不符）：${shownAs}`);
    const unknown = applied.filter((name) => !(name in migrations));
    if (unknown.length > 0) {
      throw new Refusal(`备份来自更新的版本（本版本不认识迁移 ${unknown.join('、')}）：请用相同或更新的版本恢复`);
    }
    // The server sets WAL again when it opens the file.
    database.pragma('journal_mode = DELETE');
    return summarise(database);
  } finally {
    database.close();
  }
}

/**
 * Refuses while any process has the current database open: every connection in WAL mode holds a
 * shared lock on the file, so an exclusive lock taken without waiting fails while the server runs,
 * even when it is idle. Closing our connection then folds the WAL into the file.
 */
function settleCurrent(file: string): void {
  const database = new SqliteDatabase(file, { fileMustExist: true });
  try {
    database.pragma('busy_timeout = 0');
    database.pragma('locking_mode = EXCLUSIVE');
    try {
      database.exec('begin exclusive');
      database.prepare('select count(*) from sqlite_master').get();
      database.exec('commit');
    } catch (err) {
      if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
        throw new Refusal('服务器仍在运行（数据库正被使用）：请先停止服务器（例如 systemctl stop），再恢复');
      }
      throw err;
    }
    database.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    database.close();
  }
}

/** 20261202T094601Z: sorts by time and is safe in a file name. */
function stamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export async function runRestoreCommand(args: readonly string[], env: Record<string, string | undefined>, io: CommandIo): Promise<number> {
  const file = args[0];
  if (args.length !== 1 || !file || file.startsWith('-')) {
    io.err(USAGE);
    return 2;
  }
  const config = loadConfig(env);
  if (config.databaseUrl) {
    io.err('当前使用 PostgreSQL（设置了 DATABASE_URL）：此命令只恢复 SQLite。请用 pg_restore 恢复，步骤见 docs/operations.md 的 Backup and restore 一节。');
    return 1;
  }
  const backup = resolve(file);
  if (!existsSync(backup) || !statSync(backup).isFile()) {
    io.err(`找不到备份文件：${backup}`);
    return 1;
  }
  const current = sqliteFileOf(config.dataDir);
  if (backup === current) {
    io.err('备份文件不能是数据库文件本身');
    return 1;
  }
  // The directory holds ID numbers and photos: the server's user only (as the server makes it).
  mkdirSync(dirname(current), { recursive: true, mode: 0o700 });
  const incoming = `${current}.restoring-${process.pid}`;
  try {
    copyFileSync(backup, incoming, constants.COPYFILE_EXCL);
    chmodSync(incoming, 0o600);
    const summary = checkBackup(incoming, backup);
    syncPath(incoming);

    let keptAs: string | undefined;
    if (existsSync(current)) {
      settleCurrent(current);
      keptAs = `${current}.before-restore-${stamp(new Date())}`;
      renameSync(current, keptAs);
    }
    // A -wal left beside the restored file would be replayed onto it: it goes with the old database.
    for (const side of SIDE_FILES) {
      if (existsSync(`${current}${side}`)) {
        if (keptAs) renameSync(`${current}${side}`, `${keptAs}${side}`);
        else rmSync(`${current}${side}`);
      }
    }
    // Run as root, the copy would be root's and the server's own user could not open it: it gets the
    // owner of the data directory, which is the server's.
    if (process.getuid?.() === 0) {
      const { uid, gid } = statSync(dirname(current));
      chownSync(incoming, uid, gid);
    }
    renameSync(incoming, current);
    syncPath(dirname(current));
    io.out(`已恢复到 ${current}：${describeSummary(summary)}`);
    if (keptAs) io.out(`原数据库已保留为 ${keptAs}`);
    io.out('现在可以启动服务器；较新的数据库迁移会在启动时自动完成。');
    return 0;
  } catch (err) {
    rmSync(incoming, { force: true });
    if (err instanceof Refusal) {
      io.err(err.message);
      return 1;
    }
    const code = (err as { code?: string }).code;
    io.err(`恢复失败：${code === 'ENOSPC' ? '磁盘空间不足' : code === 'EACCES' ? `无法写入 ${dirname(current)}（权限不足？）` : err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

runWhenMain(import.meta.url, runRestoreCommand, '恢复失败');
