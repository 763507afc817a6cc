import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { type Storage, openDatabase } from './database.ts';
import { migrateToLatest } from './migrate.ts';
import { migrations } from './migrations/index.ts';
import {
  activeSigningKeyId,
  ensureSigningKey,
  findActiveSigningKey,
  listSigningKeys,
  type NewSigningKey,
  recordConfiguredKey,
  rotateSigningKey,
} from './server-keys-store.ts';
import { freshTestDatabaseConfig, openTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';

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
      'the losers left no key behind',
    );

    // Later starts find it and make nothing.
    const again = await ensureSigningKey(test.storage.db, 'Ed25519', () => assert.fail('a key exists already'));
    assert.deepEqual(again, stored);
  });

  it('rotates: the new key signs, the old one is retired but kept, and later starts keep the new one', async () => {
    const before = await ensureSigningKey(test.storage.db, 'Ed25519', () => assert.fail('a key exists already'));
    const next = madeUpKey();
    const rotated = await rotateSigningKey(test.storage.db, next, new Date('2030-01-01T00:00:00.000Z'));
    assert.deepEqual(rotated, { ...next, createdAt: '2030-01-01T00:00:00.000Z' });
    assert.equal(await activeSigningKeyId(test.storage.db, 'Ed25519'), next.id);
    assert.deepEqual(await findActiveSigningKey(test.storage.db, 'Ed25519'), rotated);
    assert.deepEqual(await ensureSigningKey(test.storage.db, 'Ed25519', () => assert.fail('a key exists already')), rotated);

    const listed = await listSigningKeys(test.storage.db);
    assert.deepEqual(
      listed.map((k) => ({ id: k.id, publicRaw: k.publicRaw, active: k.active, retiredAt: k.retiredAt, configured: k.configured })),
      [
        { id: before.id, publicRaw: before.publicRaw, active: false, retiredAt: '2030-01-01T00:00:00.000Z', configured: false },
        { id: next.id, publicRaw: next.publicRaw, active: true, retiredAt: null, configured: false },
      ],
    );
    assert.ok(listed.every((k) => !('privatePkcs8' in k)), 'the list carries no private part');
  });

  it('records a configured key by its public half only, once, without making it the signing key', async () => {
    const active = await activeSigningKeyId(test.storage.db, 'Ed25519');
    const configured = { id: randomBytes(8).toString('hex'), algorithm: 'Ed25519', publicRaw: randomBytes(32).toString('base64url') };
    await recordConfiguredKey(test.storage.db, configured, new Date('2031-01-01T00:00:00.000Z'));
    await recordConfiguredKey(test.storage.db, configured, new Date('2032-01-01T00:00:00.000Z'));
    const rows = await test.storage.db.selectFrom('server_keys').selectAll().where('id', '=', configured.id).execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.private_pkcs8, null);
    assert.equal(rows[0]!.created_at, '2031-01-01T00:00:00.000Z', 'recorded when first seen');
    assert.equal(await activeSigningKeyId(test.storage.db, 'Ed25519'), active);
    const listed = (await listSigningKeys(test.storage.db)).find((k) => k.id === configured.id);
    assert.deepEqual({ configured: listed?.configured, active: listed?.active }, { configured: true, active: false });
  });

  it('refuses a maker that returns another algorithm', async () => {
    await assert.rejects(ensureSigningKey(test.storage.db, 'Other', () => madeUpKey('Ed25519')), /wanted Other/);
  });

  it('0011 keeps the key made before it as the signing key', async () => {
    const fresh = await freshTestDatabaseConfig();
    const later = Object.entries(migrations).filter(([name]) => name >= '0011');
    for (const [name] of later) delete migrations[name];
    let old: Storage | undefined;
    try {
      old = await openDatabase(fresh.config);
      const key = madeUpKey();
      await sql`insert into server_keys (id, algorithm, private_pkcs8, public_raw, created_at)
        values (${key.id}, 'Ed25519', ${key.privatePkcs8}, ${key.publicRaw}, '2029-01-01T00:00:00.000Z')`.execute(old.db);
      for (const [name, migration] of later) migrations[name] = migration;
      await migrateToLatest(old.db);
      assert.deepEqual(await findActiveSigningKey(old.db, 'Ed25519'), { ...key, createdAt: '2029-01-01T00:00:00.000Z' });
      const rotated = await rotateSigningKey(old.db, madeUpKey(), new Date('2030-01-01T00:00:00.000Z'));
      assert.deepEqual(
        (await listSigningKeys(old.db)).map((k) => [k.id, k.active]),
        [
          [key.id, false],
          [rotated.id, true],
        ],
      );
    } finally {
      for (const [name, migration] of later) migrations[name] = migration;
      await old?.close();
      await fresh.cleanup();
    }
  });
});
