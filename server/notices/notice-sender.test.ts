import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { testIdNumber } from '../../test/support/route-fixtures.ts';
import { openTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { createAccount } from '../db/accounts-store.ts';
import { listDevelopmentSms } from '../db/notices-store.ts';
import { insertSubmission } from '../db/submissions-store.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { submissionBody } from '../submissions/submission.ts';
import { developmentSmsProvider, maskMobile } from './development-sms-provider.ts';
import { enqueueNotice, listNoticesFor } from './notice-outbox.ts';
import { retryAt, sendDueNotices, startNoticeSender } from './notice-sender.ts';
import { chooseSmsProvider, NO_PRODUCTION_SMS_MESSAGE, type SmsOutcome, type SmsProvider } from './sms-provider.ts';

describe('the notice sender (real SQLite)', () => {
  let fixture: TestDatabase;
  let accountId: string;
  let submissionId: string;
  let mobile: string;
  let clock: Date;
  let sequence = 0;
  const now = () => clock;
  const quiet = () => undefined;

  before(async () => {
    fixture = await openTestDatabase({ sqliteOnly: true });
  });
  after(() => fixture.cleanup());

  beforeEach(async () => {
    // A fresh person per test: the development inbox is read by number.
    sequence++;
    mobile = `1390000${String(sequence).padStart(4, '0')}`;
    const account = await createAccount(fixture.storage.db, { name: '测试', idNumber: testIdNumber(sequence), mobile, passwordHash: 'h' });
    accountId = account.id;
    const inserted = await insertSubmission(fixture.storage.db, {
      receiptNumber: `JL${randomUUID().slice(0, 10)}`,
      accountId,
      idempotencyKey: randomUUID(),
      body: submissionBody({ any: randomUUID() }),
    });
    submissionId = inserted.submission.id;
    clock = new Date('2030-03-01T02:00:00.000Z');
  });

  const enqueue = () =>
    fixture.storage.db.transaction().execute((trx) => enqueueNotice(trx, { accountId, submissionId, event: 'decision', status: 'accepted', at: clock }));

  /** The development provider behind `failures` failed hand-overs (thrown or answered), counting each call. */
  function flaky(failures: Array<'throw' | SmsOutcome>) {
    const inner = developmentSmsProvider(fixture.storage.db, quiet);
    const calls: string[] = [];
    const provider: SmsProvider = {
      name: 'flaky',
      async send(message) {
        calls.push(message.reference);
        const failure = failures.shift();
        if (failure === 'throw') throw new Error('gateway timed out');
        if (failure) return failure;
        return inner.send(message);
      },
    };
    return { provider, calls };
  }

  it('retries a failing provider with growing pauses until it takes the message: one message sent', async () => {
    await enqueue();
    const { provider, calls } = flaky(['throw', { ok: false, retryable: true }]);
    const options = { now, backoffMs: 1_000 };
    assert.deepEqual(await sendDueNotices(fixture.storage.db, provider, options), { sent: 0, failed: 1 });
    clock = new Date(clock.getTime() + 999);
    assert.deepEqual(await sendDueNotices(fixture.storage.db, provider, options), { sent: 0, failed: 0 }, 'not before the pause');
    clock = new Date(clock.getTime() + 1);
    assert.deepEqual(await sendDueNotices(fixture.storage.db, provider, options), { sent: 0, failed: 1 });
    clock = new Date(clock.getTime() + 1_999);
    assert.deepEqual(await sendDueNotices(fixture.storage.db, provider, options), { sent: 0, failed: 0 }, 'the second pause is twice the first');
    clock = new Date(clock.getTime() + 1);
    assert.deepEqual(await sendDueNotices(fixture.storage.db, provider, options), { sent: 1, failed: 0 });
    clock = new Date(clock.getTime() + 10 ** 9);
    assert.deepEqual(await sendDueNotices(fixture.storage.db, provider, options), { sent: 0, failed: 0 });

    assert.equal(calls.length, 3);
    const inbox = await listDevelopmentSms(fixture.storage.db, mobile);
    assert.equal(inbox.length, 1);
    const [notice] = await listNoticesFor(fixture.storage.db, accountId);
    assert.equal(notice?.state, 'sent');
    assert.equal(inbox[0]?.text, notice?.text);
  });

  it('gives a notice up on a refusal that retrying cannot help', async () => {
    await enqueue();
    const { provider } = flaky([{ ok: false, retryable: false }]);
    await sendDueNotices(fixture.storage.db, provider, { now });
    clock = new Date(clock.getTime() + 10 ** 9);
    assert.deepEqual(await sendDueNotices(fixture.storage.db, provider, { now }), { sent: 0, failed: 0 });
    assert.equal((await listNoticesFor(fixture.storage.db, accountId))[0]?.state, 'failed');
    assert.deepEqual(await listDevelopmentSms(fixture.storage.db, mobile), []);
  });

  it('backs off by doubling up to a cap, and stops after the last attempt', () => {
    const t = new Date(0);
    const options = { backoffMs: 1_000, maxBackoffMs: 5_000, maxAttempts: 5 };
    assert.deepEqual(
      [1, 2, 3, 4].map((attempts) => retryAt(attempts, t, options)?.getTime()),
      [1_000, 2_000, 4_000, 5_000],
    );
    assert.equal(retryAt(5, t, options), undefined);
  });

  it('sends each notice once when two senders (two instances) run at the same moment', async () => {
    const ids = await Promise.all(Array.from({ length: 6 }, enqueue));
    const other = await fixture.openAnother();
    const first = flaky([]);
    const second = { provider: developmentSmsProvider(other.db, quiet), calls: [] as string[] };
    const counted: SmsProvider = {
      name: 'development',
      send: (message) => {
        second.calls.push(message.reference);
        return second.provider.send(message);
      },
    };
    const rounds = await Promise.all([
      sendDueNotices(fixture.storage.db, first.provider, { now, batch: 2 }),
      sendDueNotices(other.db, counted, { now, batch: 2 }),
      sendDueNotices(fixture.storage.db, first.provider, { now, batch: 2 }),
      sendDueNotices(other.db, counted, { now, batch: 2 }),
      sendDueNotices(fixture.storage.db, first.provider, { now, batch: 2 }),
      sendDueNotices(other.db, counted, { now, batch: 2 }),
    ]);
    assert.equal(
      rounds.reduce((sum, round) => sum + round.sent, 0),
      ids.length,
    );
    const handedOver = [...first.calls, ...second.calls];
    assert.equal(handedOver.length, ids.length, 'each notice handed over once');
    assert.equal(new Set(handedOver).size, ids.length);
    assert.equal((await listDevelopmentSms(fixture.storage.db, mobile)).length, ids.length);
  });

  it('runs as a loop that sends what is enqueued later, and stops', async () => {
    const lines: string[] = [];
    const sender = startNoticeSender(fixture.storage.db, developmentSmsProvider(fixture.storage.db, (line) => lines.push(line)), { intervalMs: 10 });
    try {
      clock = new Date();
      await enqueue();
      for (let i = 0; i < 200 && lines.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      await sender.stop();
    }
    assert.equal(lines.length, 1);
    // The log names the number masked only.
    assert.ok(lines[0]?.includes(maskMobile(mobile)));
    assert.ok(!lines[0]?.includes(mobile));
    await enqueue();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(lines.length, 1, 'a stopped sender sends nothing');
  });

  it('is chosen by SMS_PROVIDER; production refuses to start without a real gateway', () => {
    assert.equal(chooseSmsProvider(loadConfig({}))(fixture.storage.db).name, 'development');
    assert.throws(() => loadConfig({ SMS_PROVIDER: 'carrier-pigeon' }), (err: unknown) => err instanceof ConfigError && /SMS_PROVIDER/.test(err.message));
    for (const env of [{ NODE_ENV: 'production' }, { NODE_ENV: 'production', SMS_PROVIDER: 'development' }]) {
      assert.throws(() => chooseSmsProvider(loadConfig(env)), (err: unknown) => err instanceof ConfigError && err.message === NO_PRODUCTION_SMS_MESSAGE);
    }
  });
});
