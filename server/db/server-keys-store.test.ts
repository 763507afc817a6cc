import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ensureSigningKey, type NewSigningKey } from './server-keys-store.ts';
import { openTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';

/** A made-up key record: the store keeps the text as given and does not look inside. */
function madeUpKey(algorithm = 'Ed25519'): NewSigningKey {
  return {
    id: randomBytes(8).toString('hex'),
    algorithm,
    privatePkcs8: randomBytes(48).toString('base64'),
    publicRaw: randomBytes(32).toString('base64url'),
  };
}

describe(`server keys (${process.env.TEST_DATABASE_URL ? 'postgres' : 'sqlite'})`, () => {
  let test: TestDatabase;

  before(async () => {
    test = await openTestDatabase();
  });

  after(() => test?.cleanup());

  it('makes a key once, and instances starting together on a fresh database all get that one', async () => {
    // Opened one after the other: migrations on one SQLite file in one process would wait on each other.
    const handles = [test.storage, await test.openAnother(), await test.openAnother()];
    const offered: NewSigningKey[] = [];
    const keys = await Promise.all(
      Array.from({ length: 9 }, (_, i) =>
        ensureSigningKey(handles[i % handles.length]!.db, 'Ed25519', () => {
          const key = madeUpKey();
          offered.push(key);
          return key;
        }),
      ),
    );
    assert.ok(offered.length >= 1);
    assert.equal(new Set(keys.map((k) => k.id)).size, 1, 'every caller got the same key');
    const stored = keys[0]!;
    const winner = offered.find((k) => k.id === stored.id);
    assert.deepEqual({ ...stored, createdAt: undefined }, { ...winner, createdAt: undefined });
    const rows = await test.storage.db.selectFrom('server_keys').select('id').execute();
    assert.deepEqual(
      rows.map((r) => r.id),
      [stored.id],
    );

    // Later starts find it and make nothing.
    const again = await ensureSigningKey(test.storage.db, 'Ed25519', () => assert.fail('a key exists already'));
    assert.deepEqual(again, stored);
  });

  it('refuses a maker that returns another algorithm', async () => {
    await assert.rejects(ensureSigningKey(test.storage.db, 'Other', () => madeUpKey('Ed25519')), /wanted Other/);
  });
});
