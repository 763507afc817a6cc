/**
 * Retention (PIPL: keep personal data no longer than needed; MLPS level 3: keep the audit at least
 * 6 months): drafts untouched for DRAFT_RETENTION_DAYS go with the pictures only they named; audit
 * entries older than AUDIT_RETENTION_DAYS are copied to an archive file, checked, and only then
 * deleted.
 */
import { basename } from 'node:path';
import type { Kysely } from 'kysely';
import { appendAudit } from '../db/audit-log-store.ts';
import { auditEntriesBefore, deleteStaleDrafts, recordAuditArchive, type StaleDraftsResult } from '../db/retention-store.ts';
import type { Database } from '../db/schema.ts';
import { readAuditArchive, writeAuditArchive } from './audit-archive.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export function daysBefore(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

export function removeStaleDrafts(db: Kysely<Database>, now: Date, retentionDays: number): Promise<StaleDraftsResult> {
  return deleteStaleDrafts(db, daysBefore(now, retentionDays));
}

export interface AuditArchiveResult {
  cutoff: Date;
  archived: number;
  fileSha256?: string;
}

/**
 * Archives the entries older than the retention to `file` (which must not exist yet). The file is
 * written, synced and read back before any entry is deleted; nothing to archive writes no file.
 */
export async function archiveOldAudit(
  db: Kysely<Database>,
  input: { now: Date; retentionDays: number; file: string },
): Promise<AuditArchiveResult> {
  const cutoff = daysBefore(input.now, input.retentionDays);
  const entries = await auditEntriesBefore(db, cutoff);
  if (entries.length === 0) return { cutoff, archived: 0 };
  const fileSha256 = writeAuditArchive(input.file, entries);
  const check = readAuditArchive(input.file);
  if (check.sha256 !== fileSha256 || check.entries.length !== entries.length || check.entries.some((e, i) => e.id !== entries[i]?.id)) {
    throw new Error('the archive file read back differs from what was written');
  }
  const { id, deleted } = await recordAuditArchive(db, {
    cutoff,
    entries,
    fileName: basename(input.file),
    fileSha256,
    now: input.now,
  });
  // The archiving itself is audited, after the deletion, so this entry stays.
  await appendAudit(db, { actor: 'system', action: 'audit.archive', subject: `audit-archive:${id}`, now: input.now });
  return { cutoff, archived: deleted, fileSha256 };
}
