import { Hono } from 'hono';
import { sql } from 'kysely';
import type { Storage } from '../db/database.ts';

/** Liveness and storage reachability, for load balancers and the start-up check. */
export function healthRoutes(storage: Storage) {
  return new Hono().get('/', async (c) => {
    try {
      await sql`select 1`.execute(storage.db);
      return c.json({ status: 'ok' as const, storage: storage.dialect });
    } catch {
      return c.json({ status: 'unavailable' as const, storage: storage.dialect }, 503);
    }
  });
}
