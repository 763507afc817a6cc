import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** Who did what to which record: every staff access to an application is written here (PIPL). */
export interface AuditEntry {
  id: string;
  actor: string;
  action: string;
  subject: string;
  at: string;
}

export async function appendAudit(
  db: Kysely<Database>,
  input: { actor: string; action: string; subject: string; now?: Date },
): Promise<AuditEntry> {
  const entry: AuditEntry = {
    id: randomUUID(),
    actor: input.actor,
    action: input.action,
    subject: input.subject,
    at: (input.now ?? new Date()).toISOString(),
  };
  await db.insertInto('audit_log').values(entry).execute();
  return entry;
}

/** Oldest first; entries in the same millisecond keep no particular order. */
export async function listAuditForSubject(db: Kysely<Database>, subject: string): Promise<AuditEntry[]> {
  return db.selectFrom('audit_log').selectAll().where('subject', '=', subject).orderBy('at').orderBy('id').execute();
}
