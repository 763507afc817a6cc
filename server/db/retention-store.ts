/**
 * What retention removes (server/operations/retention.ts): drafts nobody touched for the configured
 * time, with the attachments only they named, and audit entries once they are in an archive file.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { AuditLogTable, Database } from './schema.ts';

export interface StaleDraftsResult {
  drafts: number;
  attachments: number;
}

/** The photo and signature ids a draft or application body (JSON text) names. */
function attachmentIdsOf(bodyJson: string): string[] {
  try {
    const body = JSON.parse(bodyJson) as { photo?: unknown; signature?: unknown };
    return [body.photo, body.signature].filter((id): id is string => typeof id === 'string');
  } catch {
    return [];
  }
}

/** Every attachment id the account's remaining drafts and every version of its applications name. */
async function namedAttachments(trx: Kysely<Database>, accountId: string): Promise<Set<string>> {
  const drafts = await trx.selectFrom('drafts').select('body').where('account_id', '=', accountId).execute();
  const versions = await trx
    .selectFrom('submission_versions')
    .innerJoin('submissions', 'submissions.id', 'submission_versions.submission_id')
    .select('submission_versions.body')
    .where('submissions.account_id', '=', accountId)
    .execute();
  const current = await trx.selectFrom('submissions').select('body').where('account_id', '=', accountId).execute();
  return new Set([...drafts, ...versions, ...current].flatMap((row) => attachmentIdsOf(row.body)));
}

/**
 * Deletes the drafts last saved before `before`, and with them the account's attachments that were
 * uploaded before `before` and that no remaining draft and no version of any application names: the
 * deleted drafts' pictures, and pictures a draft stopped naming long ago. Applications and what they
 * name are never touched. One transaction per account, so a draft saved meanwhile is not lost: the
 * delete itself re-checks the time.
 */
export async function deleteStaleDrafts(db: Kysely<Database>, before: Date): Promise<StaleDraftsResult> {
  const cutoff = before.toISOString();
  const staleDrafts = await db.selectFrom('drafts').select('account_id').distinct().where('updated_at', '<', cutoff).execute();
  const staleUploads = await db.selectFrom('attachments').select('account_id').distinct().where('created_at', '<', cutoff).execute();
  const accounts = [...new Set([...staleDrafts, ...staleUploads].map((row) => row.account_id))].sort();
  const result: StaleDraftsResult = { drafts: 0, attachments: 0 };
  for (const accountId of accounts) {
    await db.transaction().execute(async (trx) => {
      const drafts = await trx
        .deleteFrom('drafts')
        .where('account_id', '=', accountId)
        .where('updated_at', '<', cutoff)
        .executeTakeFirst();
      result.drafts += Number(drafts.numDeletedRows);
      const kept = await namedAttachments(trx, accountId);
      let attachments = trx.deleteFrom('attachments').where('account_id', '=', accountId).where('created_at', '<', cutoff);
      if (kept.size > 0) attachments = attachments.where('source_sha256', 'not in', [...kept]);
      result.attachments += Number((await attachments.executeTakeFirst()).numDeletedRows);
    });
  }
  return result;
}

export type AuditRow = Selectable<AuditLogTable>;

/** How many audit entries are older than `before`. */
export async function countAuditBefore(db: Kysely<Database>, before: Date): Promise<number> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('at', '<', before.toISOString())
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The audit entries older than `before`, oldest first, every column. */
export async function auditEntriesBefore(db: Kysely<Database>, before: Date): Promise<AuditRow[]> {
  return db.selectFrom('audit_log').selectAll().where('at', '<', before.toISOString()).orderBy('at').orderBy('id').execute();
}

export interface AuditArchiveRecord {
  cutoff: Date;
  /** The entries written to the file: exactly these are deleted. */
  entries: readonly AuditRow[];
  fileName: string;
  fileSha256: string;
  now?: Date;
}

export class AuditArchiveMismatch extends Error {
  override name = 'AuditArchiveMismatch';
}

/**
 * Records an archive file and deletes the entries it holds, in one transaction: the database lets
 * an entry go only once an archive with a later cutoff is recorded, and refuses a cutoff less than
 * 183 days ago (migration 0012). Deletes by id, so an entry not in the file is never deleted; if
 * fewer rows go than the file holds, nothing is committed.
 */
export async function recordAuditArchive(db: Kysely<Database>, input: AuditArchiveRecord): Promise<{ id: string; deleted: number }> {
  const id = randomUUID();
  const cutoff = input.cutoff.toISOString();
  for (const entry of input.entries) {
    if (!(entry.at < cutoff)) throw new AuditArchiveMismatch(`entry ${entry.id} is not older than the cutoff`);
  }
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto('audit_archives')
      .values({
        id,
        cutoff_at: cutoff,
        entry_count: input.entries.length,
        first_at: input.entries[0]?.at ?? null,
        last_at: input.entries.at(-1)?.at ?? null,
        file_name: input.fileName,
        file_sha256: input.fileSha256,
        created_at: (input.now ?? new Date()).toISOString(),
      })
      .execute();
    let deleted = 0;
    // Bounded statements: SQLite allows at most 32766 bound parameters per statement.
    const ids = input.entries.map((entry) => entry.id);
    for (let start = 0; start < ids.length; start += 500) {
      const chunk = ids.slice(start, start + 500);
      deleted += Number((await trx.deleteFrom('audit_log').where('id', 'in', chunk).executeTakeFirst()).numDeletedRows);
    }
    if (deleted !== ids.length) throw new AuditArchiveMismatch(`${ids.length} entries archived but ${deleted} found to delete`);
    return { id, deleted };
  });
}

/** The archives recorded so far, oldest first. */
export async function listAuditArchives(db: Kysely<Database>) {
  return db.selectFrom('audit_archives').selectAll().orderBy('created_at').orderBy('id').execute();
}
