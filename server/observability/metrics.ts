import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Storage } from '../db/database.ts';
import type { CompletedRequest } from './request-log.ts';

/** How a submission's Idempotency-Key was answered, when not by new work. */
export type IdempotencyOutcome = 'replayed' | 'in-flight' | 'key-reused';

/** The server's metrics, on a registry of its own (not prom-client's global one). */
export interface Metrics {
  registry: Registry;
  /** One answered request. */
  requestCompleted(request: CompletedRequest): void;
  idempotency(outcome: IdempotencyOutcome): void;
}

const REQUEST_LABELS = ['method', 'route', 'status'] as const;

/** From a few milliseconds (a cached file) to the 30 s a slow upload on a poor network may take. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Request counts and latency as they happen; the rest (applications by status, the notices outbox, the
 * feed head, the pool) read from the database on each scrape, so every instance reports the shared truth.
 */
export function createMetrics(storage: Storage): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const requests = new Counter({
    name: 'http_requests_total',
    help: 'Answered HTTP requests, by route pattern and status',
    labelNames: REQUEST_LABELS,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route pattern and status',
    labelNames: REQUEST_LABELS,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const replays = new Counter({
    name: 'submission_idempotency_replays_total',
    help: 'Submissions answered with the stored receipt of an earlier request under the same Idempotency-Key',
    registers: [registry],
  });
  const conflicts = new Counter({
    name: 'submission_idempotency_conflicts_total',
    help: 'Submissions refused for their Idempotency-Key: in_flight (409, still being handled) or key_reused (422, other content)',
    labelNames: ['reason'],
    registers: [registry],
  });

  // Registered before the gauges that query the database: a scrape collects in this order, and read after
  // them the pool would count the scrape's own queries as waiting.
  new Gauge({
    name: 'db_pool_connections',
    help: 'Database connections of this instance: total open, idle, and queries waiting for one (PostgreSQL); SQLite has one',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const use = storage.connections?.() ?? { total: 1 };
      this.set({ state: 'total' }, use.total);
      if (use.idle !== undefined) this.set({ state: 'idle' }, use.idle);
      if (use.waiting !== undefined) this.set({ state: 'waiting' }, use.waiting);
    },
  });

  new Gauge({
    name: 'submissions',
    help: 'Applications by status',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const rows = await storage.db
        .selectFrom('submissions')
        .select((eb) => ['status', eb.fn.countAll<number | string | bigint>().as('count')])
        .groupBy('status')
        .execute();
      // A status no application holds any more must drop out, not keep its last count.
      this.reset();
      for (const row of rows) this.set({ status: row.status }, Number(row.count));
    },
  });
  new Gauge({
    name: 'notices_outbox',
    help: 'Text messages not yet handed to the provider, by state (pending, sending, failed)',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const rows = await storage.db
        .selectFrom('notices')
        .select((eb) => ['state', eb.fn.countAll<number | string | bigint>().as('count')])
        .where('state', '!=', 'sent')
        .groupBy('state')
        .execute();
      this.reset();
      for (const state of ['pending', 'sending', 'failed'] as const) this.set({ state }, 0);
      for (const row of rows) this.set({ state: row.state }, Number(row.count));
    },
  });
  new Gauge({
    name: 'feed_head_sequence',
    help: 'Sequence number of the newest event in the staff change feed',
    registers: [registry],
    async collect() {
      const row = await storage.db.selectFrom('feed_counter').select('value').where('id', '=', 1).executeTakeFirst();
      this.set(Number(row?.value ?? 0));
    },
  });
  return {
    registry,
    requestCompleted({ method, route, status, ms }) {
      const labels = { method, route, status: String(status) };
      requests.inc(labels);
      duration.observe(labels, ms / 1000);
    },
    idempotency(outcome) {
      if (outcome === 'replayed') replays.inc();
      else conflicts.inc({ reason: outcome === 'in-flight' ? 'in_flight' : 'key_reused' });
    },
  };
}
