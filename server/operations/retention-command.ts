/**
 * Retention, run daily by the operator (a systemd timer or cron):
 *   npm run retention                                   drafts untouched for DRAFT_RETENTION_DAYS go
 *   npm run retention -- --archive-audit <文件.jsonl.gz>  also archive the audit older than AUDIT_RETENTION_DAYS
 * Works on SQLite and PostgreSQL, with the server running. Exit codes: 0 done, 1 refused or failed, 2 usage.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadConfig } from '../config.ts';
import { openServersDatabase } from '../commands/server-database.ts';
import { countAuditBefore } from '../db/retention-store.ts';
import { type CommandIo, runWhenMain } from '../commands/command-io.ts';
import { archiveOldAudit, daysBefore, removeStaleDrafts } from './retention.ts';

export const USAGE = [
  '用法：npm run retention [-- --archive-audit <归档文件.jsonl.gz>]',
  '删除超过 DRAFT_RETENTION_DAYS 天（默认 90）未修改的草稿及只属于它们的附件；',
  '加 --archive-audit 时，把早于 AUDIT_RETENTION_DAYS 天（默认且至少 183）的审计记录写入归档文件，核对后再从数据库删除。',
].join('\n');

function parseArgs(args: readonly string[]): { archiveFile?: string } | undefined {
  if (args.length === 0) return {};
  const file = args[1];
  if (args.length === 2 && args[0] === '--archive-audit' && file && !file.startsWith('-')) return { archiveFile: file };
  return undefined;
}

const day = (date: Date) => date.toISOString().slice(0, 10);

export async function runRetentionCommand(args: readonly string[], env: Record<string, string | undefined>, io: CommandIo, now = new Date()): Promise<number> {
  const parsed = parseArgs(args);
  if (!parsed) {
    io.err(USAGE);
    return 2;
  }
  const config = loadConfig(env);
  const archiveFile = parsed.archiveFile === undefined ? undefined : resolve(parsed.archiveFile);
  if (archiveFile) {
    const dir = dirname(archiveFile);
    if (existsSync(archiveFile)) {
      io.err(`归档文件已存在：${archiveFile}（请换一个文件名，归档不覆盖）`);
      return 1;
    }
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      io.err(`目录不存在：${dir}`);
      return 1;
    }
  }

  const storage = await openServersDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl }, io.err);
  if (!storage) return 1;
  try {
    const drafts = await removeStaleDrafts(storage.db, now, config.draftRetentionDays);
    io.out(
      `已删除 ${drafts.drafts} 份 ${config.draftRetentionDays} 天（${day(daysBefore(now, config.draftRetentionDays))} 之前）未修改的草稿，及不再被任何草稿或申请引用的附件 ${drafts.attachments} 个`,
    );
    const cutoff = daysBefore(now, config.auditRetentionDays);
    if (!archiveFile) {
      const due = await countAuditBefore(storage.db, cutoff);
      io.out(
        due === 0
          ? `没有早于 ${day(cutoff)} 的审计记录需要归档`
          : `有 ${due} 条早于 ${day(cutoff)} 的审计记录可归档：npm run retention -- --archive-audit <归档文件.jsonl.gz>`,
      );
      return 0;
    }
    let archived: Awaited<ReturnType<typeof archiveOldAudit>>;
    try {
      archived = await archiveOldAudit(storage.db, { now, retentionDays: config.auditRetentionDays, file: archiveFile });
    } catch (err) {
      const code = (err as { code?: string }).code;
      const reason = code === 'ENOSPC' ? '磁盘空间不足' : code === 'EACCES' ? '无法写入归档文件（权限不足？）' : err instanceof Error ? err.message : String(err);
      io.err(`审计归档失败，数据库中的审计记录未删除：${reason}`);
      return 1;
    }
    io.out(
      archived.archived === 0
        ? `没有早于 ${day(cutoff)} 的审计记录需要归档，未写文件`
        : `已归档 ${archived.archived} 条早于 ${day(cutoff)} 的审计记录到 ${archiveFile}（SHA-256 ${archived.fileSha256}），并已从数据库删除`,
    );
    return 0;
  } finally {
    await storage.close();
  }
}

runWhenMain(import.meta.url, runRetentionCommand, '保留期处理失败');
