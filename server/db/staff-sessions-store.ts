import type { Kysely } from 'kysely';
import { sha256Hex } from '../crypto/sha256.ts';
import type { Database } from './schema.ts';
import { translatingDuplicates } from './storage-errors.ts';

/**
 * Staff sessions, looked up by the SHA-256 of the cookie's token as applicants' are (see sessions-store).
 * A session ends when idle for longer than the caller's idle limit or at expires_at, whichever is first.
 */

export interface StaffSession {
  staffId: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

const tokenHash = sha256Hex;

export async function createStaffSession(
  db: Kysely<Database>,
  input: { token: string; staffId: string; expiresAt: Date; now?: Date },
): Promise<StaffSession> {
  const now = (input.now ?? new Date()).toISOString();
  const row = { id: tokenHash(input.token), staff_id: input.staffId, created_at: now, last_seen_at: now, expires_at: input.expiresAt.toISOString() };
  await translatingDuplicates(() => db.insertInto('staff_sessions').values(row).execute());
  return { staffId: row.staff_id, createdAt: row.created_at, lastSeenAt: row.last_seen_at, expiresAt: row.expires_at };
}

/**
 * The live session for a token, its idle clock restarted at `now`; undefined when unknown, idle since
 * before `idleSince`, or past its absolute end. One conditional update, so a session that just ran
 * out is not revived by a request racing its end.
 */
export async function touchStaffSession(
  db: Kysely<Database>,
  token: string,
  input: { now: Date; idleSince: Date },
): Promise<StaffSession | undefined> {
  const row = await db
    .updateTable('staff_sessions')
    .set({ last_seen_at: input.now.toISOString() })
    .where('id', '=', tokenHash(token))
    .where('expires_at', '>', input.now.toISOString())
    .where('last_seen_at', '>', input.idleSince.toISOString())
    .returning(['staff_id', 'created_at', 'last_seen_at', 'expires_at'])
    .executeTakeFirst();
  return row && { staffId: row.staff_id, createdAt: row.created_at, lastSeenAt: row.last_seen_at, expiresAt: row.expires_at };
}

export async function deleteStaffSession(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('staff_sessions').where('id', '=', tokenHash(token)).execute();
}

/** Ends every session of an account (disabled, second factor reset, password changed). */
export async function deleteStaffSessionsOf(db: Kysely<Database>, staffId: string): Promise<void> {
  await db.deleteFrom('staff_sessions').where('staff_id', '=', staffId).execute();
}
