import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/**
 * Idempotency keys shared by every server instance through the database; nothing is held in memory.
 * A key is claimed before the work starts (one INSERT … ON CONFLICT DO NOTHING, committed at once),
 * marked done with the answer in the same transaction as the work's result, and released when the
 * work is refused so the person can fix the request and send it again under the same key.
 */

/** The first answer, kept to be repeated. */
export interface StoredResponse {
  status: number;
  body: unknown;
}

export type ClaimOutcome =
  /** This request holds the key now; `takenOver` when a dead holder's expired claim was taken. */
  | { outcome: 'claimed'; claimId: string; takenOver: boolean }
  /** Another request holds it and its lock has not run out. */
  | { outcome: 'in-flight'; lockedUntil: string }
  /** Finished before: whose it was, for which body, and what was answered. */
  | { outcome: 'done'; accountId: string; bodySha256: string; response: StoredResponse };

export interface ClaimInput {
  key: string;
  accountId: string;
  bodySha256: string;
  /** How long the claim holds before another request may take it over (the holder is presumed dead). */
  lockMs: number;
  now?: Date;
}

// A claim can vanish between our insert and our read (its holder released it); trying again settles it.
const CLAIM_ATTEMPTS = 3;

export async function claimIdempotencyKey(db: Kysely<Database>, input: ClaimInput): Promise<ClaimOutcome> {
  const now = input.now ?? new Date();
  const nowIso = now.toISOString();
  const lockedUntil = new Date(now.getTime() + input.lockMs).toISOString();
  let heldUntil = lockedUntil;
  for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt++) {
    const claimId = randomUUID();
    const inserted = await db
      .insertInto('idempotency_keys')
      .values({
        key: input.key,
        account_id: input.accountId,
        body_sha256: input.bodySha256,
        state: 'in_flight',
        response: null,
        locked_until: lockedUntil,
        claim_id: claimId,
        created_at: nowIso,
      })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    if (inserted) return { outcome: 'claimed', claimId, takenOver: false };

    const row = await db.selectFrom('idempotency_keys').selectAll().where('key', '=', input.key).executeTakeFirst();
    if (!row) continue;
    if (row.state === 'done') {
      return {
        outcome: 'done',
        accountId: row.account_id,
        bodySha256: row.body_sha256,
        response: JSON.parse(row.response ?? 'null') as StoredResponse,
      };
    }
    heldUntil = row.locked_until;
    if (row.locked_until > nowIso) return { outcome: 'in-flight', lockedUntil: row.locked_until };

    // The holder's lock ran out: it died mid-request (or is far too slow). Compare-and-set on the
    // claim id, so of several requests taking over at once exactly one wins.
    const taken = await db
      .updateTable('idempotency_keys')
      .set({
        account_id: input.accountId,
        body_sha256: input.bodySha256,
        locked_until: lockedUntil,
        claim_id: claimId,
      })
      .where('key', '=', input.key)
      .where('state', '=', 'in_flight')
      .where('claim_id', '=', row.claim_id)
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) === 1) return { outcome: 'claimed', claimId, takenOver: true };
    // Someone else took it over or finished it: look again.
  }
  return { outcome: 'in-flight', lockedUntil: heldUntil };
}

/**
 * Marks the key done with the answer. Meant to run in the transaction that stores the result, so the
 * two commit together. An upsert: it also settles a key whose claim was lost meanwhile (taken over,
 * then released) or that never had a row (a result stored before this table existed).
 */
export async function completeIdempotencyKey(
  db: Kysely<Database>,
  input: { key: string; accountId: string; bodySha256: string; response: StoredResponse; now?: Date },
): Promise<void> {
  const nowIso = (input.now ?? new Date()).toISOString();
  const response = JSON.stringify(input.response);
  await db
    .insertInto('idempotency_keys')
    .values({
      key: input.key,
      account_id: input.accountId,
      body_sha256: input.bodySha256,
      state: 'done',
      response,
      locked_until: nowIso,
      claim_id: randomUUID(),
      created_at: nowIso,
    })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        account_id: input.accountId,
        body_sha256: input.bodySha256,
        state: 'done',
        response,
      }),
    )
    .execute();
}

/**
 * Gives the key up after refused work (invalid data, a failed check): nothing was stored, so the same
 * key may be used again. Only the claim's own holder can release it; returns whether it did.
 */
export async function releaseIdempotencyKey(db: Kysely<Database>, key: string, claimId: string): Promise<boolean> {
  const deleted = await db
    .deleteFrom('idempotency_keys')
    .where('key', '=', key)
    .where('claim_id', '=', claimId)
    .where('state', '=', 'in_flight')
    .executeTakeFirst();
  return Number(deleted.numDeletedRows) === 1;
}
