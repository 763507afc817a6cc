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
  /** applicant, reviewer, admin, employer or token; null for entries written before roles were kept. */
  actorRole: string | null;
  /** The employer's USCC or the machine client's name. */
  organisation: string | null;
  address: string | null;
}

export interface NewAuditEntry {
  actor: string;
  action: string;
  subject: string;
  actorRole?: string;
  organisation?: string;
  address?: string;
  now?: Date;
}

/** Appends one entry; inside a transaction when `db` is one. The table refuses updates and deletes. */
export async function appendAudit(db: Kysely<Database>, input: NewAuditEntry): Promise<AuditEntry> {
  const entry: AuditEntry = {
    id: randomUUID(),
    actor: input.actor,
    action: input.action,
    subject: input.subject,
    at: (input.now ?? new Date()).toISOString(),
    actorRole: input.actorRole ?? null,
    organisation: input.organisation ?? null,
    address: input.address ?? null,
  };
  await db
    .insertInto('audit_log')
    .values({
      id: entry.id,
      actor: entry.actor,
      action: entry.action,
      subject: entry.subject,
      at: entry.at,
      actor_role: entry.actorRole,
      organisation: entry.organisation,
      address: entry.address,
    })
    .execute();
  return entry;
}

const COLUMNS = ['id', 'actor', 'action', 'subject', 'at', 'actor_role', 'organisation', 'address'] as const;

type Row = { id: string; actor: string; action: string; subject: string; at: string; actor_role: string | null; organisation: string | null; address: string | null };

function toEntry(row: Row): AuditEntry {
  return {
    id: row.id,
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    at: row.at,
    actorRole: row.actor_role,
    organisation: row.organisation,
    address: row.address,
  };
}

/** Oldest first; entries in the same millisecond in id order. */
export async function listAuditForSubject(db: Kysely<Database>, subject: string): Promise<AuditEntry[]> {
  const rows = await db.selectFrom('audit_log').select(COLUMNS).where('subject', '=', subject).orderBy('at').orderBy('id').execute();
  return rows.map(toEntry);
}

export interface AuditQuery {
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  action?: string;
  subject?: string;
  /** The last entry of the previous page: the page starts after it in (at, id) order. */
  after?: { at: string; id: string };
  limit: number;
}

/** One page of the audit, oldest first, ordered by (at, id) so a cursor never skips or repeats. */
export async function listAudit(db: Kysely<Database>, query: AuditQuery): Promise<AuditEntry[]> {
  let select = db.selectFrom('audit_log').select(COLUMNS);
  if (query.from) select = select.where('at', '>=', query.from.toISOString());
  if (query.to) select = select.where('at', '<', query.to.toISOString());
  if (query.action) select = select.where('action', '=', query.action);
  if (query.subject) select = select.where('subject', '=', query.subject);
  const after = query.after;
  if (after) {
    select = select.where((eb) => eb.or([eb('at', '>', after.at), eb.and([eb('at', '=', after.at), eb('id', '>', after.id)])]));
  }
  const rows = await select.orderBy('at').orderBy('id').limit(query.limit).execute();
  return rows.map(toEntry);
}
