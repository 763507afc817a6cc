/**
 * A consistent copy of the SQLite database while the server keeps serving:
 *   npm run backup -- <备份文件> [--force]
 * SQLite's online backup API copies the pages of one committed state; the server's writes go on
 * meanwhile (WAL). Attachments are rows of the database, so the one file holds everything. The copy
 * is written beside the target and renamed into place once checked, so a file under that name is a
 * complete backup. PostgreSQL is backed up with pg_dump instead (docs/operations.md).
 * Exit codes: 0 done, 1 refused or failed, 2 usage.
 */
import { accessSync, closeSync, constants, existsSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { loadConfig } from '../config.ts';
import { type CommandIo, runWhenMain } from '../commands/command-io.ts';
import { describeSummary, sqliteFileOf, summarise, syncPath } from './sqlite-file.ts';

export const USAGE = [
  '用法：npm run backup -- <备份文件> [--force]',
  '在服务器运行时备份 SQLite 数据库（含全部附件）到一个文件；文件已存在时加 --force 覆盖。',
  '使用 PostgreSQL（设置了 DATABASE_URL）时请用 pg_dump 备份，见 docs/operations.md 的 Backup and restore 一节。',
].join('\n');

/** Below this many pages (4 KiB each) the copy is quick and no progress is shown. */
const PROGRESS_FROM_PAGES = 2_500;
const PAGES_PER_STEP = 1_000;

function parseArgs(args: readonly string[]): { file: string; force: boolean } | undefined {
  const force = args.includes('--force');
  const rest = args.filter((arg) => arg !== '--force');
  const file = rest[0];
  if (rest.length !== 1 || !file || file.startsWith('-')) return undefined;
  return { file, force };
}

function problemWithTarget(target: string, source: string, force: boolean): string | undefined {
  if (target === source) return '备份文件不能是数据库文件本身';
  const dir = dirname(target);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return `目录不存在：${dir}`;
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    return `目录不可写：${dir}`;
  }
  if (existsSync(target)) {
    if (statSync(target).isDirectory()) return `这是一个目录，不是文件：${target}`;
    if (!force) return `备份文件已存在：${target}（要覆盖请加 --force）`;
  }
  return undefined;
}

function reasonOf(err: unknown): string {
  const code = (err as { code?: string }).code;
  if (code === 'ENOSPC' || code === 'SQLITE_FULL') return '磁盘空间不足';
  if (code === 'EACCES' || code === 'SQLITE_CANTOPEN') return '无法写入备份文件（权限不足？）';
  if (code === 'SQLITE_BUSY') return '数据库繁忙，请稍后重试';
  return err instanceof Error ? err.message : String(err);
}

export async function runBackupCommand(args: readonly string[], env: Record<string, string | undefined>, io: CommandIo): Promise<number> {
  const parsed = parseArgs(args);
  if (!parsed) {
    io.err(USAGE);
    return 2;
  }
  const config = loadConfig(env);
  if (config.databaseUrl) {
    io.err('当前使用 PostgreSQL（设置了 DATABASE_URL）：此命令只备份 SQLite。请用 pg_dump -Fc 备份，步骤见 docs/operations.md 的 Backup and restore 一节。');
    return 1;
  }
  const source = sqliteFileOf(config.dataDir);
  if (!existsSync(source)) {
    io.err(`找不到数据库文件：${source}（请检查 DATA_DIR）`);
    return 1;
  }
  const target = resolve(parsed.file);
  const problem = problemWithTarget(target, source, parsed.force);
  if (problem) {
    io.err(problem);
    return 1;
  }

  const partial = `${target}.partial-${process.pid}`;
  rmSync(partial, { force: true });
  // Made empty first, owner-only, so the copy of ID numbers and photos is never readable by others.
  closeSync(openSync(partial, 'wx', 0o600));
  const database = new SqliteDatabase(source, { fileMustExist: true });
  try {
    database.pragma('busy_timeout = 5000');
    let lastRemaining = Number.POSITIVE_INFINITY;
    let lastTenth = -1;
    let rate = PAGES_PER_STEP;
    await database.backup(partial, {
      progress({ totalPages, remainingPages }) {
        // A write by the server between two steps restarts the copy; the rest then goes in one step,
        // which holds a read snapshot (WAL lets the server keep writing) and so always finishes.
        // Every step copies pages, so no fewer left than before means it started over.
        if (remainingPages >= lastRemaining) rate = 0x7fffffff;
        lastRemaining = remainingPages;
        if (totalPages >= PROGRESS_FROM_PAGES) {
          const tenth = Math.floor(((totalPages - remainingPages) / totalPages) * 10);
          if (tenth !== lastTenth) io.out(`备份中：${tenth * 10}%（${totalPages - remainingPages}/${totalPages} 页）`);
          lastTenth = tenth;
        }
        return rate;
      },
    });
  } catch (err) {
    rmSync(partial, { force: true });
    io.err(`备份失败：${reasonOf(err)}`);
    return 1;
  } finally {
    database.close();
  }

  try {
    const copy = new SqliteDatabase(partial, { fileMustExist: true });
    let summary: ReturnType<typeof summarise>;
    try {
      // One self-contained file: no -wal beside it to forget when it is moved.
      copy.pragma('journal_mode = DELETE');
      const integrity = copy.pragma('integrity_check', { simple: true });
      if (integrity !== 'ok') throw new Error(`备份文件校验未通过：${String(integrity)}`);
      summary = summarise(copy);
    } finally {
      copy.close();
    }
    syncPath(partial);
    renameSync(partial, target);
    syncPath(dirname(target));
    const megabytes = (statSync(target).size / 1024 / 1024).toFixed(1);
    io.out(`已备份到 ${target}（${megabytes} MB）：${describeSummary(summary)}`);
    return 0;
  } catch (err) {
    rmSync(partial, { force: true });
    io.err(`备份失败：${reasonOf(err)}`);
    return 1;
  }
}

runWhenMain(import.meta.url, runBackupCommand, '备份失败');
