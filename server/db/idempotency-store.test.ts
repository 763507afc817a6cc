import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createAccount } from './accounts-store.ts';
import type { Storage } from './database.ts';
import {
  type ClaimInput,
  claimIdempotencyKey,
  completeIdempotencyKey,
  releaseIdempotencyKey,
} from './idempotency-store.ts';
import { openTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';

describe(`idempotency keys (${process.env.TEST_DATABASE_URL ? 'postgres' : 'sqlite'})`, () => {
  let test: TestDatabase;
  let storage: Storage;
  let accountId: string;
  const t0 = new Date('2030-05-01T08:00:00.000Z');
  const at = (ms: number) => new Date(t0.getTime() + ms);
  const claimInput = (key: string, overrides: Partial<ClaimInput> = {}): ClaimInput => ({
    key,
    accountId,
    bodySha256: 'a'.repeat(64),
    lockMs: 30_000,
    now: t0,
    ...overrides,
  });
  const row = (key: string) => storage.db.selectFrom('idempotency_keys').selectAll().where('key', '=', key).executeTakeFirst();

  before(async () => {
    test = await openTestDatabase();
    storage = test.storage;
    accountId = (
      await createAccount(storage.db, { name: '测试账户', idNumber: '11010519491231002X', mobile: '13800000000', passwordHash: 'h' })
    ).id;
  });

  after(() => test?.cleanup());

  it('claims a fresh key, and a second request finds it in flight until the lock runs out', async () => {
    const key = randomUUID();
    const first = await claimIdempotencyKey(storage.db, claimInput(key));
    assert.equal(first.outcome, 'claimed');
    assert.equal(first.outcome === 'claimed' && first.takenOver, false);

    const second = await claimIdempotencyKey(storage.db, claimInput(key, { now: at(29_999) }));
    assert.deepEqual(second, { outcome: 'in-flight', lockedUntil: at(30_000).toISOString() });
    const stored = await row(key);
    assert.equal(stored?.state, 'in_flight');
    assert.equal(stored?.response, null);
  });

  it('answers a finished key with its owner, body hash and stored response', async () => {
    const key = randomUUID();
    await claimIdempotencyKey(storage.db, claimInput(key));
    const response = { status: 201, body: { id: 'x', 名称: '回执', nested: { a: [1, 2] } } };
    await completeIdempotencyKey(storage.db, { key, accountId, bodySha256: 'a'.repeat(64), response });
    // Done is final: not even an expired lock lets anyone take it.
    const again = await claimIdempotencyKey(storage.db, claimInput(key, { now: at(3_600_000), bodySha256: 'b'.repeat(64) }));
    assert.deepEqual(again, { outcome: 'done', accountId, bodySha256: 'a'.repeat(64), response });
  });

  it('completes a key that has no row (stored before the table existed, or its claim was lost)', async () => {
    const key = randomUUID();
    await completeIdempotencyKey(storage.db, { key, accountId, bodySha256: 'c'.repeat(64), response: { status: 201, body: 1 } });
    assert.equal((await row(key))?.state, 'done');
  });

  it('lets only the holder release a claim, and never a finished key', async () => {
    const key = randomUUID();
    const claim = await claimIdempotencyKey(storage.db, claimInput(key));
    assert.equal(claim.outcome, 'claimed');
    if (claim.outcome !== 'claimed') return;
    assert.equal(await releaseIdempotencyKey(storage.db, key, randomUUID()), false);
    assert.ok(await row(key));
    assert.equal(await releaseIdempotencyKey(storage.db, key, claim.claimId), true);
    assert.equal(await row(key), undefined);
    // Released: the key is free for the fixed request.
    assert.equal((await claimIdempotencyKey(storage.db, claimInput(key))).outcome, 'claimed');

    const done = randomUUID();
    const doneClaim = await claimIdempotencyKey(storage.db, claimInput(done));
    await completeIdempotencyKey(storage.db, { key: done, accountId, bodySha256: 'a'.repeat(64), response: { status: 201, body: {} } });
    assert.equal(doneClaim.outcome === 'claimed' && (await releaseIdempotencyKey(storage.db, done, doneClaim.claimId)), false);
    assert.equal((await row(done))?.state, 'done');
  });

  it('takes over an expired claim, and the dead holder can no longer release it', async () => {
    const key = randomUUID();
    const dead = await claimIdempotencyKey(storage.db, claimInput(key, { lockMs: 2_000 }));
    const retry = await claimIdempotencyKey(storage.db, claimInput(key, { now: at(2_001), bodySha256: 'd'.repeat(64) }));
    assert.equal(retry.outcome, 'claimed');
    assert.equal(retry.outcome === 'claimed' && retry.takenOver, true);
    const stored = await row(key);
    assert.equal(stored?.body_sha256, 'd'.repeat(64));
    assert.equal(stored?.locked_until, at(32_001).toISOString());
    assert.equal(dead.outcome === 'claimed' && (await releaseIdempotencyKey(storage.db, key, dead.claimId)), false);
    assert.ok(await row(key));
  });

  it('lets exactly one of many concurrent takers, on two instances, take over an expired claim', async () => {
    const other = await test.openAnother();
    for (let round = 0; round < 5; round++) {
      const key = randomUUID();
      await claimIdempotencyKey(storage.db, claimInput(key, { lockMs: 1_000 }));
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, (_, i) => claimIdempotencyKey((i % 2 ? other : storage).db, claimInput(key, { now: at(1_500) }))),
      );
      const winners = outcomes.filter((o) => o.outcome === 'claimed');
      assert.equal(winners.length, 1, JSON.stringify(outcomes));
      assert.ok(outcomes.every((o) => o.outcome === 'claimed' || o.outcome === 'in-flight'));
      assert.equal((await row(key))?.claim_id, winners[0]?.outcome === 'claimed' ? winners[0].claimId : undefined);
    }
  });

  it('lets exactly one of many concurrent first requests, on two instances, claim a fresh key', async () => {
    const other = await test.openAnother();
    const key = randomUUID();
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => claimIdempotencyKey((i % 2 ? other : storage).db, claimInput(key))),
    );
    assert.equal(outcomes.filter((o) => o.outcome === 'claimed').length, 1);
    assert.equal(outcomes.filter((o) => o.outcome === 'in-flight').length, 9);
  });
});
