import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { openTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { submissionBody } from '../submissions/submission.ts';
import { createAccount } from './accounts-store.ts';
import {
  claimDueNotices,
  keepDevelopmentSms,
  listDevelopmentSms,
  listNoticesOfAccount,
  insertNotice,
  markNoticeFailed,
  markNoticeSent,
} from './notices-store.ts';
import { insertSubmission } from './submissions-store.ts';

/** Runs on SQLite, and on PostgreSQL through test/postgres/run-storage-suite.ts. */
describe(`notices store (${process.env.TEST_DATABASE_URL ? 'postgres' : 'sqlite'})`, () => {
  let fixture: TestDatabase;
  let accountId: string;
  let submissionId: string;
  const t0 = new Date('2030-01-01T00:00:00.000Z');
  const at = (ms: number) => new Date(t0.getTime() + ms);
  const lease = { leaseMs: 60_000, limit: 50 };

  before(async () => {
    fixture = await openTestDatabase();
    const { db } = fixture.storage;
    const account = await createAccount(db, { name: '测试', idNumber: '11010519491231002X', mobile: '13800000000', passwordHash: 'h' });
    accountId = account.id;
    const inserted = await insertSubmission(db, {
      receiptNumber: 'JL20300101ABCD',
      accountId,
      idempotencyKey: randomUUID(),
      body: submissionBody({ any: 'thing' }),
    });
    submissionId = inserted.submission.id;
  });
  after(() => fixture.cleanup());

  const enqueue = (ms: number, text = `通知 ${ms}`) =>
    insertNotice(fixture.storage.db, { accountId, submissionId, event: 'decision', status: 'accepted', text, at: at(ms) });
  /** Every claimable notice, sent, so each test starts from an empty outbox. */
  const drain = async () => {
    for (const notice of await claimDueNotices(fixture.storage.db, { now: at(10 ** 9), ...lease })) {
      await markNoticeSent(fixture.storage.db, notice, 'test', at(10 ** 9));
    }
  };

  it('claims due notices oldest first with the account\'s mobile, each once, and not before they are due', async () => {
    await drain();
    const first = await enqueue(1_000);
    const second = await enqueue(2_000);
    assert.deepEqual(await claimDueNotices(fixture.storage.db, { now: at(500), ...lease }), []);
    const claimed = await claimDueNotices(fixture.storage.db, { now: at(3_000), ...lease });
    assert.deepEqual(
      claimed.map((notice) => [notice.id, notice.mobile, notice.attempts, notice.state]),
      [
        [first, '13800000000', 1, 'sending'],
        [second, '13800000000', 1, 'sending'],
      ],
    );
    assert.deepEqual(await claimDueNotices(fixture.storage.db, { now: at(3_000), ...lease }), [], 'held by its claim');
    for (const notice of claimed) assert.equal(await markNoticeSent(fixture.storage.db, notice, 'test', at(3_000)), true);
    assert.deepEqual(await claimDueNotices(fixture.storage.db, { now: at(10 ** 9), ...lease }), [], 'sent is final');
  });

  it('gives two instances claiming at once different notices, all of them between the two', async () => {
    await drain();
    const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => enqueue(5_000 + i)));
    const other = await fixture.openAnother();
    const claims = await Promise.all(
      [fixture.storage.db, other.db, fixture.storage.db, other.db].map((db) => claimDueNotices(db, { now: at(60_000), leaseMs: 60_000, limit: 5 })),
    );
    const claimed = claims.flat().map((notice) => notice.id);
    assert.equal(new Set(claimed).size, claimed.length, 'no notice claimed twice');
    assert.deepEqual([...claimed].sort(), [...ids].sort());
  });

  it('lets another sender take a notice over once the lease runs out, and refuses the late one\'s settling', async () => {
    await drain();
    const id = await enqueue(100_000);
    const [dead] = await claimDueNotices(fixture.storage.db, { now: at(100_000), ...lease });
    assert.equal(dead?.id, id);
    assert.deepEqual(await claimDueNotices(fixture.storage.db, { now: at(159_999), ...lease }), []);
    const [taker] = await claimDueNotices(fixture.storage.db, { now: at(160_000), ...lease });
    assert.equal(taker?.id, id);
    assert.equal(taker?.attempts, 2);
    if (!dead || !taker) return;
    assert.equal(await markNoticeSent(fixture.storage.db, dead, 'test', at(160_001)), false);
    assert.equal(await markNoticeFailed(fixture.storage.db, dead, at(170_000)), false);
    assert.equal(await markNoticeSent(fixture.storage.db, taker, 'test', at(160_002)), true);
    const stored = (await listNoticesOfAccount(fixture.storage.db, accountId)).find((notice) => notice.id === id);
    assert.equal(stored?.state, 'sent');
    assert.equal(stored?.sentAt, at(160_002).toISOString());
    assert.equal(stored?.provider, 'test');
  });

  it('puts a failed notice back until its retry time, or gives it up', async () => {
    await drain();
    const retried = await enqueue(200_000);
    const given = await enqueue(200_001);
    const claimed = await claimDueNotices(fixture.storage.db, { now: at(200_001), ...lease });
    const byId = new Map(claimed.map((notice) => [notice.id, notice]));
    const retriedClaim = byId.get(retried);
    const givenClaim = byId.get(given);
    assert.ok(retriedClaim && givenClaim);
    assert.equal(await markNoticeFailed(fixture.storage.db, retriedClaim, at(230_000)), true);
    assert.equal(await markNoticeFailed(fixture.storage.db, givenClaim, undefined), true);
    assert.deepEqual(await claimDueNotices(fixture.storage.db, { now: at(229_999), ...lease }), []);
    const again = await claimDueNotices(fixture.storage.db, { now: at(230_000), ...lease });
    assert.deepEqual(
      again.map((notice) => [notice.id, notice.attempts]),
      [[retried, 2]],
    );
    const states = new Map((await listNoticesOfAccount(fixture.storage.db, accountId)).map((notice) => [notice.id, notice.state]));
    assert.equal(states.get(given), 'failed');
  });

  it('keeps a development message once per reference', async () => {
    const sms = { reference: randomUUID(), mobile: '13900000000', text: '您的注册申请已收到', sentAt: at(0).toISOString() };
    assert.equal(await keepDevelopmentSms(fixture.storage.db, sms), true);
    assert.equal(await keepDevelopmentSms(fixture.storage.db, { ...sms, sentAt: at(1).toISOString() }), false);
    assert.deepEqual(await listDevelopmentSms(fixture.storage.db, '13900000000'), [sms]);
  });
});
