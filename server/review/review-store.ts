/**
 * The staff's reads of submissions: the queue with its filters and counts, the export, an employer's
 * list. Filters on what the application names (province, enterprise name, specialty) read its stored
 * JSON, in each dialect's own syntax; the paths are ours, never a request's.
 */
import { type Expression, type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { QueueFilter } from '../../shared/api/review.ts';
import { addDays } from '../../shared/calendar-date.ts';
import type { SubmissionStatus } from '../../shared/submission-status.ts';
import type { DialectName, Storage } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import type { DatedEvent } from './deadlines.ts';

/** A queue line as read: the row and the current version's body. */
export interface QueueRow {
  id: string;
  receiptNumber: string;
  accountId: string;
  createdAt: string;
  status: SubmissionStatus;
  version: number;
  enterpriseUscc: string | null;
  bodyJson: string;
}

type SubmissionsQuery = SelectQueryBuilder<Database, 'submissions', object>;

function jsonText(dialect: DialectName, path: readonly string[]): Expression<string | null> {
  return dialect === 'postgres'
    ? sql<string | null>`(body::json #>> ${`{${path.join(',')}}`}::text[])`
    : sql<string | null>`json_extract(body, ${`$.${path.join('.')}`})`;
}

function contains(dialect: DialectName, haystack: Expression<string | null>, needle: string) {
  // No LIKE, so a % or _ in the filter is just a character.
  return dialect === 'postgres' ? sql<boolean>`strpos(${haystack}, ${needle}) > 0` : sql<boolean>`instr(${haystack}, ${needle}) > 0`;
}

/** The first instant of a day in China (UTC+8), as the ISO text created_at is compared with. */
function chinaDayStart(date: string): string {
  return new Date(`${date}T00:00:00+08:00`).toISOString();
}

const USCC_SHAPE = /^[0-9A-Z]{18}$/;

/** Every filter but the status (the counts per status are taken under the others). */
function filtered(query: SubmissionsQuery, dialect: DialectName, filter: QueueFilter): SubmissionsQuery {
  let q = query;
  if (filter.from) q = q.where('created_at', '>=', chinaDayStart(filter.from));
  if (filter.to) q = q.where('created_at', '<', chinaDayStart(addDays(filter.to, 1)));
  if (filter.province) q = q.where(jsonText(dialect, ['enterprise', 'province']), '=', filter.province);
  const enterprise = filter.enterprise;
  if (enterprise) {
    q = USCC_SHAPE.test(enterprise)
      ? q.where('enterprise_uscc', '=', enterprise)
      : q.where(contains(dialect, jsonText(dialect, ['enterprise', 'name']), enterprise));
  }
  const specialty = filter.specialty;
  if (specialty) {
    q = q.where((eb) =>
      eb.or([eb(jsonText(dialect, ['specialty1']), '=', specialty), eb(jsonText(dialect, ['specialty2']), '=', specialty)]),
    );
  }
  return q;
}

function selectRows(query: SubmissionsQuery) {
  return query.select([
    'id',
    'receipt_number as receiptNumber',
    'account_id as accountId',
    'created_at as createdAt',
    'status',
    'version',
    'enterprise_uscc as enterpriseUscc',
    'body as bodyJson',
  ]);
}

function asRows(rows: readonly (Omit<QueueRow, 'status'> & { status: string })[]): QueueRow[] {
  // status is written only from SUBMISSION_STATUSES; version is an int4 on both dialects.
  return rows.map((row) => ({ ...row, status: row.status as SubmissionStatus, version: Number(row.version) }));
}

/** Where a page ends: the last line's (created_at, id), in the queue's order. */
export interface QueuePosition {
  createdAt: string;
  id: string;
}

/** Oldest first, as applications are handled; `after` continues from a page's last line. */
export async function listQueue(
  storage: Storage,
  filter: QueueFilter,
  page: { after?: QueuePosition; limit: number },
): Promise<QueueRow[]> {
  let q = filtered(storage.db.selectFrom('submissions'), storage.dialect, filter);
  if (filter.status) q = q.where('status', '=', filter.status);
  const after = page.after;
  if (after) {
    q = q.where((eb) =>
      eb.or([eb('created_at', '>', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '>', after.id)])]),
    );
  }
  return asRows(await selectRows(q).orderBy('created_at').orderBy('id').limit(page.limit).execute());
}

/** Every matching application, oldest first (the export). */
export async function listAllMatching(storage: Storage, filter: QueueFilter): Promise<QueueRow[]> {
  let q = filtered(storage.db.selectFrom('submissions'), storage.dialect, filter);
  if (filter.status) q = q.where('status', '=', filter.status);
  return asRows(await selectRows(q).orderBy('created_at').orderBy('id').execute());
}

/** How many applications stand in each status, under every filter but the status. */
export async function countByStatus(storage: Storage, filter: QueueFilter): Promise<Record<string, number>> {
  const rows = await filtered(storage.db.selectFrom('submissions'), storage.dialect, filter)
    .select(['status', sql<number>`count(*)`.as('count')])
    .groupBy('status')
    .execute();
  // PostgreSQL's count is int8, which pg hands over as text.
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
}

/** The applications naming one employer, newest first. */
export async function listForEmployer(db: Kysely<Database>, uscc: string): Promise<QueueRow[]> {
  const q = db.selectFrom('submissions').where('enterprise_uscc', '=', uscc);
  return asRows(await selectRows(q).orderBy('created_at', 'desc').orderBy('id', 'desc').execute());
}

/** Whether the application names this employer (what decides what an employer may see and do). */
export async function namesEmployer(db: Kysely<Database>, submissionId: string, uscc: string): Promise<boolean> {
  const row = await db.selectFrom('submissions').select('id').where('id', '=', submissionId).where('enterprise_uscc', '=', uscc).executeTakeFirst();
  return row !== undefined;
}

/** The events of several applications, oldest first, grouped by application (the queue's deadlines). */
export async function eventsOf(db: Kysely<Database>, submissionIds: readonly string[]): Promise<Map<string, DatedEvent[]>> {
  const out = new Map<string, DatedEvent[]>();
  if (submissionIds.length === 0) return out;
  const rows = await db
    .selectFrom('submission_events')
    .select(['submission_id', 'kind', 'status', 'version', 'at'])
    .where('submission_id', 'in', submissionIds)
    .orderBy('seq')
    .execute();
  for (const row of rows) {
    const list = out.get(row.submission_id) ?? [];
    list.push({ kind: row.kind, status: row.status, version: Number(row.version), at: row.at });
    out.set(row.submission_id, list);
  }
  return out;
}
