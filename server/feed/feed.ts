import type { Kysely } from 'kysely';
import type { FeedAnswer } from '../../shared/api/feed.ts';
import type { Database } from '../db/schema.ts';
import { listFeedAfter, readFeedSecret } from '../db/submission-events-store.ts';
import { decodeFeedCursor, encodeFeedCursor } from './feed-cursor.ts';

/** One page of the feed, or undefined for a cursor this deployment did not issue. */
export type FeedPage = (cursor: string | undefined, limit: number) => Promise<FeedAnswer | undefined>;

/**
 * Reads the feed after a cursor. Events are numbered at commit (recordEvent), so everything at or
 * below the last seq a reader saw had committed before it: the next page starts right after it.
 * The cursor key is the deployment's secret in the database, read once.
 */
export function feedReader(db: Kysely<Database>): FeedPage {
  let key: Promise<Uint8Array> | undefined;
  const keyOf = () => {
    key ??= readFeedSecret(db).catch((err: unknown) => {
      key = undefined;
      throw err;
    });
    return key;
  };
  return async (cursor, limit) => {
    const secret = await keyOf();
    const after = cursor === undefined ? 0 : decodeFeedCursor(cursor, secret);
    if (after === undefined) return undefined;
    const events = await listFeedAfter(db, after, limit);
    return { events, nextCursor: encodeFeedCursor(events.at(-1)?.seq ?? after, secret) };
  };
}
