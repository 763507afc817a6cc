import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { Hono } from 'hono';
import { Kysely } from 'kysely';
import * as v from 'valibot';
import { notReadySchema, readySchema } from '../../shared/api/health.ts';
import { openTestStorage, type TestStorage } from '../../test/support/route-fixtures.ts';
import type { Storage } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { SharedFileSqliteDialect } from '../db/sqlite-dialect.ts';
import { healthRoutes } from './health-routes.ts';
import { closeConnectionsWhileDraining, createReadiness } from './readiness.ts';

describe('GET /api/health/ready', () => {
  let fixture: TestStorage;
  before(async () => {
    fixture = await openTestStorage();
  });
  after(() => fixture.cleanup());

  async function ready(storage: Storage, readiness = createReadiness()) {
    const response = await healthRoutes(storage, readiness).request('/ready');
    return { status: response.status, body: (await response.json()) as unknown, cacheControl: response.headers.get('cache-control') };
  }

  it('answers 200 ready on a migrated database, never cached', async () => {
    const answer = await ready(fixture.storage);
    assert.deepEqual(answer, { status: 200, body: v.parse(readySchema, { status: 'ready' }), cacheControl: 'no-store' });
  });

  it('answers 503 shutting-down once draining, while liveness still answers 200', async () => {
    const readiness = createReadiness();
    const routes = healthRoutes(fixture.storage, readiness);
    assert.equal((await routes.request('/ready')).status, 200);
    readiness.markDraining();
    const response = await routes.request('/ready');
    assert.equal(response.status, 503);
    assert.deepEqual(v.parse(notReadySchema, await response.json()), { status: 'not-ready', reason: 'shutting-down' });
    assert.equal((await routes.request('/')).status, 200);
  });

  it('answers 503 migrations-pending on a database whose schema is not up to date', async () => {
    // A real, empty SQLite database: nothing has been migrated.
    const db = new Kysely<Database>({ dialect: new SharedFileSqliteDialect({ database: new SqliteDatabase(':memory:') }) });
    try {
      const answer = await ready({ db, dialect: 'sqlite', close: () => db.destroy() });
      assert.deepEqual(answer.body, { status: 'not-ready', reason: 'migrations-pending' });
      assert.equal(answer.status, 503);
    } finally {
      await db.destroy();
    }
  });

  it('answers 503 database-unavailable when the database does not answer', async () => {
    const gone = await openTestStorage();
    const routes = healthRoutes(gone.storage);
    assert.equal((await routes.request('/ready')).status, 200);
    await gone.storage.close();
    try {
      const response = await routes.request('/ready');
      assert.equal(response.status, 503);
      assert.deepEqual(await response.json(), { status: 'not-ready', reason: 'database-unavailable' });
    } finally {
      await gone.cleanup();
    }
  });
});

describe('answers while draining', () => {
  it('say Connection: close, so kept-alive clients reconnect elsewhere', async () => {
    const readiness = createReadiness();
    const app = new Hono().use('*', closeConnectionsWhileDraining(readiness)).get('/', (c) => c.text('ok'));
    assert.equal((await app.request('/')).headers.get('connection'), null);
    readiness.markDraining();
    const response = await app.request('/');
    assert.equal(response.headers.get('connection'), 'close');
    assert.equal(await response.text(), 'ok');
  });
});
