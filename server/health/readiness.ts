import type { MiddlewareHandler } from 'hono';
import { sql } from 'kysely';
import type { NotReadyReason } from '../../shared/api/health.ts';
import type { Storage } from '../db/database.ts';
import { pendingMigrations } from '../db/migrate.ts';

/**
 * Whether this instance should be sent requests. Shared by the readiness route and main.ts, which
 * marks it draining on SIGTERM so a load balancer stops sending before the listener closes.
 */
export interface Readiness {
  readonly draining: boolean;
  markDraining(): void;
}

export function createReadiness(): Readiness {
  let draining = false;
  return {
    get draining() {
      return draining;
    },
    markDraining() {
      draining = true;
    },
  };
}

/**
 * Ready when not draining, the database answers and every migration of this build has run. Migrations
 * never un-run, so once seen complete only the database is asked again.
 */
export function readinessCheck(storage: Storage, readiness: Readiness): () => Promise<NotReadyReason | undefined> {
  let migrated = false;
  return async () => {
    if (readiness.draining) return 'shutting-down';
    try {
      if (migrated) await sql`select 1`.execute(storage.db);
      else migrated = (await pendingMigrations(storage.db)).length === 0;
    } catch {
      return 'database-unavailable';
    }
    return migrated ? undefined : 'migrations-pending';
  };
}

/**
 * While draining, every answer says `Connection: close`: a client (or nginx) with a kept-alive
 * connection gets its answer, then opens a new connection, which lands on another instance, instead of
 * sending its next request into a socket that is about to close.
 */
export function closeConnectionsWhileDraining(readiness: Readiness): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (readiness.draining) c.res.headers.set('Connection', 'close');
  };
}
