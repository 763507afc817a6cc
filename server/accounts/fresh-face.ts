import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { latestPassedVerification } from '../db/face-verifications-store.ts';
import { MINUTE_MS } from './rate-limit.ts';

/** How recent a face check must be for an act that changes or closes the account. */
export const FRESH_FACE_CHECK_MS = 10 * MINUTE_MS;

/**
 * Whether the account passed a face check at most `maxAgeMs` before `now` (the boundary included).
 * Usage: `if (!(await hasFreshFaceCheck(storage.db, account.id, new Date()))) return 403`.
 */
export async function hasFreshFaceCheck(
  db: Kysely<Database>,
  accountId: string,
  now: Date,
  maxAgeMs: number = FRESH_FACE_CHECK_MS,
): Promise<boolean> {
  const passed = await latestPassedVerification(db, accountId, new Date(now.getTime() - maxAgeMs));
  // A check stamped after `now` (clock skew between instances) counts as fresh as well.
  return passed !== undefined;
}
