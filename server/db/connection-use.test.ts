import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { createMetrics } from '../observability/metrics.ts';

describe('Storage.connections (the metrics of the pool)', () => {
  let fixture: TestDatabase;

  before(async () => {
    fixture = await openTestDatabase();
  });
  after(() => fixture.cleanup());

  it('reports the connections open, and for PostgreSQL those idle and the queries waiting', async () => {
    const { storage } = fixture;
    await sql`select 1`.execute(storage.db);
    const idle = storage.connections?.();
    if (fixture.dialect === 'sqlite') {
      assert.deepEqual(idle, { total: 1 });
      return;
    }
    assert.ok(idle && idle.total >= 1);
    assert.equal(idle.idle, idle.total, 'nothing holds a connection between queries');
    assert.equal(idle.waiting, 0);
    // A transaction holds its connection until it ends.
    await storage.db.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx);
      const busy = storage.connections?.();
      assert.ok(busy && busy.total >= 1);
      assert.equal((busy.idle ?? 0) + 1, busy.total);
    });
  });

  it('a scrape of an idle instance shows no query waiting: its own queries are not counted', async () => {
    const { registry } = createMetrics(fixture.storage);
    const text = await registry.metrics();
    const waiting = /^db_pool_connections\{state="waiting"\} (\d+)$/m.exec(text)?.[1];
    if (fixture.dialect === 'sqlite') assert.equal(waiting, undefined);
    else assert.equal(waiting, '0');
  });
});
