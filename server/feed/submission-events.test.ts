import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { openTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { createAccount } from '../db/accounts-store.ts';
import type { Storage } from '../db/database.ts';
import { insertSubmission } from '../db/submissions-store.ts';
import { submissionBody } from '../submissions/submission.ts';
import { historyOf, latestCorrections, recordEvent } from './submission-events.ts';

describe('submission events', () => {
  let test: TestDatabase;
  let storage: Storage;
  let accountId: string;

  async function newSubmission(): Promise<string> {
    const id = randomUUID();
    await insertSubmission(storage.db, {
      id,
      receiptNumber: `JL${Date.now()}${Math.floor(Math.random() * 1e6)}`,
      accountId,
      idempotencyKey: randomUUID(),
      body: submissionBody({ id }),
    });
    return id;
  }

  const counter = async () => (await storage.db.selectFrom('feed_counter').select('value').executeTakeFirstOrThrow()).value;

  before(async () => {
    test = await openTestDatabase();
    storage = test.storage;
    accountId = (await createAccount(storage.db, { name: '张三', idNumber: '110105199001010011', mobile: '13800138000', passwordHash: 'x' })).id;
  });
  after(() => test.cleanup());

  it('numbers events one after another from the counter, in the order they commit', async () => {
    const [a, b] = [await newSubmission(), await newSubmission()];
    const start = await counter();
    const at = new Date('2026-03-02T01:00:00.000Z');
    const seqs = [];
    for (const [submissionId, status] of [[a, 'submitted'], [b, 'submitted'], [a, 'employer_confirmed']] as const) {
      seqs.push(await storage.db.transaction().execute((trx) => recordEvent(trx, { submissionId, version: 1, status, kind: 'status', actor: 'system', at })));
    }
    assert.deepEqual(seqs, [start + 1, start + 2, start + 3]);
    assert.equal(await counter(), start + 3);
    assert.deepEqual(
      (await historyOf(storage.db, a)).map((event) => [event.seq, event.status, event.at]),
      [[start + 1, 'submitted', at.toISOString()], [start + 3, 'employer_confirmed', at.toISOString()]],
    );
  });

  it('takes no number for a transaction that rolls back', async () => {
    const id = await newSubmission();
    const start = await counter();
    await assert.rejects(
      storage.db.transaction().execute(async (trx) => {
        await recordEvent(trx, { submissionId: id, version: 1, status: 'submitted', kind: 'submitted', actor: 'system', at: new Date() });
        throw new Error('undone');
      }),
      /undone/,
    );
    assert.equal(await counter(), start);
    assert.deepEqual(await historyOf(storage.db, id), []);
    const seq = await storage.db.transaction().execute((trx) =>
      recordEvent(trx, { submissionId: id, version: 1, status: 'submitted', kind: 'submitted', actor: 'system', at: new Date() }),
    );
    assert.equal(seq, start + 1, 'no gap left by the undone one');
  });

  it('keeps the detail and gives the notes of the latest 补正 request', async () => {
    const id = await newSubmission();
    assert.deepEqual(await latestCorrections(storage.db, id), []);
    const at = new Date();
    const ask = (note: string, version: number) =>
      storage.db.transaction().execute((trx) =>
        recordEvent(trx, {
          submissionId: id,
          version,
          status: 'correction_requested',
          kind: 'status',
          actor: 'staff:r1',
          detail: { corrections: [{ field: 'photo', note }] },
          at,
        }),
      );
    await ask('照片模糊', 1);
    await storage.db.transaction().execute((trx) => recordEvent(trx, { submissionId: id, version: 2, status: 'employer_confirmed', kind: 'resubmitted', actor: 'account:x', at }));
    await ask('照片背景应为白色', 2);
    assert.deepEqual(await latestCorrections(storage.db, id), [{ field: 'photo', note: '照片背景应为白色' }]);
    const history = await historyOf(storage.db, id);
    assert.deepEqual(history.map((event) => event.kind), ['status', 'resubmitted', 'status']);
    assert.equal(history[1]?.detail, null);
    assert.deepEqual(history[0]?.detail, { corrections: [{ field: 'photo', note: '照片模糊' }] });
  });
});
