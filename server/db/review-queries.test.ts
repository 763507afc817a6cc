import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { openTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { countByStatus, listAllMatching, listForEmployer, listQueue } from '../review/review-store.ts';
import { submissionBody } from '../submissions/submission.ts';
import { createAccount } from './accounts-store.ts';
import { insertSubmission } from './submissions-store.ts';

/**
 * The staff's queue reads the stored application's JSON in each dialect's own syntax: these run on
 * SQLite here and on PostgreSQL in test/postgres/run-storage-suite.ts.
 */
describe(`review queries (${process.env.TEST_DATABASE_URL ? 'postgres' : 'sqlite'})`, () => {
  let fixture: TestDatabase;
  const ids: Record<string, string> = {};

  const application = (name: string, province: string, uscc: string, specialty1: string, specialty2: string) => ({
    name,
    enterprise: { uscc, name: `${name}所在的监理有限公司（100%控股）`, province },
    specialty1,
    specialty2,
  });

  before(async () => {
    fixture = await openTestDatabase();
    const { db } = fixture.storage;
    const account = await createAccount(db, { name: '测试', idNumber: '11010519491231002X', mobile: '13800000000', passwordHash: 'h' });
    const rows = [
      ['a', application('甲', '江苏省', '91320214MAW11U8Q1T', '01', '02'), '2026-12-01T01:00:00Z', 'submitted'],
      ['b', application('乙', '山东省', '91370000100000000X', '03', '01'), '2026-12-02T01:00:00Z', 'employer_confirmed'],
      ['c', application('丙', '江苏省', '91320214MAW11U8Q1T', '04', '05'), '2026-12-03T01:00:00Z', 'employer_confirmed'],
    ] as const;
    for (const [key, body, at, status] of rows) {
      const inserted = await insertSubmission(db, {
        receiptNumber: `JL${randomUUID().slice(0, 8)}`,
        accountId: account.id,
        idempotencyKey: randomUUID(),
        body: submissionBody(body),
        status,
        now: new Date(at),
      });
      ids[key] = inserted.submission.id;
    }
  });

  after(async () => {
    await fixture?.cleanup();
  });

  const page = { limit: 50 };
  const idsOf = (rows: { id: string }[]) => rows.map((row) => row.id);

  it('filters by province, specialty (either one) and a part of the enterprise name, oldest first', async () => {
    const { storage } = fixture;
    assert.deepEqual(idsOf(await listQueue(storage, { province: '江苏省' }, page)), [ids.a, ids.c]);
    assert.deepEqual(idsOf(await listQueue(storage, { specialty: '01' }, page)), [ids.a, ids.b]);
    // % and _ are characters, not patterns.
    assert.deepEqual(idsOf(await listQueue(storage, { enterprise: '100%控股' }, page)), [ids.a, ids.b, ids.c]);
    assert.deepEqual(idsOf(await listQueue(storage, { enterprise: '乙所在' }, page)), [ids.b]);
    assert.deepEqual(idsOf(await listQueue(storage, { enterprise: '_' }, page)), []);
    assert.deepEqual(idsOf(await listQueue(storage, { enterprise: '91320214MAW11U8Q1T' }, page)), [ids.a, ids.c]);
  });

  it('days are China days, and pages continue after their last line', async () => {
    const { storage } = fixture;
    assert.deepEqual(idsOf(await listQueue(storage, { from: '2026-12-02', to: '2026-12-02' }, page)), [ids.b]);
    const first = await listQueue(storage, {}, { limit: 2 });
    const last = first.at(-1)!;
    const next = await listQueue(storage, {}, { limit: 2, after: { createdAt: last.createdAt, id: last.id } });
    assert.deepEqual([...idsOf(first), ...idsOf(next)], [ids.a, ids.b, ids.c]);
  });

  it('counts per status under the other filters, and lists what the export and an employer read', async () => {
    const { storage } = fixture;
    assert.deepEqual(await countByStatus(storage, { province: '江苏省' }), { submitted: 1, employer_confirmed: 1 });
    assert.deepEqual(idsOf(await listAllMatching(storage, { status: 'employer_confirmed' })), [ids.b, ids.c]);
    assert.deepEqual(idsOf(await listForEmployer(storage.db, '91320214MAW11U8Q1T')), [ids.c, ids.a]);
  });
});
