import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/**
 * Fixed-window counters kept in the database, so every server instance behind a load balancer
 * counts against the same limit. One statement per hit (an upsert), hence atomic without locks.
 */

export interface RateLimitHit {
  /** Hits in the current window, this one included. */
  count: number;
  windowStart: string;
  /** When the current window ends and the count starts again from 1. */
  resetAt: Date;
}

export async function hitRateLimit(
  db: Kysely<Database>,
  input: { key: string; windowMs: number; now?: Date },
): Promise<RateLimitHit> {
  const now = input.now ?? new Date();
  const windowEndedBefore = new Date(now.getTime() - input.windowMs).toISOString();
  const row = await db
    .insertInto('rate_limits')
    .values({ key: input.key, window_start: now.toISOString(), count: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => {
        // Both sides of SET read the old row, so the two CASEs agree on whether the window is over.
        const windowOver = eb('rate_limits.window_start', '<=', windowEndedBefore);
        return {
          window_start: eb.case().when(windowOver).then(eb.ref('excluded.window_start')).else(eb.ref('rate_limits.window_start')).end(),
          count: eb.case().when(windowOver).then(eb.lit(1)).else(eb('rate_limits.count', '+', eb.lit(1))).end(),
        };
      }),
    )
    .returning(['count', 'window_start'])
    .executeTakeFirstOrThrow();
  return {
    count: Number(row.count),
    windowStart: row.window_start,
    resetAt: new Date(Date.parse(row.window_start) + input.windowMs),
  };
}

/** Housekeeping: drops counters whose window started before `before`. Returns how many. */
export async function pruneRateLimits(db: Kysely<Database>, before: Date): Promise<number> {
  const result = await db.deleteFrom('rate_limits').where('window_start', '<', before.toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows);
}
